package dev.atomicfile;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the lock by which a writer tells reapers in every process that its temp file is alive.
 */
final class Locks {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileWriter.class);

	/** File systems already reported as lockless, so that each is reported once, not once per write. */
	private static final Set<Object> locklessFileSystems = ConcurrentHashMap.newKeySet();

	private Locks() {
	}

	/**
	 * Locks {@code channel} exclusively for as long as it stays open.
	 * @param path the locked file, for messages
	 * @param target the caller's target, for messages
	 * @return the lock, or {@code null} if this file system refused it (some FUSE and network mounts,
	 * or a transient ENOLCK): the caller must then mark the temp as unlocked, or a reaper elsewhere
	 * would take it for a dead writer's
	 * @throws IOException only if the thread was interrupted
	 */
	static @Nullable FileLock hold(FileChannel channel, Path path, Path target) throws IOException {
		try {
			// Blocks only while a reaper holds its brief test lock on this brand-new file.
			return channel.lock();
		}
		catch (ClosedByInterruptException | FileLockInterruptionException ex) {
			throw IoErrors.naming(target, ex);
		}
		catch (IOException ex) {
			warnOnce(path, ex);
			return null;
		}
		catch (OverlappingFileLockException ex) {
			// This JVM's lock table already has the file: code in this process holds a lock on it.
			// The writer cannot prove liveness with a lock of its own, so it marks the temp unlocked.
			warnOnce(path, new IOException("already locked in this JVM", ex));
			return null;
		}
	}

	private static void warnOnce(Path path, IOException failure) {
		Object fileSystem;
		try {
			FileStore store = Files.getFileStore(path);
			fileSystem = store;
		}
		catch (IOException ex) {
			fileSystem = String.valueOf(path.getParent());
		}
		if (locklessFileSystems.add(fileSystem)) {
			logger.warn("Cannot lock temp files on {} ({}): they are marked unlocked, and reapers delete them only"
					+ " after max-age", fileSystem, failure.toString());
		}
		else {
			logger.debug("Cannot lock temp file {}; marked unlocked", path, failure);
		}
	}

}
