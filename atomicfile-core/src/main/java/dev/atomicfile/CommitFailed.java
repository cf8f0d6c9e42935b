package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A commit that failed, as reported to {@link AtomicFileListener#onCommitFailure}.
 *
 * @param targets the paths the caller staged, in order
 * @param exception what the caller receives
 * @param duration how long the commit ran before it failed
 * @param committed whether the commit point had been passed: then {@code exception} is an
 * {@link IncompleteCommitException} and recovery completes the commit; otherwise no target changed
 * @param origin whose part failed: the caller's content (its staging code threw, or a stream
 * callback failed for a reason of its own) or the file system
 */
public record CommitFailed(List<Path> targets, Throwable exception, Duration duration, boolean committed,
		WriteFailed.Origin origin) {

	/**
	 * Copies the list of targets.
	 * @param targets the paths the caller staged, in order
	 * @param exception what the caller receives
	 * @param duration how long the commit ran before it failed
	 * @param committed whether the commit point had been passed
	 * @param origin whose part failed
	 */
	public CommitFailed {
		targets = List.copyOf(targets);
	}

}
