package dev.atomicfile.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Reaps the configured paths again every {@code atomicfile.reaper.interval}, on one daemon
 * thread that starts and stops with the application context. A pass that throws anything,
 * {@link Error}s included, is logged and the schedule goes on. Stopping interrupts a running pass
 * and waits for it, at most 10 seconds, so no file is deleted once the context has closed.
 * Each pass logs one line: at INFO when it reaped, failed or was interrupted, at DEBUG otherwise.
 */
public class PeriodicOrphanReaper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicOrphanReaper.class);

	private final ConfiguredPathsReaper paths;

	private final Duration interval;

	private @Nullable ReaperThread thread;

	/**
	 * Creates a periodic reaper; it starts with the application context.
	 * @param paths reaps the configured paths; the first periodic pass waits a whole interval,
	 * since the startup runner has just reaped them
	 * @param interval the time from the end of one pass to the start of the next
	 */
	public PeriodicOrphanReaper(ConfiguredPathsReaper paths, Duration interval) {
		this.paths = Objects.requireNonNull(paths, "paths");
		this.interval = Objects.requireNonNull(interval, "interval");
		if (interval.isZero() || interval.isNegative()) {
			throw new IllegalArgumentException("interval must be positive, was " + interval);
		}
	}

	@Override
	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		ReaperThread started = new ReaperThread("atomicfile-reaper");
		started.scheduleWithFixedDelay(this::pass, this.interval);
		this.thread = started;
	}

	@Override
	public void stop() {
		ReaperThread running;
		synchronized (this) {
			running = this.thread;
			this.thread = null;
		}
		if (running != null) {
			running.shutdown(OrphanReaperApplicationRunner.SHUTDOWN_TIMEOUT);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.thread != null;
	}

	private void pass() {
		this.paths.reap()
			.ifPresent((total) -> PassSummary.log(logger, false, "Periodic", this.paths.getPaths().size(), total, ""));
	}

}
