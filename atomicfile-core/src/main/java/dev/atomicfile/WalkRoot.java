package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * Where a reaping or recovery pass over a path starts, resolved once: a data directory may be a
 * link to a mounted volume, and the pass then works below the real directory.
 *
 * @param directory the real directory to walk
 * @param fileName in file mode (the path was a regular file), that file's name; {@code null} when
 * the path was a directory
 */
record WalkRoot(Path directory, @Nullable String fileName) {

	/**
	 * @return where to start, or {@code null} if {@code path} is neither a directory nor a regular file
	 * @throws java.nio.file.NoSuchFileException if nothing is at {@code path}
	 */
	static @Nullable WalkRoot of(Path path) throws IOException {
		Path root = path.toRealPath();
		BasicFileAttributes attributes = Files.readAttributes(root, BasicFileAttributes.class);
		Path parent = root.getParent();
		if (attributes.isDirectory()) {
			return new WalkRoot(root, null);
		}
		if (attributes.isRegularFile() && parent != null) {
			return new WalkRoot(parent, String.valueOf(root.getFileName()));
		}
		return null;
	}

}
