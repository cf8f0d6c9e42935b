/**
 * Spring Boot auto-configuration for {@link dev.atomicfile.AtomicFileWriter}: the writer bean,
 * the recovery of half-done commits and the reaping of orphaned temp files at startup (and,
 * optionally, periodically) and Micrometer metrics, all configured under {@code atomicfile.*}.
 */
@NullMarked
package dev.atomicfile.autoconfigure;

import org.jspecify.annotations.NullMarked;
