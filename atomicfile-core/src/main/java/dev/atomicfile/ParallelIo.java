package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs blocking file system calls (fsyncs) on many files at once, at most a given number at a time.
 * The calls wait on the device, not the CPU, and a journaling file system folds concurrent fsyncs
 * into one journal commit: a hundred files synced sixteen at a time cost a few flushes, not a
 * hundred. The threads are daemons, shared by every writer in the class loader, created on demand
 * and gone after a minute of rest, so an idle application holds none.
 */
final class ParallelIo {

	private static final AtomicInteger threadNumber = new AtomicInteger();

	private static final ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
			new SynchronousQueue<>(), (task) -> {
				Thread thread = new Thread(task, "atomicfile-fsync-" + threadNumber.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			});

	/** One call on one item. */
	@FunctionalInterface
	interface IoAction<T> {

		void run(T item) throws IOException;

	}

	private ParallelIo() {
	}

	/**
	 * Runs {@code action} on every item, at most {@code parallelism} at a time, the calling thread
	 * included; returns when every call has ended. An interrupt does not cut the calls short (a
	 * half-done batch of fsyncs is worth nothing), it is reported once they have ended.
	 * @throws IOException the first failure, with the others suppressed; an
	 * {@link InterruptedIOException} if the calling thread was interrupted meanwhile
	 */
	static <T> void forEach(List<T> items, int parallelism, IoAction<T> action) throws IOException {
		int helpers = Math.min(parallelism, items.size()) - 1;
		AtomicInteger next = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Runnable worker = () -> {
			for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
				try {
					action.run(items.get(i));
				}
				catch (Throwable ex) {
					if (!failure.compareAndSet(null, ex)) {
						failure.get().addSuppressed(ex);
					}
				}
			}
		};
		CountDownLatch helpersDone = new CountDownLatch(Math.max(helpers, 0));
		for (int h = 0; h < helpers; h++) {
			try {
				threads.execute(() -> {
					try {
						worker.run();
					}
					finally {
						helpersDone.countDown();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// No thread to be had: the calling thread does the helper's share.
				helpersDone.countDown();
			}
		}
		boolean wasInterrupted = Thread.interrupted();
		worker.run();
		wasInterrupted |= awaitUninterruptibly(helpersDone);
		if (wasInterrupted) {
			Thread.currentThread().interrupt();
		}
		Throwable first = failure.get();
		if (first instanceof IOException io) {
			throw io;
		}
		if (first instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (first instanceof Error error) {
			throw error;
		}
		if (wasInterrupted) {
			throw new InterruptedIOException("Interrupted while syncing files");
		}
	}

	/** @return whether the thread was interrupted while it waited */
	private static boolean awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				latch.await();
				return interrupted;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
	}

}
