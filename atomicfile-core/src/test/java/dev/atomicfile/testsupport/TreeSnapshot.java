package dev.atomicfile.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path under a root with what it is: a directory, a link and its target, or a file and its
 * content. Links are recorded, never followed, so a snapshot sees exactly what a reaper must leave.
 */
public final class TreeSnapshot {

	private TreeSnapshot() {
	}

	/** Relative path to description, for each entry under {@code root} (the root itself excluded). */
	public static Map<String, String> of(Path root) {
		Map<String, String> entries = new TreeMap<>();
		try (Stream<Path> paths = Files.walk(root)) {
			paths.filter((path) -> !path.equals(root))
				.forEach((path) -> entries.put(root.relativize(path).toString(), describe(path)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return entries;
	}

	private static String describe(Path path) {
		try {
			if (Files.isSymbolicLink(path)) {
				return "link -> " + Files.readSymbolicLink(path);
			}
			if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
				return "directory";
			}
			return "file: " + new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
