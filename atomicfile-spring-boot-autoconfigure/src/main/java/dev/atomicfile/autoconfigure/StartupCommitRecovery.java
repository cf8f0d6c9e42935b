package dev.atomicfile.autoconfigure;

import java.util.Objects;

import dev.atomicfile.RecoveryReport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.context.SmartLifecycle;

/**
 * Settles, once the application context has created its beans, the commits that crashed
 * processes left half done under the configured paths: those past their commit point are
 * completed, the others rolled back. It runs as the first {@link SmartLifecycle} to start
 * ({@link #PHASE}), so before the web server takes requests, before message listeners and
 * schedulers start, and before every {@code ApplicationRunner}, the startup reap of
 * {@link OrphanReaperApplicationRunner} included: no request ever sees a commit half renamed, and
 * the reaper only ever meets settled commits. Beans that read or write committed files while
 * they are created run earlier still; they can call {@link dev.atomicfile.CommitRecovery} first
 * themselves.
 *
 * <p>The pass logs one line: at INFO when it completed, rolled back or failed to settle
 * something, at DEBUG otherwise. A failure, whatever it throws, is logged; it never fails
 * startup, and the records it could not settle stay for the next start.
 */
public class StartupCommitRecovery implements SmartLifecycle {

	/**
	 * The lifecycle phase: far below every phase Spring and Spring Boot use (the web server starts
	 * in {@code Integer.MAX_VALUE - 2048}), with room below for an application's own.
	 */
	public static final int PHASE = Integer.MIN_VALUE + 1000;

	private static final Logger logger = LoggerFactory.getLogger(StartupCommitRecovery.class);

	private final ConfiguredPathsRecovery paths;

	private final @Nullable ReapHistory history;

	private volatile boolean running;

	/**
	 * Creates the startup recovery.
	 * @param paths recovers the configured paths
	 */
	public StartupCommitRecovery(ConfiguredPathsRecovery paths) {
		this(paths, null);
	}

	/**
	 * Creates the startup recovery that records its total when it finishes.
	 * @param paths recovers the configured paths
	 * @param history where the pass's total goes, or {@code null} for nowhere
	 */
	public StartupCommitRecovery(ConfiguredPathsRecovery paths, @Nullable ReapHistory history) {
		this.paths = Objects.requireNonNull(paths, "paths");
		this.history = history;
	}

	/** Recovers every configured path, then returns; the context goes on starting whatever happened. */
	@Override
	public void start() {
		try {
			this.paths.recover().ifPresent(this::log);
		}
		catch (Throwable ex) {
			logger.error("Startup recovery of half-done commits failed; the application starts anyway", ex);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void log(RecoveryReport total) {
		if (this.history != null) {
			this.history.recovered(total);
		}
		boolean news = total.completed() > 0 || total.rolledBack() > 0 || total.failed() > 0;
		logger.atLevel(news ? Level.INFO : Level.DEBUG)
			.log("Startup recovery of {} path(s): found {} commit record(s); completed {} commit(s), rolled back {}; "
					+ "kept {} live; {} failed", this.paths.getPaths().size(), total.records(), total.completed(),
					total.rolledBack(), total.keptLive(), total.failed());
	}

}
