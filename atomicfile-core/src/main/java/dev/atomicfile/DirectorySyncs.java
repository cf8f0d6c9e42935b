package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Directory fsyncs shared by concurrent writers: one fsync makes every rename that returned before
 * it started durable, so callers that arrive while one runs wait for it to end and then share the
 * next one, which the first of them starts. A caller never joins an fsync already running: that
 * one may have started before its rename, and would prove nothing about it. Group commit, as
 * journaling file systems do it for file fsyncs.
 */
final class DirectorySyncs {

	/** The fsync every writer in this class loader shares. */
	static final DirectorySyncs SHARED = new DirectorySyncs(DirectorySyncs::fsync);

	/** What one directory fsync does; a seam for tests. */
	@FunctionalInterface
	interface SyncAction {

		void sync(Path directory) throws IOException;

	}

	private final SyncAction action;

	private final ConcurrentHashMap<Path, Directory> directories = new ConcurrentHashMap<>();

	DirectorySyncs(SyncAction action) {
		this.action = action;
	}

	/**
	 * Returns once an fsync of {@code directory} that started after this call began has succeeded.
	 * @throws IOException the failure of that fsync, which every caller who shared it receives
	 */
	void sync(Path directory) throws IOException {
		Directory state = this.directories.compute(directory, (path, existing) -> {
			Directory used = (existing != null) ? existing : new Directory();
			used.users++;
			return used;
		});
		try {
			state.syncAfterNow(directory);
		}
		finally {
			this.directories.compute(directory, (path, existing) -> (existing == null || --existing.users == 0) ? null
					: existing);
		}
	}

	/** Callers of {@link #sync} waiting for {@code directory}'s next fsync; for tests. */
	int waitingCallers(Path directory) {
		Directory state = this.directories.get(directory);
		return (state != null) ? state.waiting() : 0;
	}

	/** How many directories have callers at the moment; for tests. */
	int directoriesInUse() {
		return this.directories.size();
	}

	/** One fsync of {@code directory}, shared with nobody. */
	static void fsync(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	/** One directory's fsync rounds: each round is numbered, and remembers how it ended. */
	private final class Directory {

		/** Guarded by the map's compute for the directory. */
		int users;

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition roundEnded = this.lock.newCondition();

		private long started;

		private long lastSucceeded;

		private long lastFailed;

		private @Nullable IOException lastFailure;

		private boolean running;

		private int waiting;

		void syncAfterNow(Path directory) throws IOException {
			boolean interrupted = false;
			this.lock.lock();
			try {
				// Only a round numbered after every round started so far began after this call.
				long needed = this.started + 1;
				while (true) {
					if (this.lastSucceeded >= needed) {
						return;
					}
					if (this.lastFailed >= needed && this.lastFailure != null) {
						throw copyOf(this.lastFailure);
					}
					if (!this.running) {
						InterruptedIOException ownInterrupt = runRound(directory);
						if (ownInterrupt != null) {
							throw ownInterrupt;
						}
						continue;
					}
					this.waiting++;
					try {
						this.roundEnded.await();
					}
					catch (InterruptedException ex) {
						// The round runs on regardless; this caller's rename is done and must be synced.
						interrupted = true;
					}
					finally {
						this.waiting--;
					}
				}
			}
			finally {
				this.lock.unlock();
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

		int waiting() {
			this.lock.lock();
			try {
				return this.waiting;
			}
			finally {
				this.lock.unlock();
			}
		}

		/**
		 * Runs the next round with the lock released, so that new callers queue for the one after.
		 * @return the interrupt of this caller's thread that stopped the round: it fails this caller
		 * alone; the round counts as not run, and the next caller starts another
		 */
		private @Nullable InterruptedIOException runRound(Path directory) {
			long round = ++this.started;
			this.running = true;
			IOException failure = null;
			InterruptedIOException ownInterrupt = null;
			this.lock.unlock();
			try {
				DirectorySyncs.this.action.sync(directory);
			}
			catch (ClosedByInterruptException ex) {
				ownInterrupt = new InterruptedIOException("Interrupted while syncing directory " + directory);
				ownInterrupt.initCause(ex);
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				failure = ex;
			}
			catch (RuntimeException | Error ex) {
				failure = new IOException("Directory fsync of " + directory + " failed", ex);
			}
			finally {
				this.lock.lock();
				this.running = false;
				if (ownInterrupt != null) {
					// Not run: whoever waits starts the next round.
				}
				else if (failure == null) {
					this.lastSucceeded = round;
				}
				else {
					this.lastFailed = round;
					this.lastFailure = failure;
				}
				this.roundEnded.signalAll();
			}
			return ownInterrupt;
		}

		/** Each caller gets an exception of its own: they are thrown on several threads at once. */
		private IOException copyOf(IOException shared) {
			IOException own = (shared instanceof InterruptedIOException) ? new InterruptedIOException(shared.getMessage())
					: new IOException(shared.getMessage());
			own.initCause(shared);
			return own;
		}

	}

}
