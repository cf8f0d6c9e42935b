package dev.atomicfile;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Changes a file through the descriptor this process holds on it ({@code /proc/self/fd/N}), not
 * through its name. Someone who may write the file's directory can swap the name for a link
 * between two steps of a write; as root, a {@code chmod} by name would then change whatever the
 * link points to, a system file included. The JDK offers no {@code fchmod} on a channel, and its
 * no-follow {@code chmod} follows links on some JDKs (25) and, where it does not, closes a
 * descriptor, which drops the process's lock on the file.
 */
final class OwnDescriptors {

	private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

	private OwnDescriptors() {
	}

	/**
	 * Sets {@code mode} on the file this process holds open at {@code path}: the descriptor whose
	 * file the kernel still finds at that name. Without {@code /proc} (not Linux) the JDK's
	 * no-follow {@code chmod} is the fallback.
	 * @throws FileSystemException if no descriptor of this process is on the file at {@code path}:
	 * the file was renamed or replaced meanwhile
	 */
	static void chmod(Path path, int mode) throws IOException {
		if (!Files.isDirectory(PROC_SELF_FD)) {
			Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
			return;
		}
		// Where the kernel shows the file: the directory's real path (a data directory may sit
		// behind a link) and the name itself, never followed.
		Path shown = path.toAbsolutePath().getParent().toRealPath().resolve(path.getFileName());
		Open open = find(shown::equals);
		if (open != null) {
			// chmod(2) on the magic link reaches the open file itself, wherever its name went.
			Files.setAttribute(open.descriptor(), "unix:mode", mode);
			return;
		}
		throw new FileSystemException(path.toString(), null,
				"no descriptor of this process is on the file at this name any more: it was renamed or replaced");
	}

	/**
	 * Where a file this process holds open is now, found by the end of its path: a write whose
	 * directory was renamed away finds its temp file there, to delete it. Temp names carry the
	 * process's token and a sequence number, so no other open file ends the same way.
	 * @param tail the last elements of the file's path, such as its name
	 * @return its path now, or {@code null} if no open descriptor shows it (deleted, closed, or no
	 * {@code /proc})
	 */
	static @Nullable Path whereIs(Path tail) throws IOException {
		if (!Files.isDirectory(PROC_SELF_FD)) {
			return null;
		}
		// A deleted file shows as "<path> (deleted)", which no tail of ours matches.
		Open open = find((file) -> file.isAbsolute() && file.endsWith(tail));
		return (open != null) ? open.file() : null;
	}

	/** The first of this process's open files whose path, as the kernel shows it, {@code shown} accepts. */
	private static @Nullable Open find(Predicate<Path> shown) throws IOException {
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(PROC_SELF_FD)) {
			for (Path descriptor : descriptors) {
				Path file = target(descriptor);
				if (file != null && shown.test(file)) {
					return new Open(descriptor, file);
				}
			}
		}
		catch (DirectoryIteratorException ex) {
			throw ex.getCause();
		}
		return null;
	}

	/** An open file: its {@code /proc/self/fd/N} link, and the path the link showed. */
	private record Open(Path descriptor, Path file) {
	}

	private static @Nullable Path target(Path descriptor) {
		try {
			return Files.readSymbolicLink(descriptor);
		}
		catch (IOException | UnsupportedOperationException ex) {
			// Closed meanwhile (the stream's own descriptor among them): not ours.
			return null;
		}
	}

}
