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
 */
public record CommitFailed(List<Path> targets, Throwable exception, Duration duration, boolean committed) {

	/**
	 * Copies the list of targets.
	 * @param targets the paths the caller staged, in order
	 * @param exception what the caller receives
	 * @param duration how long the commit ran before it failed
	 * @param committed whether the commit point had been passed
	 */
	public CommitFailed {
		targets = List.copyOf(targets);
	}

}
