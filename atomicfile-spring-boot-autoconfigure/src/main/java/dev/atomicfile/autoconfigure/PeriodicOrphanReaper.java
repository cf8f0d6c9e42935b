package dev.atomicfile.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Reaps the configured paths again every {@code atomicfile.reaper.interval}, on one daemon
 * thread that starts and stops with the application context. A pass that throws anything,
 * {@link Error}s included, is logged and the schedule goes on. Stopping interrupts a running pass
 * and waits for it, at most 10 seconds, so no file is deleted once the context has closed.
 * Passes that find nothing to do log at DEBUG only.
 */
public class PeriodicOrphanReaper implements SmartLifecycle {

	private final OrphanReaperApplicationRunner runner;

	private final Duration interval;

	private @Nullable ReaperThread thread;

	/**
	 * Creates a periodic reaper; it starts with the application context.
	 * @param runner reaps the configured paths; the first periodic pass waits a whole interval,
	 * since the runner has just reaped at startup
	 * @param interval the time from the end of one pass to the start of the next
	 */
	public PeriodicOrphanReaper(OrphanReaperApplicationRunner runner, Duration interval) {
		this.runner = Objects.requireNonNull(runner, "runner");
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
		started.scheduleWithFixedDelay(() -> this.runner.reapAll("Periodic"), this.interval);
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

}
