package dev.atomicfile;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per path for writers asked to serialise their writes: fair, so writes to one path run in
 * the order they arrived; held only while some write uses it, so the map never grows with the
 * number of paths ever written.
 */
final class PathLocks {

	static final PathLocks SHARED = new PathLocks();

	private final ConcurrentHashMap<Path, Entry> locks = new ConcurrentHashMap<>();

	/** A held lock; {@link #close()} releases it. */
	interface Held extends AutoCloseable {

		@Override
		void close();

	}

	/** Held when writes are not serialised. */
	static final Held NONE = () -> {
	};

	/**
	 * Waits (uninterruptibly: a write must not fail because another one is slow) until no other
	 * write to {@code path} holds its lock, then holds it.
	 * @param path compared as given: absolute and normalized by the caller
	 */
	Held lock(Path path) {
		Entry entry = this.locks.compute(path, (key, existing) -> {
			Entry used = (existing != null) ? existing : new Entry();
			used.users++;
			return used;
		});
		entry.lock.lock();
		return () -> {
			entry.lock.unlock();
			this.locks.compute(path, (key, existing) -> (existing == null || --existing.users == 0) ? null : existing);
		};
	}

	/** How many writes wait for {@code path}'s lock; for tests. */
	int queued(Path path) {
		Entry entry = this.locks.get(path);
		return (entry != null) ? entry.lock.getQueueLength() : 0;
	}

	/** How many paths have a lock at the moment; for tests. */
	int pathsInUse() {
		return this.locks.size();
	}

	private static final class Entry {

		/** Guarded by the map's compute for the path. */
		int users;

		final ReentrantLock lock = new ReentrantLock(true);

	}

}
