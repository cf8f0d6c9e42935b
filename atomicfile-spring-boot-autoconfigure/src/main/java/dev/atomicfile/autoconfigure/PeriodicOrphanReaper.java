package dev.atomicfile.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Reaps the configured paths again every {@code atomicfile.reaper.interval}, on one daemon
 * thread that starts and stops with the application context.
 */
class PeriodicOrphanReaper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicOrphanReaper.class);

	private final OrphanReaperApplicationRunner runner;

	private final Duration interval;

	private @Nullable ScheduledExecutorService executor;

	PeriodicOrphanReaper(OrphanReaperApplicationRunner runner, Duration interval) {
		this.runner = runner;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "atomicfile-reaper");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		// The startup runner has just reaped; the first periodic pass waits a whole interval.
		started.scheduleWithFixedDelay(this::reap, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = started;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService running = this.executor;
		this.executor = null;
		if (running != null) {
			running.shutdownNow();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private void reap() {
		try {
			this.runner.reapAll("Periodic");
		}
		catch (RuntimeException ex) {
			// Never let one bad pass cancel the schedule.
			logger.warn("Periodic reap failed", ex);
		}
	}

}
