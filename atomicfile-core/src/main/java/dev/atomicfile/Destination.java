package dev.atomicfile;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where a write really lands: the target itself, or the final file behind its symbolic links
 * (written through, as {@link Files#write} does, unless links are not to be followed), with the
 * existing file's metadata to carry over.
 *
 * @param file the path that the rename replaces (a regular file, a link when links are not
 * followed, or nothing yet)
 * @param existing the existing regular file's mode and owner, or {@code null} when there is no
 * file yet, the file system has no POSIX attributes, or nothing is to be carried over
 */
record Destination(Path file, @Nullable Existing existing) {

	/** Linux's own limit (MAXSYMLINKS); a longer chain is almost surely a loop. */
	private static final int MAX_LINK_HOPS = 40;

	/** What {@code Files.readAttributes(…, "unix:…")} yields; the file type sits in the mode's high bits. */
	private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid";

	private static final int TYPE_MASK = 0170000;

	private static final int TYPE_REGULAR = 0100000;

	private static final int TYPE_DIRECTORY = 0040000;

	private static final int TYPE_LINK = 0120000;

	/**
	 * An existing file's whole mode (permission bits with setuid, setgid and sticky) and owner.
	 *
	 * @param mode the mode without the file type
	 * @param uid the owner
	 * @param gid the group
	 */
	record Existing(int mode, int uid, int gid) {
	}

	Path directory() {
		Path parent = this.file.getParent();
		return (parent != null) ? parent : this.file.getFileSystem().getPath(".");
	}

	/**
	 * The sibling of the destination called {@code <base><suffix>}; see
	 * {@link TempFileNames#baseFor(String)}.
	 */
	Path tempSibling(String suffix) {
		return this.file.resolveSibling(TempFileNames.baseFor(String.valueOf(this.file.getFileName())) + suffix);
	}

	/**
	 * Resolves {@code target} with one {@code lstat} per path element that is a link, which for an
	 * ordinary target means exactly one.
	 * @param followLinks whether a link at the target is written through (else it is replaced)
	 * @param readExisting whether the existing file's mode and owner are wanted
	 */
	static Destination resolve(Path target, boolean followLinks, boolean readExisting) throws IOException {
		Path file = target.toAbsolutePath();
		boolean unix = readExisting && file.getFileSystem().supportedFileAttributeViews().contains("unix");
		for (int hops = 0;; hops++) {
			checkName(target, file);
			int type;
			Map<String, Object> unixAttributes = null;
			try {
				if (unix) {
					unixAttributes = Files.readAttributes(file, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
					type = (Integer) unixAttributes.get("mode") & TYPE_MASK;
				}
				else {
					type = typeOf(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
				}
			}
			catch (NoSuchFileException ex) {
				return new Destination(file, null);
			}
			if (type == TYPE_LINK) {
				if (!followLinks) {
					return new Destination(file, null);
				}
				if (hops == MAX_LINK_HOPS) {
					throw new FileSystemException(target.toString(), null, "Too many levels of symbolic links");
				}
				file = file.resolveSibling(Files.readSymbolicLink(file));
				continue;
			}
			if (type == TYPE_DIRECTORY) {
				throw new FileSystemException(target.toString(), null, "Is a directory");
			}
			if (type != TYPE_REGULAR) {
				throw new FileSystemException(target.toString(), null,
						"Not a regular file: a device, socket or pipe cannot be replaced atomically");
			}
			Existing existing = (unixAttributes != null) ? new Existing((Integer) unixAttributes.get("mode") & 07777,
					(Integer) unixAttributes.get("uid"), (Integer) unixAttributes.get("gid")) : null;
			return new Destination(file, existing);
		}
	}

	private static void checkName(Path target, Path file) throws FileSystemException {
		Path name = file.getFileName();
		if (name == null) {
			throw new FileSystemException(target.toString(), null, "Is a directory");
		}
		String decoded = name.toString();
		if (TempFileNames.isTempName(decoded)) {
			throw new FileSystemException(target.toString(), null, "Reserved name: '" + decoded
					+ "' has the format of an atomicfile temp file, which an OrphanReaper would delete");
		}
		if (CommitRecord.isRecordName(decoded)) {
			throw new FileSystemException(target.toString(), null, "Reserved name: '" + decoded
					+ "' has the format of an atomicfile commit record, which recovery would act on");
		}
		int nameBytes = RawNames.nameLength(file);
		if (nameBytes > TempFileNames.MAX_NAME_BYTES) {
			throw new FileSystemException(target.toString(), null, "File name too long: " + nameBytes
					+ " bytes, file systems allow at most " + TempFileNames.MAX_NAME_BYTES);
		}
	}

	private static int typeOf(BasicFileAttributes attributes) {
		if (attributes.isSymbolicLink()) {
			return TYPE_LINK;
		}
		if (attributes.isDirectory()) {
			return TYPE_DIRECTORY;
		}
		return attributes.isRegularFile() ? TYPE_REGULAR : 0;
	}

}
