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
 * @param origin whose part of the work failed
 */
public record WriteFailed(Path target, Throwable exception, Duration duration, Origin origin) {

	/** Whose part of a write failed: tells a client that aborted an upload from a full disk. */
	public enum Origin {

		/**
		 * The caller's content: its callback or producer threw (for a reason of its own, such as a
		 * client that aborted an upload), or the text could not be encoded in the charset asked for.
		 */
		CONTENT,

		/**
		 * The file system: creating, writing, syncing or renaming the file failed (no space,
		 * read-only, permissions, a missing directory...), also when the caller's code saw that
		 * failure first and passed it on.
		 */
		FILE_SYSTEM

	}

}
