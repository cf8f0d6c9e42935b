package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where the benchmarks write, and the files they start from. Everything lives in a fresh directory
 * under {@code -Datomicfile.bench.dir} (default {@code /tmp}): fsync costs belong to that disk, so
 * point it at the disk you care about.
 */
final class BenchFiles {

	/** The mode of every existing target: the permission copy must do real work. */
	static final Set<PosixFilePermission> MODE_0640 = PosixFilePermissions.fromString("rw-r-----");

	private BenchFiles() {
	}

	static Path newDirectory(String prefix) throws IOException {
		Path base = Path.of(System.getProperty("atomicfile.bench.dir", "/tmp"));
		return Files.createTempDirectory(base, "atomicfile-bench-" + prefix + "-");
	}

	/** Creates {@code file} holding {@code content}, with mode 0640 whatever the umask. */
	static Path existingTarget(Path file, byte[] content) throws IOException {
		Files.write(file, content);
		Files.setPosixFilePermissions(file, MODE_0640);
		return file;
	}

	/** A payload that is not all zeros, so no layer can take a shortcut on it. */
	static byte[] payload(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 31 + 7);
		}
		return bytes;
	}

	static void deleteRecursively(Path directory) throws IOException {
		if (directory == null || !Files.exists(directory)) {
			return;
		}
		Files.walkFileTree(directory, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
				Files.delete(dir);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	/** Fails the trial if the target does not hold the last payload with mode 0640. */
	static void verifyTarget(Path file, byte[] expected) throws IOException {
		byte[] actual = Files.readAllBytes(file);
		if (!java.util.Arrays.equals(actual, expected)) {
			throw new IllegalStateException(file + " does not hold the payload after the benchmark");
		}
		Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
		if (!mode.equals(MODE_0640)) {
			throw new IllegalStateException(file + " lost its mode 0640: " + PosixFilePermissions.toString(mode));
		}
	}

	/**
	 * Fails the trial unless every target holds the last payload with mode 0640 and nothing else is
	 * left in {@code directory}, then deletes it.
	 */
	static void verifyTargetsAndDelete(Path directory, Path[] targets, byte[] expected) throws IOException {
		for (Path target : targets) {
			verifyTarget(target, expected);
		}
		try (var entries = Files.list(directory)) {
			if (entries.count() != targets.length) {
				throw new IllegalStateException("Temp files were left in " + directory);
			}
		}
		deleteRecursively(directory);
	}

}
