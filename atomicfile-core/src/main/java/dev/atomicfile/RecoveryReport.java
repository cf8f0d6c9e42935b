package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one {@link CommitRecovery#recover(Path)} pass found and did.
 *
 * @param path the path recovered
 * @param pathExists whether it existed
 * @param records commit records found (one commit may have a record in each of its directories)
 * @param completed commits completed (rolled forward)
 * @param rolledBack commits rolled back (they never reached their commit point)
 * @param keptLive commits left alone because a live process is committing or recovering them
 * @param failed records that could not be settled (each logged at WARN)
 * @param duration how long the pass took
 */
public record RecoveryReport(Path path, boolean pathExists, long records, long completed, long rolledBack,
		long keptLive, long failed, Duration duration) {

	/**
	 * Whether the pass settled or kept everything it found.
	 * @return {@code true} when nothing failed
	 */
	public boolean succeeded() {
		return this.failed == 0;
	}

	/**
	 * The sum of two passes, named after this one's path: for a caller that recovers several paths
	 * and reports them as one.
	 * @param other the other pass
	 * @return the counts and durations added up; the path exists only if both did
	 */
	public RecoveryReport plus(RecoveryReport other) {
		return new RecoveryReport(this.path, this.pathExists && other.pathExists, this.records + other.records,
				this.completed + other.completed, this.rolledBack + other.rolledBack, this.keptLive + other.keptLive,
				this.failed + other.failed, this.duration.plus(other.duration));
	}

}
