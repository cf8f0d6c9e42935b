package dev.atomicfile;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Where a write really lands: the target itself, or the final file behind its symbolic links
 * (written through, as {@link Files#write} does), with the permissions to carry over.
 *
 * @param file the regular file (existing or not) that the rename replaces
 * @param permissions the existing file's permission bits, or {@code null} when there is no file
 * yet, the file system has no POSIX permissions, or they are not to be preserved
 */
record Destination(Path file, @Nullable Set<PosixFilePermission> permissions) {

	/** Linux's own limit (MAXSYMLINKS); a longer chain is almost surely a loop. */
	private static final int MAX_LINK_HOPS = 40;

	Path directory() {
		Path parent = this.file.getParent();
		return (parent != null) ? parent : this.file.getFileSystem().getPath(".");
	}

	String fileName() {
		return String.valueOf(this.file.getFileName());
	}

	/**
	 * Resolves {@code target} with one {@code lstat} per path element that is a link, which for an
	 * ordinary target means exactly one.
	 */
	static Destination resolve(Path target, boolean preservePermissions) throws IOException {
		Path file = target.toAbsolutePath();
		boolean posix = preservePermissions && file.getFileSystem().supportedFileAttributeViews().contains("posix");
		for (int hops = 0;; hops++) {
			Path name = file.getFileName();
			if (name == null) {
				throw new FileSystemException(target.toString(), null, "Is a directory");
			}
			int nameBytes = TempFileNames.utf8Length(name.toString());
			if (nameBytes > TempFileNames.MAX_NAME_BYTES) {
				throw new FileSystemException(target.toString(), null, "File name too long: " + nameBytes
						+ " UTF-8 bytes, file systems allow at most " + TempFileNames.MAX_NAME_BYTES);
			}
			BasicFileAttributes attributes;
			try {
				attributes = posix ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
						: Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			}
			catch (NoSuchFileException ex) {
				return new Destination(file, null);
			}
			if (attributes.isSymbolicLink()) {
				if (hops == MAX_LINK_HOPS) {
					throw new FileSystemException(target.toString(), null, "Too many levels of symbolic links");
				}
				file = file.resolveSibling(Files.readSymbolicLink(file));
				continue;
			}
			if (attributes.isDirectory()) {
				throw new FileSystemException(target.toString(), null, "Is a directory");
			}
			if (!attributes.isRegularFile()) {
				throw new FileSystemException(target.toString(), null,
						"Not a regular file: a device, socket or pipe cannot be replaced atomically");
			}
			Set<PosixFilePermission> permissions = posix ? ((PosixFileAttributes) attributes).permissions() : null;
			return new Destination(file, permissions);
		}
	}

}
