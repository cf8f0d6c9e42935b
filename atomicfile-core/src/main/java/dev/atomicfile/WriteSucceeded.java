package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A write that replaced its target, as reported to {@link AtomicFileListener#onWrite}.
 *
 * @param target the path the caller passed to the writer
 * @param bytes the size of the new content in bytes
 * @param duration how long the whole write took, fsyncs included
 */
public record WriteSucceeded(Path target, long bytes, Duration duration) {
}
