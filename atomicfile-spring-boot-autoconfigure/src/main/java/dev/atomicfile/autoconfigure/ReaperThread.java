package dev.atomicfile.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs reaping passes later or repeatedly. A pass that throws anything,
 * {@link Error}s included, is logged and never ends the schedule; {@link #shutdown} interrupts a
 * running pass (a pass stops promptly when interrupted) and waits for it, so that no file is
 * deleted after the application context has closed.
 */
final class ReaperThread {

	private static final Logger logger = LoggerFactory.getLogger(ReaperThread.class);

	private final ScheduledThreadPoolExecutor executor;

	ReaperThread(String name) {
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
	}

	void schedule(Runnable pass, Duration delay) {
		this.executor.schedule(guarded(pass), nanos(delay), TimeUnit.NANOSECONDS);
	}

	void scheduleWithFixedDelay(Runnable pass, Duration delay) {
		long nanos = nanos(delay);
		this.executor.scheduleWithFixedDelay(guarded(pass), nanos, nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Cancels every pass not yet started, interrupts the running one and waits for it to end.
	 * @param timeout how long to wait at most; a pass still running then is logged and left to
	 * end on its own (its thread is a daemon)
	 * @return whether no pass is running any more
	 */
	boolean shutdown(Duration timeout) {
		this.executor.shutdownNow();
		try {
			if (this.executor.awaitTermination(nanos(timeout), TimeUnit.NANOSECONDS)) {
				return true;
			}
			logger.warn("A reaping pass did not stop within {} of its interrupt; shutdown goes on without it", timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return false;
	}

	private static Runnable guarded(Runnable pass) {
		return () -> {
			try {
				pass.run();
			}
			catch (Throwable ex) {
				// Never let one bad pass, whatever it threw, cancel the schedule.
				logger.error("Reaping pass failed", ex);
			}
		};
	}

	/** Durations too long for nanoseconds (centuries) mean "never" to the executor anyway. */
	static long nanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

}
