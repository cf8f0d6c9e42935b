package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.CommitFiles;
import dev.atomicfile.testsupport.CommitFiles.Target;
import dev.atomicfile.testsupport.CommitStrace;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.StraceLog.Call;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real faults during a commit: the kernel fails one call (strace {@code -e inject=…:error=…} on the
 * committing thread of a child JVM, see {@link CommitStrace}) or a tmpfs runs out of space. Before
 * the commit point the commit throws an exception that is not an {@link IncompleteCommitException},
 * every target is byte-identical to before and no temp and no record is left, before any recovery.
 * After it, the commit throws {@link IncompleteCommitException}, and once {@link CommitRecovery} has
 * run every target holds the new content and nothing is left. Where the commit point lies is read
 * from a traced run: before the first rename of a temp over its target.
 */
class CommitFaultTest {

	@TempDir
	static Path scratch;

	private static CommitStrace.OneCommit commit;

	private static CommitStrace.Run traced;

	/** The index in the trace of the first rename of a temp over a target: the commit point lies before it. */
	private static int firstTargetRename;

	@BeforeAll
	static void traceOneCommit() throws Exception {
		commit = new CommitStrace.OneCommit(scratch.resolve("run"));
		traced = commit.run(List.of(), false);
		assertThat(traced.end()).as("traced run: %s", traced.output()).isEqualTo("END ok");
		List<String> targets = commit.targets().stream().map(Target::toString).toList();
		firstTargetRename = commitCalls("rename", "renameat", "renameat2").stream()
			.filter((call) -> targets.contains(call.paths().get(call.paths().size() - 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no rename over a target in " + traced.commitCalls()))
			.index();
	}

	@Test
	void eioOnEachFsyncOfTheCommit() throws Exception {
		int faults = failEach(List.of("fsync", "fdatasync"), "EIO");
		assertThat(faults).as("fsyncs failed in turn").isGreaterThanOrEqualTo(7);
	}

	@Test
	void eachRenameOfTheCommitFailingInTurn() throws Exception {
		int faults = failEach(List.of("rename", "renameat", "renameat2"), "EIO");
		assertThat(faults).as("renames failed in turn: two records and three targets").isEqualTo(5);
	}

	/**
	 * For every call named {@code names} that the traced commit made, a run in which that call fails
	 * with {@code errno}, and the verdict on it.
	 * @return how many faults were injected
	 */
	private static int failEach(List<String> names, String errno) throws Exception {
		List<String> verdicts = new ArrayList<>();
		for (String name : names) {
			List<Call> calls = commitCalls(name);
			for (int k = 0; k < calls.size(); k++) {
				Call call = calls.get(k);
				int occurrence = traced.countBefore(name, call.index());
				boolean pastCommitPoint = call.index() >= firstTargetRename;
				String context = name + " #" + (k + 1) + " of the commit failing with " + errno + " (traced: " + name
						+ "(" + call.arguments() + ")), " + (pastCommitPoint ? "after" : "before") + " the commit point";
				CommitStrace.Run run = commit.run(List.of("-e", "inject=" + name + ":error=" + errno + ":when=" + occurrence),
						false);
				String end = run.end();
				System.out.println("CommitFaultTest: " + context + ": the child got: " + end);
				assertThat(end).as(context).startsWith("END failed incomplete=" + pastCommitPoint + " ")
					.contains(errno.equals("EIO") ? "Input/output error" : errno);
				assertThat(run.trace().calls()).as(context)
					.filteredOn((seen) -> seen.is(name) && seen.result().contains("INJECTED"))
					.hasSize(1);
				if (!pastCommitPoint) {
					assertUntouchedAndClean(context);
				}
				else {
					assertThat(commit.directories().stream().flatMap(CommitFaultTest::leftovers))
						.as("%s: the records stay for recovery", context)
						.anyMatch((left) -> left.startsWith(CommitFiles.RECORD_PREFIX));
				}
				CommitFiles.Recovered recovered = CommitFiles.settle(commit.directories(), context);
				assertThat(recovered.completed()).as("%s: commits recovery completed", context)
					.isEqualTo(pastCommitPoint ? 1 : 0);
				assertThat(CommitFiles.assertAllOrNothing(commit.targets(), commit.before(), 1, context))
					.as("%s: all new after recovery", context)
					.isEqualTo(pastCommitPoint);
				verdicts.add(name + "#" + (k + 1) + (pastCommitPoint ? " completed by recovery" : " rolled back"));
			}
		}
		System.out.println("CommitFaultTest: " + errno + " injected into " + verdicts);
		return verdicts.size();
	}

	@Test
	void enospcMidBatchChangesNothing() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "a size-limited tmpfs needs root");
		Path disk = Files.createDirectory(scratch.resolve("enospc-disk"));
		Path small = Files.createDirectory(scratch.resolve("enospc-tmpfs"));
		List<Target> targets = List.of(new Target(0, 2, disk.resolve("first.bin")),
				new Target(1, 3, small.resolve("big-1.bin")), new Target(2, 3, small.resolve("big-2.bin")),
				new Target(3, 3, small.resolve("big-3.bin")), new Target(4, 1, disk.resolve("last.bin")));
		long old = 0;
		long fresh = 0;
		for (Target target : targets.subList(1, 4)) {
			old += target.payload(0).length;
			fresh += target.payload(1).length;
		}
		// Room for the old content and half of the new: the second or third big file's temp fills it.
		Commands.mountTmpfs(small, ((old + fresh / 2) / 1024 + 64) + "k");
		try {
			CommitFiles.writeInitial(targets);
			Map<Target, Long> before = CommitFiles.state(targets, "before");
			AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.FULL).build();
			assertThatThrownBy(() -> writer.commit((batch) -> {
				for (Target target : targets) {
					batch.write(target.path(), target.payload(1));
				}
			})).as("a commit that does not fit").isInstanceOf(IOException.class)
				.isNotInstanceOf(IncompleteCommitException.class)
				.satisfies((thrown) -> assertThat(thrown).hasStackTraceContaining("No space left on device"));
			assertUntouched(targets, before, List.of(disk, small), "ENOSPC mid-batch");
		}
		finally {
			Commands.umount(small);
		}
	}

