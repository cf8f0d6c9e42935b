package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

import dev.atomicfile.OrphanReaper;
import dev.atomicfile.ReapReport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Reaps every configured path once the application has started. A reaping problem, whatever it
 * throws, is logged and counted in the summary; it never fails startup, because stale temp files
 * are garbage, not data.
 *
 * <p>A restart can come sooner than {@code min-age} after a crash (a supervisor restarts at once),
 * so the startup pass may keep the dead writer's temp files as too young to judge. Then one more
 * pass runs, on a daemon thread, once they are old enough ({@code min-age} later), and if that
 * one still keeps young files, one last pass once {@code max-age} has passed, for the files only
 * age can judge. No {@code interval} is needed for an orphan of a crash to go. Closing the context
 * interrupts a follow-up pass and waits for it.
 */
public class OrphanReaperApplicationRunner implements ApplicationRunner, DisposableBean {

	/** How long closing the context waits for an interrupted pass to stop. */
	static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	/** Slack after an age limit, for coarse file-system timestamps and clock steps. */
	private static final Duration MARGIN = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaperApplicationRunner.class);

	private final OrphanReaper reaper;

	private final List<Path> paths;

	private final Duration minAge;

	private final Duration maxAge;

	private @Nullable ReaperThread followUps;

	private boolean closed;

	/**
	 * Creates a runner for a reaper with the default ages (10 seconds and 1 hour), which time the
	 * follow-up passes.
	 * @param reaper the reaper to run
	 * @param paths the directories or files to reap
	 */
	public OrphanReaperApplicationRunner(OrphanReaper reaper, List<Path> paths) {
		this(reaper, paths, Duration.ofSeconds(10), Duration.ofHours(1));
	}

	/**
	 * Creates a runner.
	 * @param reaper the reaper to run
	 * @param paths the directories or files to reap
	 * @param minAge the reaper's {@code minAge}: when the startup pass keeps young files, the
	 * first follow-up pass runs this long after it
	 * @param maxAge the reaper's {@code maxAge}: when the first follow-up still keeps young files,
	 * the last runs this long after the startup pass
	 */
	public OrphanReaperApplicationRunner(OrphanReaper reaper, List<Path> paths, Duration minAge, Duration maxAge) {
		this.reaper = Objects.requireNonNull(reaper, "reaper");
		this.paths = List.copyOf(paths);
		this.minAge = Objects.requireNonNull(minAge, "minAge");
		this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			Summary startup = reapAll("Startup");
			if (startup.keptYoung() > 0) {
				Deque<Duration> delays = new ArrayDeque<>();
				delays.add(this.minAge.plus(MARGIN));
				if (this.maxAge.compareTo(this.minAge) > 0) {
					delays.add(this.maxAge.minus(this.minAge));
				}
				scheduleFollowUp(delays);
			}
		}
		catch (Throwable ex) {
			logger.error("Startup reap failed; the application starts anyway", ex);
		}
	}

	/** Interrupts a running follow-up pass and waits for it (bounded); none starts afterwards. */
	@Override
	public void destroy() {
		ReaperThread thread;
		synchronized (this) {
			this.closed = true;
			thread = this.followUps;
			this.followUps = null;
		}
		if (thread != null) {
			thread.shutdown(SHUTDOWN_TIMEOUT);
		}
	}

	private void scheduleFollowUp(Deque<Duration> delays) {
		Duration delay = delays.poll();
		if (delay == null) {
			return;
		}
		synchronized (this) {
			// Scheduled under the lock: destroy() either sees this pass and cancels it, or comes first.
			if (this.closed) {
				return;
			}
			if (this.followUps == null) {
				this.followUps = new ReaperThread("atomicfile-reaper-follow-up");
			}
			logger.info("Kept young temp files; reaping again in {} s, once they are old enough", delay.toSeconds());
			this.followUps.schedule(() -> {
				Summary followUp = reapAll("Follow-up");
				if (followUp.keptYoung() > 0 && !followUp.interrupted()) {
					scheduleFollowUp(delays);
				}
			}, delay);
		}
	}

	/**
	 * Reaps every configured path and logs one summary: at INFO at startup or when the pass did
	 * something, at DEBUG when a later pass found nothing to do. Stops between paths when the
	 * thread is interrupted.
	 * @param occasion what triggered the pass, for the log line
	 * @return the totals of the pass
	 */
	Summary reapAll(String occasion) {
		Summary summary = new Summary();
		for (Path path : this.paths) {
			if (Thread.currentThread().isInterrupted()) {
				summary.interrupted = true;
				break;
			}
			try {
				summary.add(this.reaper.reap(path));
			}
			catch (Throwable ex) {
				// Errors included: a deep tree's StackOverflowError, a listener's AssertionError.
				summary.failed++;
				logger.warn("Reaping {} failed", path, ex);
			}
		}
		summary.interrupted |= Thread.currentThread().isInterrupted();
		if (!this.paths.isEmpty()) {
			boolean quiet = !occasion.equals("Startup") && summary.reaped == 0 && summary.failed == 0;
			logger.atLevel(quiet ? Level.DEBUG : Level.INFO)
				.log("{} reap of {} path(s){}: reaped {} orphaned temp file(s), {} bytes; kept {} live and {} young; "
						+ "{} failed", occasion, this.paths.size(), summary.interrupted ? " (interrupted)" : "",
						summary.reaped, summary.bytes, summary.live, summary.young, summary.failed);
		}
		return summary;
	}

	/** The totals of one pass over every path. */
	static final class Summary {

		private long reaped;

		private long bytes;

		private long live;

		private long young;

		private long failed;

		private boolean interrupted;

		void add(ReapReport report) {
			this.reaped += report.reaped();
			this.bytes += report.bytesReclaimed();
			this.live += report.keptLive();
			this.young += report.keptYoung();
			this.failed += report.failed();
			this.interrupted |= report.interrupted();
		}

		long keptYoung() {
			return this.young;
		}

		boolean interrupted() {
			return this.interrupted;
		}

	}

}
