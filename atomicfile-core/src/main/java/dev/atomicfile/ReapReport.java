package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one {@link OrphanReaper#reap(Path)} pass found and did.
 *
 * @param path the path the pass was asked to reap
 * @param pathExists whether that path existed (a missing path is reported, not thrown)
 * @param scanned directory entries looked at
 * @param reaped orphaned temp files and temp directories deleted
 * @param keptLive temp files and directories left alone because a live writer owns them, or may:
 * those of this very process are never opened, whichever copy of the library wrote them
 * @param keptYoung temp files and directories left alone because they are younger than the age
 * that applies to them
 * @param failed entries or directories that could not be read, judged or deleted, and
 * directories named like temp directories that the writer did not make (each logged at WARN)
 * @param bytesReclaimed the total size of the deleted files
 * @param duration how long the pass took
 * @param interrupted whether the pass stopped early because its thread was interrupted; the
 * counts then cover only what it did before
 */
public record ReapReport(Path path, boolean pathExists, long scanned, long reaped, long keptLive, long keptYoung,
		long failed, long bytesReclaimed, Duration duration, boolean interrupted) {

	/**
	 * A report of a pass that ran to its end.
	 * @param path the path the pass was asked to reap
	 * @param pathExists whether that path existed
	 * @param scanned directory entries looked at
	 * @param reaped orphaned temp files and temp directories deleted
	 * @param keptLive temp files and directories left alone because a live writer owns them
	 * @param keptYoung temp files and directories left alone because they are too young
	 * @param failed entries or directories that could not be read, judged or deleted
	 * @param bytesReclaimed the total size of the deleted files
	 * @param duration how long the pass took
	 */
	public ReapReport(Path path, boolean pathExists, long scanned, long reaped, long keptLive, long keptYoung,
			long failed, long bytesReclaimed, Duration duration) {
		this(path, pathExists, scanned, reaped, keptLive, keptYoung, failed, bytesReclaimed, duration, false);
	}

	/**
	 * The sum of two reports, for a summary over several paths.
	 * @param other the report to add
	 * @return a report whose path is this one's and whose counts are both reports' together
	 */
	public ReapReport plus(ReapReport other) {
		return new ReapReport(this.path, this.pathExists && other.pathExists, this.scanned + other.scanned,
				this.reaped + other.reaped, this.keptLive + other.keptLive, this.keptYoung + other.keptYoung,
				this.failed + other.failed, this.bytesReclaimed + other.bytesReclaimed,
				this.duration.plus(other.duration), this.interrupted || other.interrupted);
	}

}
