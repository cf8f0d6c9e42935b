package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitBatch;
import dev.atomicfile.IncompleteCommitException;
import dev.atomicfile.TempFileNames;
import dev.atomicfile.testsupport.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaves on disk what a process leaves when it dies in the middle of a commit of two files in two
 * directories: a real commit, run by a child JVM that then exits, so its records belong to no live
 * process and only {@link dev.atomicfile.CommitRecovery} can settle them. After staging, the child
 * puts a directory where a target was, so that renaming over it fails once the commit point is
 * passed: the records and that temp stay, exactly as after a crash between two renames. The parent
 * then takes the directory away again.
 */
final class HalfDoneCommits {

	static final String FIRST_CONTENT = "first, new";

	static final String SECOND_CONTENT = "second, new";

	/** The child's exit status when its commit passed the commit point and could not finish. */
	private static final int INCOMPLETE = 3;

	private HalfDoneCommits() {
	}

	/**
	 * A commit past its commit point with one rename done and one to go: recovery completes it.
	 * @return the leftover; its first target holds the new content, its second none yet
	 */
	static Leftover completable(Path firstDirectory, Path secondDirectory) throws Exception {
		return leave(firstDirectory, secondDirectory, false);
	}

	/**
	 * A commit whose second record is missing, as when the process died before it wrote it, and
	 * whose temps were never renamed: recovery rolls it back, and no target ever appears.
	 */
	static Leftover rollBackable(Path firstDirectory, Path secondDirectory) throws Exception {
		Leftover leftover = leave(firstDirectory, secondDirectory, true);
		List<Path> second = records(secondDirectory);
		assertThat(second).as("the second directory's record").hasSize(1);
		Files.delete(second.get(0));
		return new Leftover(leftover.targets(), records(firstDirectory, secondDirectory),
				temps(firstDirectory, secondDirectory));
	}

	private static Leftover leave(Path firstDirectory, Path secondDirectory, boolean blockBoth) throws Exception {
		Path first = firstDirectory.resolve("first.txt");
		Path second = secondDirectory.resolve("second.txt");
		Process child = ChildJvm.start(HalfDoneCommits.class, first.toString(), second.toString(),
				String.valueOf(blockBoth));
		assertThat(child.waitFor()).as("exit status of the child whose commit could not finish").isEqualTo(INCOMPLETE);
		for (Path target : blockBoth ? List.of(first, second) : List.of(second)) {
			deleteTree(target);
		}
		Leftover leftover = new Leftover(List.of(first, second), records(firstDirectory, secondDirectory),
				temps(firstDirectory, secondDirectory));
		assertThat(leftover.temps()).as("temps not renamed").hasSize(blockBoth ? 2 : 1);
		assertThat(leftover.records()).as("one record per directory").hasSize(2);
		return leftover;
	}

	/** The commit records in {@code directories}: names in the record format that are no temp file. */
	static List<Path> records(Path... directories) throws IOException {
		return files(directories, (name) -> name.startsWith(".atomicfile-commit-") && !TempFileNames.isTempFileName(name));
	}

	/** The temp files in {@code directories}, records' own temps included. */
	static List<Path> temps(Path... directories) throws IOException {
		return files(directories, TempFileNames::isTempFileName);
	}

	private static List<Path> files(Path[] directories, java.util.function.Predicate<String> names)
			throws IOException {
		List<Path> found = new ArrayList<>();
		for (Path directory : directories) {
			try (Stream<Path> files = Files.list(directory)) {
				files.filter((file) -> names.test(file.getFileName().toString())).forEach(found::add);
			}
		}
		return found;
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> tree = Files.walk(root)) {
			for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/**
	 * The child: commits both targets, blocking the second (or both) with a directory after
	 * staging, and exits with {@link #INCOMPLETE} when the commit failed past its commit point.
	 * @param args the first target, the second target, and whether to block both
	 */
	public static void main(String[] args) throws IOException {
		Path first = Path.of(args[0]);
		Path second = Path.of(args[1]);
		boolean blockBoth = Boolean.parseBoolean(args[2]);
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		try (CommitBatch batch = writer.newBatch()) {
			batch.write(first, FIRST_CONTENT.getBytes(StandardCharsets.UTF_8));
			batch.write(second, SECOND_CONTENT.getBytes(StandardCharsets.UTF_8));
			for (Path target : blockBoth ? List.of(first, second) : List.of(second)) {
				Files.createDirectories(target.resolve("in-the-way"));
			}
			batch.commit();
		}
		catch (IncompleteCommitException ex) {
			System.exit(INCOMPLETE);
		}
		System.exit(1);
	}

	/**
	 * What the dead committer left.
	 * @param targets the commit's targets, in order
	 * @param records its records still on disk
	 * @param temps its temps still on disk
	 */
	record Leftover(List<Path> targets, List<Path> records, List<Path> temps) {
	}

}
