package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An orphaned temp file that {@link OrphanReaper} deleted, as reported to
 * {@link AtomicFileListener#onOrphanReaped}.
 *
 * @param file the deleted file
 * @param bytes its size when it was deleted
 * @param age the time since its last modification
 */
public record OrphanReaped(Path file, long bytes, Duration age) {
}
