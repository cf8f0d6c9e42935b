package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the commit tests share: the names a commit leaves on disk (temps and commit records), the
 * state of a set of targets, and the one check every commit test ends with: nothing left behind.
 */
final class CommitFixtures {

	/** The prefix of a commit record's name, {@code .atomicfile-commit-<id>} (DESIGN-11, "On disk"). */
	static final String RECORD_PREFIX = ".atomicfile-commit-";

	private CommitFixtures() {
	}

	/**
	 * Whether {@code fileName} is a commit record (a replica). A record's own temp,
	 * {@code .atomicfile-commit-<id>.tmp.af-…}, is a temp, not a record.
	 */
	static boolean isRecordName(String fileName) {
		return fileName.startsWith(RECORD_PREFIX) && !TempFileNames.isTempFileName(fileName);
	}

	/** Whether {@code fileName} is anything a commit leaves while it runs: a temp or a record. */
	static boolean isCommitLeftover(String fileName) {
		return isRecordName(fileName) || TempFileNames.isTempFileName(fileName);
	}

	/** Every temp and record in the tree below {@code root} (links not followed), sorted. */
	static List<Path> leftovers(Path root) throws IOException {
		try (Stream<Path> tree = Files.walk(root)) {
			return tree.filter((path) -> path.getFileName() != null && isCommitLeftover(path.getFileName().toString()))
				.sorted()
				.toList();
		}
	}

	/** Every record in the tree below {@code root}, sorted. */
	static List<Path> records(Path root) throws IOException {
		return leftovers(root).stream().filter((path) -> isRecordName(path.getFileName().toString())).toList();
	}

	/** Every temp (of a target or of a record) in the tree below {@code root}, sorted. */
	static List<Path> temps(Path root) throws IOException {
		return leftovers(root).stream()
			.filter((path) -> TempFileNames.isTempFileName(path.getFileName().toString()))
			.toList();
	}

	/** Asserts that no temp and no record is left anywhere below {@code root}. */
	static void assertNothingLeft(Path root) throws IOException {
		assertThat(leftovers(root)).as("temps and commit records left under %s", root).isEmpty();
	}

	/**
	 * The bytes of each of {@code targets}, in order; {@code null} for one that does not exist (a
	 * link is read through, as the writer writes through it).
	 */
	static Map<Path, byte[]> contents(List<Path> targets) throws IOException {
		Map<Path, byte[]> contents = new LinkedHashMap<>();
		for (Path target : targets) {
			contents.put(target, Files.exists(target) ? Files.readAllBytes(target) : null);
		}
		return contents;
	}

	/** Asserts that each target holds exactly what {@code expected} says ({@code null}: absent). */
	static void assertContents(Map<Path, byte[]> expected) throws IOException {
		for (Map.Entry<Path, byte[]> entry : expected.entrySet()) {
			if (entry.getValue() == null) {
				assertThat(Files.exists(entry.getKey(), LinkOption.NOFOLLOW_LINKS)).as("%s exists", entry.getKey())
					.isFalse();
			}
			else {
				assertThat(Files.readAllBytes(entry.getKey())).as("content of %s", entry.getKey())
					.isEqualTo(entry.getValue());
			}
		}
	}

	/** The directories of the tree below {@code root}, {@code root} included. */
	static List<Path> directories(Path root) throws IOException {
		List<Path> directories = new ArrayList<>();
		try (Stream<Path> tree = Files.walk(root)) {
			tree.filter((path) -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).forEach(directories::add);
		}
		return directories;
	}

}
