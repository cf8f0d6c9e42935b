package dev.atomicfile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The reaper's one door to the file system: an open directory, and every operation on one of its
 * entries by name, never following a symbolic link.
 *
 * <p>Where the platform offers {@link SecureDirectoryStream} (Linux, macOS) every call is made
 * relative to the directory's descriptor ({@code openat}, {@code fstatat}, {@code unlinkat}): an
 * entry swapped for a link after it was listed is still not followed, and trees deeper than
 * {@code PATH_MAX} work, because no call ever passes a whole path to the kernel. Elsewhere (Windows)
 * whole paths are used, and a swap between a check and the operation cannot be ruled out.
 *
 * <p>Not thread-safe; {@link #duplicate()} gives another thread a handle of its own.
 */
abstract sealed class ReaperDirectory implements Closeable {

	private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

	private final Path path;

	private final DirectoryStream<Path> entries;

	private @Nullable Iterator<Path> names;

	private ReaperDirectory(Path path, DirectoryStream<Path> entries) {
		this.path = path;
		this.entries = entries;
	}

	/** Opens {@code directory}, following it if it is a link (the caller resolved it on purpose). */
	static ReaperDirectory open(Path directory) throws IOException {
		DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
		if (stream instanceof SecureDirectoryStream<Path> secure) {
			return new Secure(directory, secure);
		}
		return new Plain(directory, stream);
	}

	/** Where this directory was when it was opened, for messages and events only. */
	final Path path() {
		return this.path;
	}

	/** The path of entry {@code name}, for messages and events only. */
	final Path pathOf(Path name) {
		return this.path.resolve(name);
	}

	/**
	 * The name of the next entry, in one streaming pass over the directory.
	 * @return the name, or {@code null} after the last entry
	 * @throws IOException if the directory cannot be read on
	 */
	final @Nullable Path nextName() throws IOException {
		Iterator<Path> names = this.names;
		if (names == null) {
			names = this.entries.iterator();
			this.names = names;
		}
		try {
			return names.hasNext() ? names.next().getFileName() : null;
		}
		catch (DirectoryIteratorException ex) {
			throw ex.getCause();
		}
	}

	/** The attributes of entry {@code name} itself (a link's, not its target's). */
	abstract BasicFileAttributes attributes(Path name) throws IOException;

	/** The attributes of entry {@code name} itself, or {@code null} if there is no such entry. */
	final @Nullable BasicFileAttributes attributesIfPresent(Path name) throws IOException {
		try {
			return attributes(name);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/** Opens the subdirectory {@code name}; a link is refused. */
	abstract ReaperDirectory openDirectory(Path name) throws IOException;

	/**
	 * Gives subdirectory {@code name} owner read, write and search permission where it lacks any,
	 * so that its entries can be listed and removed: producers leave read-only directories (an
	 * extracted archive does). Nothing changes where all three are there or where the file system
	 * has no POSIX permissions.
	 */
	final void makeOwnerWritable(Path name) throws IOException {
		PosixFileAttributeView view = posixView(name);
		if (view == null) {
			return;
		}
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		permissions.addAll(view.readAttributes().permissions());
		if (permissions.addAll(OWNER_ALL)) {
			view.setPermissions(permissions);
		}
	}

	/** The POSIX view of entry {@code name} itself, or {@code null} without POSIX permissions. */
	abstract @Nullable PosixFileAttributeView posixView(Path name);

	/** Opens entry {@code name} with {@code options}; a link is refused. */
	abstract FileChannel openChannel(Path name, Set<? extends OpenOption> options) throws IOException;

	/** Deletes entry {@code name}, which must not be a directory (a link is deleted, not followed). */
	abstract void deleteFile(Path name) throws IOException;

	/** Deletes the empty subdirectory {@code name}. */
	abstract void deleteDirectory(Path name) throws IOException;

	/**
	 * Another handle on the same directory, for a thread that may block in it: a stream waits for
	 * every operation in progress before it closes, so one thread stuck opening a FIFO through a
	 * shared handle would hang whoever closes that handle.
	 */
	abstract ReaperDirectory duplicate() throws IOException;

	@Override
	public final void close() throws IOException {
		this.entries.close();
	}

	private static Set<OpenOption> noFollow(Set<? extends OpenOption> options) {
		Set<OpenOption> noFollow = new HashSet<>(options);
		noFollow.add(LinkOption.NOFOLLOW_LINKS);
		return noFollow;
	}

	/** Every operation relative to the directory's descriptor. */
	private static final class Secure extends ReaperDirectory {

		private static final Path SELF = Path.of(".");

		private final SecureDirectoryStream<Path> stream;

		Secure(Path path, SecureDirectoryStream<Path> stream) {
			super(path, stream);
			this.stream = stream;
		}

		@Override
		BasicFileAttributes attributes(Path name) throws IOException {
			return this.stream.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.readAttributes();
		}

		@Override
		@Nullable PosixFileAttributeView posixView(Path name) {
			return this.stream.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
		}

		@Override
		ReaperDirectory openDirectory(Path name) throws IOException {
			return new Secure(pathOf(name), this.stream.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS));
		}

		@Override
		FileChannel openChannel(Path name, Set<? extends OpenOption> options) throws IOException {
			SeekableByteChannel channel = this.stream.newByteChannel(name, noFollow(options));
			if (channel instanceof FileChannel fileChannel) {
				return fileChannel;
			}
			channel.close();
			throw new IOException("Not a FileChannel: " + channel.getClass().getName());
		}

		@Override
		void deleteFile(Path name) throws IOException {
			this.stream.deleteFile(name);
		}

		@Override
		void deleteDirectory(Path name) throws IOException {
			this.stream.deleteDirectory(name);
		}

		@Override
		ReaperDirectory duplicate() throws IOException {
			return new Secure(path(), this.stream.newDirectoryStream(SELF, LinkOption.NOFOLLOW_LINKS));
		}

	}

	/** Whole paths, for platforms without {@link SecureDirectoryStream}. */
	private static final class Plain extends ReaperDirectory {

		Plain(Path path, DirectoryStream<Path> stream) {
			super(path, stream);
		}

		@Override
		BasicFileAttributes attributes(Path name) throws IOException {
			return Files.readAttributes(pathOf(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}

		@Override
		@Nullable PosixFileAttributeView posixView(Path name) {
			return Files.getFileAttributeView(pathOf(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
		}

		@Override
		ReaperDirectory openDirectory(Path name) throws IOException {
			Path directory = pathOf(name);
			if (!attributes(name).isDirectory()) {
				throw new NotDirectoryException(directory.toString());
			}
			return new Plain(directory, Files.newDirectoryStream(directory));
		}

		@Override
		FileChannel openChannel(Path name, Set<? extends OpenOption> options) throws IOException {
			return FileChannel.open(pathOf(name), noFollow(options));
		}

		@Override
		void deleteFile(Path name) throws IOException {
			Files.delete(pathOf(name));
		}

		@Override
		void deleteDirectory(Path name) throws IOException {
			Files.delete(pathOf(name));
		}

		@Override
		ReaperDirectory duplicate() throws IOException {
			return new Plain(path(), Files.newDirectoryStream(path()));
		}

	}

}
