package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.atomicfile.ReaperRules.LockState;

/**
 * Tests whether a writer still holds the lock on a temp file (or a temp directory's lock file),
 * without ever blocking the pass.
 *
 * <p>A file that was regular when it was listed may be a FIFO by the time it is opened, and
 * {@code open(O_RDONLY)} on a FIFO waits for a writer that may never come. So the file is opened
 * {@code O_RDWR}, which never blocks on Linux. Only where writing is refused (a read-only file or
 * file system) is it opened for reading alone, and then on a helper thread that the pass waits for
 * at most {@link #READ_ONLY_OPEN_TIMEOUT}; a helper stuck in its open is abandoned.
 */
final class ReaperLockProbe {

	/** How long the pass waits for a read-only open before it gives the entry up as failed. */
	static final Duration READ_ONLY_OPEN_TIMEOUT = Duration.ofSeconds(1);

	private static final Set<StandardOpenOption> READ_WRITE = Set.of(StandardOpenOption.READ,
			StandardOpenOption.WRITE);

	private static final Set<StandardOpenOption> READ_ONLY = Set.of(StandardOpenOption.READ);

	/** Daemon threads, so an open stuck for good never keeps the JVM from exiting. */
	private static final ExecutorService openers = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "atomicfile-reaper-open");
		thread.setDaemon(true);
		return thread;
	});

	private ReaperLockProbe() {
	}

	/**
	 * Tests the lock on entry {@code name} of {@code directory}. A free lock is taken (shared) and
	 * kept until the result is closed, so that the entry can be deleted while no writer can start
	 * to own it.
	 * @throws NoSuchFileException if the entry is gone
	 * @throws InterruptedIOException if the thread was interrupted (its status is set again)
	 */
	static Result test(ReaperDirectory directory, Path name) throws IOException {
		FileChannel channel;
		try {
			channel = directory.openChannel(name, READ_WRITE);
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (IOException refused) {
			try {
				channel = openReadOnly(directory, name);
			}
			catch (NoSuchFileException | InterruptedIOException ex) {
				throw ex;
			}
			catch (IOException ex) {
				ex.addSuppressed(refused);
				return new Result(LockState.FAILED, null, "cannot open it: " + ex);
			}
			catch (TimeoutException ex) {
				return new Result(LockState.FAILED, null, "opening it for reading did not return within "
						+ READ_ONLY_OPEN_TIMEOUT.toMillis() + " ms (is it a FIFO?); the open was abandoned");
			}
		}
		try {
			// Shared: needs only read access, and still conflicts with the writer's exclusive lock.
			FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
			if (lock == null) {
				channel.close();
				return new Result(LockState.HELD, null, null);
			}
			return new Result(LockState.FREE, channel, null);
		}
		catch (OverlappingFileLockException ex) {
			// This JVM holds it through another channel: a live owner, whatever the name says.
			channel.close();
			return new Result(LockState.HELD, null, null);
		}
		catch (ClosedChannelException | FileLockInterruptionException ex) {
			channel.close();
			throw interrupted(ex);
		}
		catch (IOException ex) {
			channel.close();
			return new Result(LockState.UNSUPPORTED, null, ex.toString());
		}
	}

	private static FileChannel openReadOnly(ReaperDirectory directory, Path name)
			throws IOException, TimeoutException {
		CompletableFuture<FileChannel> opening = new CompletableFuture<>();
		ReaperDirectory own = directory.duplicate();
		openers.execute(() -> {
			try (own) {
				FileChannel channel = own.openChannel(name, READ_ONLY);
				if (!opening.complete(channel)) {
					// The pass gave up waiting: nobody else will close it.
					channel.close();
				}
			}
			catch (Throwable ex) {
				opening.completeExceptionally(ex);
			}
		});
		try {
			return opening.get(READ_ONLY_OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException(ex.getCause());
		}
		catch (TimeoutException ex) {
			abandon(opening);
			throw ex;
		}
		catch (InterruptedException ex) {
			abandon(opening);
			Thread.currentThread().interrupt();
			throw interrupted(ex);
		}
	}

	/** Gives up on {@code opening}; a channel that arrived in the meantime is closed here. */
	private static void abandon(CompletableFuture<FileChannel> opening) throws IOException {
		if (!opening.completeExceptionally(new TimeoutException()) && !opening.isCompletedExceptionally()) {
			opening.join().close();
		}
	}

	private static InterruptedIOException interrupted(Exception cause) {
		InterruptedIOException interrupted = new InterruptedIOException("interrupted during a lock test");
		interrupted.initCause(cause);
		return interrupted;
	}

	/**
	 * The outcome of one test; when the lock was free, it holds that lock until closed.
	 *
	 * @param state what the test found
	 * @param channel the open, locked channel when the lock was free
	 * @param problem why the lock could not be tested, for the log
	 */
	record Result(LockState state, @Nullable FileChannel channel, @Nullable String problem) implements AutoCloseable {

		@Override
		public void close() throws IOException {
			if (this.channel != null) {
				this.channel.close();
			}
		}

	}

}
