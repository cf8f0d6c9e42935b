package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one {@link OrphanReaper#reap(Path)} pass found and did.
 *
 * @param path the path the pass was asked to reap
 * @param pathExists whether that path existed (a missing path is reported, not thrown)
 * @param scanned directory entries looked at
 * @param reaped orphaned temp files deleted
 * @param keptLive temp files left alone because a live writer owns them
 * @param keptYoung temp files left alone because they are younger than the age that applies to them
 * @param failed entries or directories that could not be read, judged or deleted (each logged at WARN)
 * @param bytesReclaimed the total size of the deleted files
 * @param duration how long the pass took
 */
public record ReapReport(Path path, boolean pathExists, long scanned, long reaped, long keptLive, long keptYoung,
		long failed, long bytesReclaimed, Duration duration) {

	/**
	 * The sum of two reports, for a summary over several paths.
	 * @param other the report to add
	 * @return a report whose path is this one's and whose counts are both reports' together
	 */
	public ReapReport plus(ReapReport other) {
		return new ReapReport(this.path, this.pathExists && other.pathExists, this.scanned + other.scanned,
				this.reaped + other.reaped, this.keptLive + other.keptLive, this.keptYoung + other.keptYoung,
				this.failed + other.failed, this.bytesReclaimed + other.bytesReclaimed,
				this.duration.plus(other.duration));
	}

}
