package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-flight temp file: created exclusively, locked while it is ours, then either renamed over
 * the destination or discarded. Every failure names the caller's target.
 *
 * <p>The channel, and with it the fcntl lock that tells reapers in other processes that this file
 * is alive, stays open through the rename: closing first would open a window in which a reaper
 * could take the lock, judge the writer dead and delete the file.
 */
final class TempFile {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileWriter.class);

	private static final int MAX_NAME_ATTEMPTS = 100;

	private static final int MAX_WRITE_BYTES = 64 * 1024;

	private final Path target;

	private final Path path;

	private final String name;

	private @Nullable FileChannel channel;

	private boolean renamed;

	private @Nullable Set<PosixFilePermission> permissions;

	private TempFile(Path target, Path path, String name, FileChannel channel) {
		this.target = target;
		this.path = path;
		this.name = name;
		this.channel = channel;
	}

	/**
	 * Creates a new, empty, locked temp sibling of {@code destination}.
	 * @param target the caller's path, for messages
	 */
	static TempFile create(Path target, Destination destination) throws IOException {
		Path directory = destination.directory();
		for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
			String name = TempFileNames.newTempName(destination.fileName());
			Path path = directory.resolve(name);
			// Listed before it exists, so an in-process reaper can never open it.
			InFlightTempFiles.register(name);
			FileChannel channel;
			try {
				channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			}
			catch (FileAlreadyExistsException ex) {
				InFlightTempFiles.unregister(name);
				continue;
			}
			catch (NoSuchFileException ex) {
				InFlightTempFiles.unregister(name);
				NoSuchFileException missing = new NoSuchFileException(directory.toString(), null,
						"the directory of " + target + " does not exist");
				missing.initCause(ex);
				throw missing;
			}
			catch (IOException ex) {
				InFlightTempFiles.unregister(name);
				throw IoErrors.naming(target, ex);
			}
			catch (RuntimeException ex) {
				InFlightTempFiles.unregister(name);
				throw ex;
			}
			TempFile temp = new TempFile(target, path, name, channel);
			try {
				temp.lock(channel);
			}
			catch (IOException | RuntimeException | Error ex) {
				temp.discard(ex);
				throw ex;
			}
			return temp;
		}
		throw new FileAlreadyExistsException(target.toString(), null,
				"no unused temp file name after " + MAX_NAME_ATTEMPTS + " attempts");
	}

	Path path() {
		return this.path;
	}

	void setPermissions(Set<PosixFilePermission> permissions) throws IOException {
		this.permissions = permissions;
		try {
			Files.setPosixFilePermissions(this.path, permissions);
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/**
	 * Writes {@code content} in slices of at most {@value #MAX_WRITE_BYTES} bytes: a channel copies
	 * a heap buffer into a temporary direct buffer of its whole size, and caches that buffer per
	 * thread, so one large write would cost (and keep) direct memory of its own size.
	 */
	void write(ByteBuffer content) throws IOException {
		FileChannel open = openChannel();
		try {
			while (content.hasRemaining()) {
				ByteBuffer slice = content.slice();
				slice.limit(Math.min(slice.remaining(), MAX_WRITE_BYTES));
				content.position(content.position() + open.write(slice));
			}
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/** Flushes the content to stable storage (fsync). */
	void force() throws IOException {
		try {
			openChannel().force(true);
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	long size() throws IOException {
		try {
			return openChannel().size();
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/**
	 * Closes the channel so that caller code can own the file by path. This drops the lock (fcntl
	 * locks belong to the process, and the caller's own close would drop it anyway): until
	 * {@link #reopen()}, only {@code minAge} and the file's fresh mtime protect it from reapers in
	 * other processes; reapers in this JVM skip it throughout.
	 */
	void handOver() throws IOException {
		FileChannel open = openChannel();
		this.channel = null;
		try {
			open.close();
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/**
	 * Takes the file back after {@link #handOver()}, whatever the caller did to it meanwhile; a
	 * producer that created the file anew gets the permissions set again.
	 */
	void reopen() throws IOException {
		FileChannel reopened;
		try {
			reopened = FileChannel.open(this.path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			NoSuchFileException missing = new NoSuchFileException(this.path.toString(), this.target.toString(),
					"the TempFileProducer left no file to rename over the target");
			missing.initCause(ex);
			throw missing;
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
		this.channel = reopened;
		lock(reopened);
		if (this.permissions != null) {
			setPermissions(this.permissions);
		}
	}

	/** Renames the temp file over {@code destination}; never falls back to a non-atomic move. */
	void moveTo(Path destination) throws IOException {
		try {
			Files.move(this.path, destination, StandardCopyOption.ATOMIC_MOVE);
			this.renamed = true;
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/** Closes the channel, releasing the lock; the file itself stays. */
	void close() throws IOException {
		FileChannel open = this.channel;
		this.channel = null;
		InFlightTempFiles.unregister(this.name);
		if (open != null) {
			try {
				open.close();
			}
			catch (IOException ex) {
				throw IoErrors.naming(this.target, ex);
			}
		}
	}

	/**
	 * Cleans up after {@code failure}: closes the channel and deletes the file unless it was already
	 * renamed. A clean-up problem is logged and attached to {@code failure}, never thrown instead.
	 */
	void discard(Throwable failure) {
		try {
			close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
		if (this.renamed) {
			return;
		}
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not delete temp file {} after a failed write of {}; an OrphanReaper will remove it",
					this.path, this.target, ex);
			failure.addSuppressed(ex);
		}
	}

	private FileChannel openChannel() throws IOException {
		FileChannel open = this.channel;
		if (open == null) {
			throw new IllegalStateException("Temp file " + this.path + " is not open");
		}
		return open;
	}

	private void lock(FileChannel open) throws IOException {
		try {
			// Blocks only while a reaper holds its brief test lock on this brand-new file.
			open.lock();
		}
		catch (ClosedByInterruptException | FileLockInterruptionException ex) {
			throw IoErrors.naming(this.target, ex);
		}
		catch (IOException ex) {
			// No locks on this file system (some FUSE and network mounts): the write still works,
			// and reapers fall back to judging the file by maxAge.
			logger.debug("Cannot lock temp file {}; reapers will judge it by age alone", this.path, ex);
		}
	}

}
