package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A write that failed, as reported to {@link AtomicFileListener#onWriteFailure}. Unless
 * {@link AtomicFileWriter} documents otherwise for the failed step, the target is unchanged and the
 * temp file is gone.
 *
 * @param target the path the caller passed to the writer
 * @param exception what the caller receives
 * @param duration how long the write ran before it failed
 */
public record WriteFailed(Path target, Throwable exception, Duration duration) {
}
