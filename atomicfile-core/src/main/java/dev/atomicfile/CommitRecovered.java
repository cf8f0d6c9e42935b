package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A commit left behind by a crashed process that {@link CommitRecovery} settled, as reported to
 * {@link AtomicFileListener#onCommitRecovered}.
 *
 * @param record the commit record recovery found first
 * @param targets every target the record names
 * @param outcome how the commit was settled
 * @param duration how long settling it took
 */
public record CommitRecovered(Path record, List<Path> targets, Outcome outcome, Duration duration) {

	/**
	 * Copies the list of targets.
	 * @param record the commit record recovery found first
	 * @param targets every target the record names
	 * @param outcome how the commit was settled
	 * @param duration how long settling it took
	 */
	public CommitRecovered {
		targets = List.copyOf(targets);
	}

	/** How recovery settled a commit. */
	public enum Outcome {

		/** The commit had passed its commit point: its remaining temps were renamed over their targets. */
		COMPLETED,

		/** The commit had not reached its commit point: its temps were deleted, no target changed. */
		ROLLED_BACK

	}

}
