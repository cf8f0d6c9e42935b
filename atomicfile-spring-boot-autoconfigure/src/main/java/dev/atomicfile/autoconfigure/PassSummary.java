package dev.atomicfile.autoconfigure;

import dev.atomicfile.ReapReport;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The one line a pass over the configured paths logs, whoever ran it: at INFO when it is news,
 * at DEBUG otherwise, so that a periodic reaper over clean directories stays quiet.
 */
final class PassSummary {

	private PassSummary() {
	}

	/**
	 * Whether a pass is news on its own: it reaped, failed or was cut short. A pass that kept
	 * everything is news only when the caller says so (at startup, or when another pass follows).
	 */
	static boolean isNews(ReapReport total) {
		return total.reaped() > 0 || total.failed() > 0 || total.interrupted();
	}

	/**
	 * Logs the summary of a pass.
	 * @param logger the logger of whoever ran the pass
	 * @param atInfo whether to log at INFO even when the pass is no {@link #isNews news}
	 * @param pass what ran it: {@code Startup}, {@code Follow-up} or {@code Periodic}
	 * @param paths how many paths the pass was to reap
	 * @param total what it did over all of them
	 * @param then what happens next, appended to the line; empty for nothing
	 */
	static void log(Logger logger, boolean atInfo, String pass, int paths, ReapReport total, String then) {
		logger.atLevel((atInfo || isNews(total)) ? Level.INFO : Level.DEBUG)
			.log("{} reap of {} path(s){}: reaped {} orphaned temp file(s), {} bytes; kept {} live and {} young; "
					+ "{} failed{}", pass, paths, total.interrupted() ? " (interrupted)" : "", total.reaped(),
					total.bytesReclaimed(), total.keptLive(), total.keptYoung(), total.failed(), then);
	}

}
