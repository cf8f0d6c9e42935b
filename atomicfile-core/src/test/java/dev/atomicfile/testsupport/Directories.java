package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small file-system helpers the writer tests share. */
public final class Directories {

	private Directories() {
	}

	/** The names of the entries of {@code directory}, sorted. */
	public static List<String> names(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.map((entry) -> entry.getFileName().toString()).sorted().toList();
		}
	}

	/**
	 * A fresh directory on the disk that holds the build (not {@code /tmp}, which may be a tmpfs
	 * without {@code chattr} support on older kernels).
	 */
	public static Path onBuildDisk(String prefix) throws IOException {
		Path scratch = Path.of("target", "scratch").toAbsolutePath();
		Files.createDirectories(scratch);
		return Files.createTempDirectory(scratch, prefix);
	}

}
