package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * A commit replica opened by recovery: locked when nobody else holds it, and read through the
 * same descriptor (closing a second one would drop the lock, which belongs to the process).
 */
final class CommitReplicaLock implements AutoCloseable {

	/** Far above any real record (a hundred thousand targets take a few megabytes). */
	private static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

	private final Path path;

	private final @Nullable FileChannel channel;

	private CommitReplicaLock(Path path, @Nullable FileChannel channel) {
		this.path = path;
		this.channel = channel;
	}

	/**
	 * Opens and locks the replica at {@code path}.
	 * @return {@code null} if there is no regular file there
	 * @throws IOException if it cannot be opened or locked
	 */
	static @Nullable CommitReplicaLock open(Path path) throws IOException {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		if (!attributes.isRegularFile()) {
			return null;
		}
		FileChannel channel;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		try {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				channel.close();
				return new CommitReplicaLock(path, null);
			}
		}
		catch (OverlappingFileLockException ex) {
			// This JVM holds it: a live committer or recovery here.
			channel.close();
			return new CommitReplicaLock(path, null);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
		return new CommitReplicaLock(path, channel);
	}

	/** Whether a live process holds the replica. */
	boolean heldByOthers() {
		return this.channel == null;
	}

	Path path() {
		return this.path;
	}

	/** The replica's bytes; an oversized one reads as empty, which no record parses. */
	byte[] read() throws IOException {
		FileChannel open = this.channel;
		if (open == null) {
			throw new IllegalStateException("Not locked: " + this.path);
		}
		long size = open.size();
		if (size > MAX_RECORD_BYTES) {
			return new byte[0];
		}
		ByteBuffer content = ByteBuffer.allocate((int) size);
		while (content.hasRemaining() && open.read(content, content.position()) > 0) {
			// Positional reads until the size read at the start.
		}
		return content.array();
	}

	/** Deletes the replica, still under the lock. */
	void delete() throws IOException {
		Files.deleteIfExists(this.path);
	}

	@Override
	public void close() throws IOException {
		if (this.channel != null) {
			this.channel.close();
		}
	}

}
