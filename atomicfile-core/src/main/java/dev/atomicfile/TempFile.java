package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file whose content is being prepared: created exclusively, then either renamed over the
 * destination or discarded. Every failure names the caller's target.
 *
 * <p>The channel, and with it the fcntl lock that tells reapers in other processes that this file
 * is alive, stays open through the rename: closing first would open a window in which a reaper
 * could take the lock, judge the writer dead and delete the file.
 */
final class TempFile {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileWriter.class);

	static final int MAX_NAME_ATTEMPTS = 100;

	private static final int MAX_WRITE_BYTES = 64 * 1024;

	/** Readable too, so that a {@link PendingFile} can read back through the one descriptor it holds. */
	private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW,
			StandardOpenOption.WRITE, StandardOpenOption.READ);

	private static final PosixFilePermission[] PERMISSION_BITS = { PosixFilePermission.OTHERS_EXECUTE,
			PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ };

	private final Path target;

	private final Path path;

	private @Nullable FileChannel channel;

	/** The whole mode to set after the content, when creation could not give it. */
	private final @Nullable Integer pendingMode;

	/** Whether that chmod must not follow a link someone may have planted in the temp's place. */
	private final boolean chmodWithoutFollowing;

	private boolean renamed;

	/** The CRC-32C of everything written so far, when asked for (a commit records it for recovery). */
	private @Nullable CRC32C checksum;

	private TempFile(Path target, Path path, FileChannel channel, @Nullable Integer pendingMode,
			boolean chmodWithoutFollowing) {
		this.target = target;
		this.path = path;
		this.channel = channel;
		this.pendingMode = pendingMode;
		this.chmodWithoutFollowing = chmodWithoutFollowing;
	}

	/**
	 * Creates a new, empty, locked temp sibling of the destination, born with the existing file's
	 * permission bits (the umask can only narrow them) and given its owner and group before the
	 * first byte: its content is never readable more widely than the final file's. (In a setgid
	 * directory a new file takes the directory's group, which may be wider.)
	 * @param target the caller's path, for messages
	 * @param metadata which mode and owner the file gets
	 */
	static TempFile create(Path target, Destination destination, Metadata metadata) throws IOException {
		return create(target, destination, metadata, null);
	}

	/**
	 * As {@link #create(Path, Destination, Metadata)}, named with {@code suffix} when given (the
	 * temps of one commit share theirs, which names the commit's record), else a fresh one.
	 */
	static TempFile create(Path target, Destination destination, Metadata metadata, @Nullable String suffix)
			throws IOException {
		Destination.Existing existing = destination.existing();
		Integer finalMode = metadata.modeFor(existing);
		FileAttribute<?>[] mode = (finalMode != null) ? new FileAttribute<?>[] { permissions(finalMode) }
				: new FileAttribute<?>[0];
		Integer pendingMode = (finalMode != null && Modes.needsChmodAfterCreation(finalMode)) ? finalMode : null;
		Destination.Existing owner = metadata.ownerFrom(existing);
		for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
			String name = (suffix != null) ? suffix : TempFileNames.newSuffix();
			Path path = destination.tempSibling(name);
			FileChannel channel;
			try {
				channel = FileChannel.open(path, CREATE, mode);
			}
			catch (FileAlreadyExistsException ex) {
				if (suffix != null) {
					// Nobody else makes names with this process's token: someone planted it.
					throw IoErrors.naming(target, ex);
				}
				continue;
			}
			catch (NoSuchFileException ex) {
				throw missingDirectory(target, destination, ex);
			}
			catch (IOException ex) {
				throw IoErrors.naming(target, ex);
			}
			TempFile temp = new TempFile(target, path, channel, pendingMode, Ownership.isPrivileged());
			try {
				if (Locks.hold(channel, path, target) == null) {
					temp = temp.markedUnlocked(destination.tempSibling(TempFileNames.unlockedVariant(name)));
				}
				if (owner != null) {
					Ownership.carryOver(temp.path, owner.uid(), owner.gid());
				}
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

	/**
	 * Takes over a file someone else created and filled (a {@link TempFileProducer}'s, in a private
	 * directory nobody else can enter), open for reading: enough to fsync and rename it.
	 * @param mode the whole mode to give it after all, or {@code null} to leave its mode
	 */
	static TempFile adopt(Path target, Path path, FileChannel channel, @Nullable Integer mode) {
		return new TempFile(target, path, channel, mode, false);
	}

	static NoSuchFileException missingDirectory(Path target, Destination destination, NoSuchFileException cause) {
		NoSuchFileException missing = new NoSuchFileException(destination.directory().toString(), null,
				"the directory of " + target + " does not exist");
		missing.initCause(cause);
		return missing;
	}

	/** {@code mode}'s permission bits (special bits cannot be given at creation) as a creation attribute. */
	static FileAttribute<Set<PosixFilePermission>> permissions(int mode) {
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		for (int bit = 0; bit < PERMISSION_BITS.length; bit++) {
			if ((mode & (1 << bit)) != 0) {
				permissions.add(PERMISSION_BITS[bit]);
			}
		}
		return PosixFilePermissions.asFileAttribute(permissions);
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
				int written = open.write(slice);
				if (this.checksum != null) {
					this.checksum.update(content.slice().limit(written));
				}
				content.position(content.position() + written);
			}
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/**
	 * Gives the file its whole mode, special bits included, when creation could not. After the
	 * content: a write by an unprivileged process clears setuid and setgid.
	 */
	void applyMode() throws IOException {
		Integer mode = this.pendingMode;
		if (mode == null) {
			return;
		}
		try {
			if (this.chmodWithoutFollowing) {
				OwnDescriptors.chmod(this.path, mode);
			}
			else {
				// chmod(2) by path: the JDK's no-follow variant opens and closes the file to fchmod it,
				// and that close would drop this process's lock on it.
				Files.setAttribute(this.path, "unix:mode", mode);
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

	/** Keeps a CRC-32C of the content from now on: call before the first byte. */
	void keepChecksum() {
		this.checksum = new CRC32C();
	}

	/** The CRC-32C of the content written, if {@link #keepChecksum()} was called before it. */
	long checksum() {
		CRC32C kept = this.checksum;
		if (kept == null) {
			throw new IllegalStateException("No checksum was kept for " + this.path);
		}
		return kept.getValue();
	}

	/** Where the file is now. */
	Path path() {
		return this.path;
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
	 * Renames the temp file over {@code destination}; never falls back to a non-atomic move. Where
	 * an open file cannot be renamed (Windows) it is closed first.
	 */
	void moveTo(Path destination) throws IOException {
		if (!Platform.canRenameOpenFiles()) {
			close();
		}
		try {
			Files.move(this.path, destination, StandardCopyOption.ATOMIC_MOVE);
			this.renamed = true;
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/**
	 * Gives the content the name {@code destination} only if nothing has that name, decided by the
	 * file system in one step ({@code link(2)} refuses an existing name), then removes the temp's
	 * own name. A crash in between leaves the temp name beside the new file, both on one inode:
	 * a reaper deleting the temp name takes nothing from the file.
	 * @throws java.nio.file.FileAlreadyExistsException naming the target, if anything has that name
	 */
	void linkTo(Path destination) throws IOException {
		try {
			Files.createLink(destination, this.path);
		}
		catch (FileAlreadyExistsException ex) {
			FileAlreadyExistsException exists = new FileAlreadyExistsException(this.target.toString(), null,
					"the target exists; a create-only write never replaces it");
			exists.initCause(ex);
			throw exists;
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw IoErrors.naming(this.target, (ex instanceof IOException io) ? io
					: new IOException("hard links are not supported here: " + ex.getMessage(), ex));
		}
		this.renamed = true;
		try {
			Files.delete(this.path);
		}
		catch (IOException ex) {
			// The content is in place; the leftover name is the reaper's, once the lock is released.
			logger.warn("Could not remove temp name {} after creating {}; an OrphanReaper will remove it", this.path,
					this.target, ex);
		}
	}

	/** Reads content already written, at {@code position}, through the channel that holds the lock. */
	int read(ByteBuffer into, long position) throws IOException {
		try {
			return openChannel().read(into, position);
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
	}

	/** Closes the channel, releasing the lock; the file itself stays. */
	void close() throws IOException {
		FileChannel open = this.channel;
		this.channel = null;
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
		if (!this.renamed && Platform.canDeleteOpenFiles()) {
			// Deleted while still locked: no reaper can take it meanwhile, and if its directory was
			// renamed away its descriptor still tells where it went.
			delete(failure);
		}
		try {
			close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
		if (!this.renamed && !Platform.canDeleteOpenFiles()) {
			delete(failure);
		}
	}

	private void delete(Throwable failure) {
		try {
			// Only a temp name is unique to this write: a producer's file inside a temp directory is
			// called like the target, and that directory's own clean-up finds it.
			if (!Files.deleteIfExists(this.path) && this.channel != null
					&& TempFileNames.isTempName(this.path.getFileName().toString())) {
				Path moved = OwnDescriptors.whereIs(this.path.getFileName());
				if (moved != null) {
					Files.deleteIfExists(moved);
					logger.debug("Deleted temp file {}, found at {}: its directory was renamed during the write",
							this.path, moved);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not delete temp file {} after a failed write of {}; an OrphanReaper will remove it",
					this.path, this.target, ex);
			failure.addSuppressed(ex);
		}
	}

	/** The lock was refused: renamed so that reapers judge the file by its age alone. */
	private TempFile markedUnlocked(Path unlocked) throws IOException {
		try {
			Files.move(this.path, unlocked, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw IoErrors.naming(this.target, ex);
		}
		return new TempFile(this.target, unlocked, openChannel(), this.pendingMode, this.chmodWithoutFollowing);
	}

	private FileChannel openChannel() {
		FileChannel open = this.channel;
		if (open == null) {
			throw new IllegalStateException("Temp file " + this.path + " is not open");
		}
		return open;
	}

}
