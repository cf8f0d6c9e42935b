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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Reaps the configured paths once the application has started, and logs one INFO line for the
 * pass. A reaping problem, whatever it throws, is logged and counted in that line; it never fails
 * startup, because stale temp files are garbage, not data.
 *
 * <p>A restart can come sooner than {@code min-age} after a crash (a supervisor restarts at once),
 * so the startup pass may keep the dead writer's temp files as too young to judge. Then one more
 * pass runs, on a daemon thread, once they are old enough ({@code min-age} later), and if that
 * one still keeps young files, one last pass once {@code max-age} has passed, for the files only
 * age can judge. The reaper's own {@code minAge} and {@code maxAge} time them, whatever set them.
 * No {@code interval} is needed for an orphan of a crash to go. Closing the context interrupts a
 * follow-up pass and waits for it.
 */
public class OrphanReaperApplicationRunner implements ApplicationRunner, DisposableBean {

	/** How long closing the context waits for an interrupted pass to stop. */
	static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	/** Slack after an age limit, for coarse file-system timestamps and clock steps. */
	private static final Duration MARGIN = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaperApplicationRunner.class);

	private final ConfiguredPathsReaper paths;

	private @Nullable ReaperThread followUps;

	private boolean closed;

	/**
	 * Creates a runner that reaps the given paths.
	 * @param reaper the reaper to run
	 * @param paths the directories or files to reap
	 */
	public OrphanReaperApplicationRunner(OrphanReaper reaper, List<Path> paths) {
		this(new ConfiguredPathsReaper(reaper, paths));
	}

	/**
	 * Creates a runner.
	 * @param paths reaps the configured paths, at startup and in the follow-up passes
	 */
	public OrphanReaperApplicationRunner(ConfiguredPathsReaper paths) {
		this.paths = Objects.requireNonNull(paths, "paths");
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			Deque<Duration> followUpDelays = new ArrayDeque<>();
			OrphanReaper reaper = this.paths.getReaper();
			followUpDelays.add(reaper.minAge().plus(MARGIN));
			if (reaper.maxAge().compareTo(reaper.minAge()) > 0) {
				followUpDelays.add(reaper.maxAge().minus(reaper.minAge()));
			}
			pass("Startup", true, followUpDelays);
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

	/**
	 * Reaps every path, schedules the next follow-up when young files were kept, and logs one line
	 * that says both: at INFO at startup, when another pass follows, or when the pass reaped,
	 * failed or was interrupted; at DEBUG otherwise.
	 */
	private void pass(String name, boolean startup, Deque<Duration> followUpDelays) {
		ReapReport total = this.paths.reap().orElse(null);
		if (total == null) {
			return;
		}
		Duration next = (total.keptYoung() > 0 && !total.interrupted()) ? scheduleFollowUp(followUpDelays) : null;
		PassSummary.log(logger, startup || next != null, name, this.paths.getPaths().size(), total,
				(next != null) ? "; reaping again in " + next.toSeconds() + " s, once the young ones are old enough"
						: "");
	}

	/** @return the delay of the scheduled pass, or {@code null} when none is left or the context closed */
	private @Nullable Duration scheduleFollowUp(Deque<Duration> delays) {
		Duration delay = delays.poll();
		if (delay == null) {
			return null;
		}
		synchronized (this) {
			// Scheduled under the lock: destroy() either sees this pass and cancels it, or comes first.
			if (this.closed) {
				return null;
			}
			if (this.followUps == null) {
				this.followUps = new ReaperThread("atomicfile-reaper-follow-up");
			}
			this.followUps.schedule(() -> pass("Follow-up", false, delays), delay);
			return delay;
		}
	}

}
