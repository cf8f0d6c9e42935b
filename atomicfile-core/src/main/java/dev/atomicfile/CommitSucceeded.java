package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A commit that replaced all its targets, as reported to {@link AtomicFileListener#onCommit}.
 *
 * @param targets the paths the caller staged, in order
 * @param bytes the size of all the new content in bytes
 * @param duration how long the commit took, from the first staged write to the end
 */
public record CommitSucceeded(List<Path> targets, long bytes, Duration duration) {

	/**
	 * Copies the list of targets.
	 * @param targets the paths the caller staged, in order
	 * @param bytes the size of all the new content in bytes
	 * @param duration how long the commit took
	 */
	public CommitSucceeded {
		targets = List.copyOf(targets);
	}

}