	@Test
	void enospcOnTheRecordChangesNothing() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "a size-limited tmpfs needs root");
		Path disk = Files.createDirectory(scratch.resolve("record-disk"));
		Path small = Files.createDirectory(scratch.resolve("record-tmpfs"));
		Commands.mountTmpfs(small, "1m");
		try {
			Path onDisk = disk.resolve("state.bin");
			Path onTmpfs = small.resolve("state.bin");
			byte[] oldDisk = bytes(1, 10_000);
			byte[] oldTmpfs = bytes(2, 8192);
			Files.write(onDisk, oldDisk);
			Files.write(onTmpfs, oldTmpfs);
			// Page-sized new content that takes every free block: the temp fits, the record cannot.
			long free = Files.getFileStore(small).getUsableSpace();
			assertThat(free % 4096).as("free space in whole pages").isZero();
			byte[] filling = bytes(3, (int) free);
			AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.FULL).build();
			assertThatThrownBy(() -> writer.commit((batch) -> {
				batch.write(onDisk, bytes(4, 20_000));
				batch.write(onTmpfs, filling);
			})).as("a commit whose record does not fit").isInstanceOf(IOException.class)
				.isNotInstanceOf(IncompleteCommitException.class)
				.satisfies((thrown) -> assertThat(thrown).hasStackTraceContaining("No space left on device"));
			assertThat(Files.readAllBytes(onDisk)).as("ENOSPC on the record: " + onDisk).isEqualTo(oldDisk);
			assertThat(Files.readAllBytes(onTmpfs)).as("ENOSPC on the record: " + onTmpfs).isEqualTo(oldTmpfs);
			for (Path directory : List.of(disk, small)) {
				assertThat(CommitFiles.leftovers(directory)).as("ENOSPC on the record: left in %s", directory).isEmpty();
			}
		}
		finally {
			Commands.umount(small);
		}
	}

	private static void assertUntouchedAndClean(String context) throws IOException {
		assertUntouched(commit.targets(), commit.before(), commit.directories(), context);
		// The targets were written with commit 0 by the test: byte-identical means exactly that payload.
		for (Target target : commit.targets().subList(0, 2)) {
			assertThat(Arrays.equals(Files.readAllBytes(target.path()), target.payload(0))).as("%s: %s byte-identical",
					context, target).isTrue();
		}
	}

	private static void assertUntouched(List<Target> targets, Map<Target, Long> before, List<Path> directories,
			String context) throws IOException {
		assertThat(CommitFiles.state(targets, context)).as("%s: what the targets hold, before any recovery", context)
			.isEqualTo(before);
		for (Path directory : directories) {
			assertThat(CommitFiles.leftovers(directory)).as("%s: left in %s, before any recovery", context, directory)
				.isEmpty();
		}
	}

	private static java.util.stream.Stream<String> leftovers(Path directory) {
		try {
			return CommitFiles.leftovers(directory).stream();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** The committing thread's calls named {@code names} in the traced commit, in order. */
	private static List<Call> commitCalls(String... names) {
		return traced.commitCalls().stream().filter((call) -> call.pid() == traced.thread() && call.is(names)).toList();
	}

	private static byte[] bytes(long seed, int size) {
		byte[] bytes = new byte[size];
		new SplittableRandom(seed).nextBytes(bytes);
		return bytes;
	}

}
