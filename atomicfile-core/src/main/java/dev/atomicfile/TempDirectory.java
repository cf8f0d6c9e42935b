package dev.atomicfile;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private directory in which a {@link TempFileProducer} makes the new content
 * ({@code <name>.tmp.af-…/}, mode 0700, beside the destination).
 *
 * <p>Caller code opens, closes, deletes and recreates its file at will. Were that file the temp
 * itself, every close would drop the writer's fcntl lock, a reaper in another process could then
 * delete it, and a producer that reopened it for appending would commit only its second half. So
 * the lock lives on a file of its own in the directory ({@value TempFileNames#LOCK_FILE_NAME}),
 * which the producer never touches: reapers judge the whole directory by it. The directory's mode
 * also keeps other users away from whatever mode the producer gives its file.
 */
final class TempDirectory {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileWriter.class);

	private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW,
			StandardOpenOption.WRITE);

	private final Path target;

	private final Path directory;

	private final FileChannel lock;

	private final Path content;

	/** The whole mode to give the content once the producer is done; null on a file system without modes. */
	private final @Nullable Integer mode;

	/** The owner and group to give the content, or null to leave the process's. */
	private final Destination.@Nullable Existing owner;

	private TempDirectory(Path target, Path directory, FileChannel lock, Path content, @Nullable Integer mode,
			Destination.@Nullable Existing owner) {
		this.target = target;
		this.directory = directory;
		this.lock = lock;
		this.content = content;
		this.mode = mode;
		this.owner = owner;
	}

	/**
	 * Creates the locked directory and the empty file the producer will fill.
	 * @param target the caller's path, for messages
	 * @param metadata which mode and owner the content gets, whatever the producer gave it
	 */
	static TempDirectory create(Path target, Destination destination, Metadata metadata) throws IOException {
		boolean posix = destination.file().getFileSystem().supportedFileAttributeViews().contains("posix");
		FileAttribute<?>[] privateDirectory = posix ? new FileAttribute<?>[] { TempFile.permissions(0700) }
				: new FileAttribute<?>[0];
		FileAttribute<?>[] privateFile = posix ? new FileAttribute<?>[] { TempFile.permissions(0600) }
				: new FileAttribute<?>[0];
		Integer finalMode = metadata.modeFor(destination.existing());
		boolean umaskMode = posix && finalMode == null;
		for (int attempt = 0; attempt < TempFile.MAX_NAME_ATTEMPTS; attempt++) {
			String suffix = TempFileNames.newSuffix();
			Path directory = destination.tempSibling(suffix);
			try {
				Files.createDirectory(directory, privateDirectory);
			}
			catch (FileAlreadyExistsException ex) {
				continue;
			}
			catch (NoSuchFileException ex) {
				throw TempFile.missingDirectory(target, destination, ex);
			}
			catch (IOException ex) {
				throw IoErrors.naming(target, ex);
			}
			return populate(target, destination, directory, suffix, privateFile, umaskMode ? null : finalMode,
					metadata.ownerFrom(destination.existing()));
		}
		throw new FileAlreadyExistsException(target.toString(), null,
				"no unused temp directory name after " + TempFile.MAX_NAME_ATTEMPTS + " attempts");
	}

	private static TempDirectory populate(Path target, Destination destination, Path directory, String suffix,
			FileAttribute<?>[] privateFile, @Nullable Integer finalMode, Destination.@Nullable Existing owner)
			throws IOException {
		FileChannel lock = null;
		Path current = directory;
		try {
			Path lockFile = current.resolve(TempFileNames.LOCK_FILE_NAME);
			lock = FileChannel.open(lockFile, CREATE, privateFile);
			if (Locks.hold(lock, lockFile, target) == null) {
				Path unlocked = destination.tempSibling(TempFileNames.unlockedVariant(suffix));
				Files.move(current, unlocked, StandardCopyOption.ATOMIC_MOVE);
				current = unlocked;
			}
			// Named like the target: tools that pick a format from the extension still see it.
			// Decodable, so that java.io.File users can open it (see TempFileNames.baseFor).
			String name = String.valueOf(destination.file().getFileName()).replace('\uFFFD', '_');
			Path content = current.resolve(TempFileNames.LOCK_FILE_NAME.equals(name) ? "content" : name);
			// Owner-writable whatever the final mode (a 0444 target must not lock the producer out);
			// the directory keeps others away until the final mode is applied after the producer.
			Integer mode = finalMode;
			boolean posix = privateFile.length > 0;
			if (posix && finalMode == null) {
				// The mode a new file gets here, umask and default ACLs applied, read back from one.
				Files.newByteChannel(content, CREATE).close();
				mode = (Integer) Files.getAttribute(content, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
			}
			else {
				Files.newByteChannel(content, CREATE, privateFile).close();
			}
			return new TempDirectory(target, current, lock, content, mode, owner);
		}
		catch (IOException | RuntimeException | Error ex) {
			if (lock != null) {
				new TempDirectory(target, current, lock, current, null, null).discard(ex);
			}
			else {
				removeQuietly(current, ex);
			}
			if (ex instanceof IOException io) {
				throw IoErrors.naming(target, io);
			}
			throw ex;
		}
	}

	/** Where the producer makes the content. */
	Path contentPath() {
		return this.content;
	}

	/**
	 * Takes back what the producer made: a regular file (not a link, not a directory), opened for
	 * reading, which is enough to fsync and rename it.
	 */
	TempFile takeBack() throws IOException {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(this.content, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			NoSuchFileException missing = new NoSuchFileException(this.content.toString(), this.target.toString(),
					"the TempFileProducer left no file to rename over the target");
			missing.initCause(ex);
			throw missing;
		}
		if (!attributes.isRegularFile()) {
			throw new FileSystemException(this.content.toString(), this.target.toString(),
					"the TempFileProducer left something other than a regular file");
		}
		try {
			if (this.owner != null) {
				Ownership.carryOver(this.content, this.owner.uid(), this.owner.gid());
			}
			// Nobody but this process can enter the directory: a by-path chmod cannot be redirected.
			return TempFile.adopt(this.target, this.content, openContent(), this.mode);
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/**
	 * Opens the content for reading, which fsync needs; a producer that left it unreadable to its
	 * owner (a write-only mode) gets owner-read added, since its final mode comes after anyway.
	 */
	private FileChannel openContent() throws IOException {
		try {
			return FileChannel.open(this.content, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		catch (AccessDeniedException ex) {
			int mode = (Integer) Files.getAttribute(this.content, "unix:mode", LinkOption.NOFOLLOW_LINKS);
			Files.setAttribute(this.content, "unix:mode", (mode & 07777) | 0400);
			return FileChannel.open(this.content, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
	}

	/**
	 * Removes the directory with whatever the producer left in it, lock file last; after a
	 * successful rename a problem here is only logged, since the target already holds the new
	 * content and a reaper removes the rest once the lock is gone.
	 */
	void close() {
		IOException problem = removeAll();
		if (problem != null) {
			logger.warn("Could not remove temp directory {} after writing {}; an OrphanReaper will remove it",
					this.directory, this.target, problem);
		}
	}

	/** {@link #close()} after {@code failure}: a clean-up problem is logged and attached to it. */
	void discard(Throwable failure) {
		IOException problem = removeAll();
		if (problem != null) {
			logger.warn("Could not remove temp directory {} after a failed write of {}; an OrphanReaper will remove it",
					this.directory, this.target, problem);
			failure.addSuppressed(problem);
		}
	}

	private @Nullable IOException removeAll() {
		Path directory = this.directory;
		try {
			if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
				// Renamed away with the target's directory: the lock file's descriptor tells where to.
				Path lockFile = OwnDescriptors
					.whereIs(directory.getFileName().resolve(TempFileNames.LOCK_FILE_NAME));
				if (lockFile != null) {
					directory = lockFile.getParent();
				}
			}
		}
		catch (IOException ex) {
			closeQuietly(ex);
			return ex;
		}
		return removeAll(directory);
	}

	private @Nullable IOException removeAll(Path tempDirectory) {
		Path lockFile = tempDirectory.resolve(TempFileNames.LOCK_FILE_NAME);
		try {
			Files.walkFileTree(tempDirectory, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
						throws IOException {
					makeOwnerWritable(directory);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					if (!file.equals(lockFile)) {
						Files.delete(file);
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path directory, @Nullable IOException failure)
						throws IOException {
					if (failure != null) {
						throw failure;
					}
					if (!directory.equals(tempDirectory)) {
						Files.delete(directory);
					}
					return FileVisitResult.CONTINUE;
				}
			});
			// Unlinked while still locked, so no reaper ever sees an unlocked lock file of a live write.
			Files.deleteIfExists(lockFile);
			this.lock.close();
			Files.delete(tempDirectory);
			return null;
		}
		catch (IOException ex) {
			closeQuietly(ex);
			return ex;
		}
	}

	/**
	 * A producer may leave read-only directories (an extracted archive does): their entries could
	 * not be deleted, by this writer or by any reaper that is not root.
	 */
	private static void makeOwnerWritable(Path directory) throws IOException {
		if (!directory.getFileSystem().supportedFileAttributeViews().contains("unix")) {
			return;
		}
		int mode = (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		if ((mode & 0700) != 0700) {
			Files.setAttribute(directory, "unix:mode", (mode & 07777) | 0700);
		}
	}

	private void closeQuietly(IOException failure) {
		try {
			this.lock.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	private static void removeQuietly(Path directory, Throwable failure) {
		try {
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

}
