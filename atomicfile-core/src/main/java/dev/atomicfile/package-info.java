/**
 * Crash-safe file writes and the clean-up of what crashed writers leave behind.
 *
 * <p>{@link dev.atomicfile.AtomicFileWriter} replaces a file so that readers and crashes only ever
 * see its complete old content or its complete new content; {@link dev.atomicfile.OrphanReaper}
 * deletes the temp files that writers killed mid-write left behind, and never a file a live writer
 * still owns. Events reach an {@link dev.atomicfile.AtomicFileListener}, so metrics and tracing can
 * attach without this package knowing them.
 *
 * <p>This package depends on the JDK, SLF4J and JSpecify only: no Spring, no Micrometer.
 * Parameters and return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.atomicfile;

import org.jspecify.annotations.NullMarked;
