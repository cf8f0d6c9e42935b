package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.StraceLog;
import dev.atomicfile.testsupport.StraceLog.Call;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of the system calls a write makes, watched with {@code strace -f} on a child JVM, and
 * what happens when the kernel fails them ({@code strace} fault injection): permissions before the
 * first byte, fsync of the temp file before the rename, fsync of the directory after it, a plain
 * {@code rename(2)} with no fallback, and no rename after a failed fsync.
 */
class WriterSyscallOrderTest {

	private static final String TRACED = "trace=openat,fcntl,chmod,fchmod,fchmodat,write,pwrite64,fsync,fdatasync,"
			+ "rename,renameat,renameat2,unlink,unlinkat,close";

	private static final byte[] OLD = "old\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	static Path directory;

	private static StraceLog trace;

	private static String output;

	@BeforeAll
	static void traceOneWritePerDurability() throws Exception {
		List<String> args = new ArrayList<>();
		for (Durability durability : Durability.values()) {
			existingTarget(directory.resolve(durability + ".txt"));
			args.addAll(List.of(durability.name(), directory.resolve(durability + ".txt").toString()));
		}
		args.addAll(List.of("FULL", directory.resolve("new.txt").toString()));
		Path traceFile = directory.resolve("strace.out");
		output = runTraced(traceFile, List.of(), args);
		trace = StraceLog.read(traceFile);
	}

	@Test
	void everyTracedWriteSucceeded() throws IOException {
		assertThat(output.lines()).hasSize(4).allMatch((line) -> line.startsWith("OK "), output);
		for (Durability durability : Durability.values()) {
			assertThat(directory.resolve(durability + ".txt")).hasContent(WriterChildMain.payload(durability));
		}
		assertNoTempFiles(directory);
	}

	@Test
	void fullLocksBeforeWritingAndSyncsTheTempBeforeAndTheDirectoryAfterTheRename() {
		TracedWrite write = tracedWrite(directory.resolve("FULL.txt"));
		int firstWrite = write.firstContentWrite();
		assertThat(write.chmods()).as("no chmod: the temp is born with the target's 0640, which the umask keeps")
			.isEmpty();
		List<Call> locking = write.onTempFd("fcntl");
		assertThat(locking).as("lock of the temp file")
			.filteredOn((call) -> call.arguments().contains("F_WRLCK"))
			.singleElement()
			.satisfies((lock) -> assertThat(lock.index()).isLessThan(firstWrite));
		assertThat(write.syncsOfTemp()).as("fsync of the temp file").singleElement()
			.satisfies((fsync) -> assertThat(fsync.index()).isGreaterThan(write.lastContentWrite())
				.isLessThan(write.rename().index()));
		Call directoryOpen = write.after(write.rename().index(),
				(call) -> call.is("openat") && call.paths().equals(List.of(directory.toString())) && call.succeeded());
		Call directorySync = write.after(directoryOpen.index(),
				(call) -> call.is("fsync") && call.fd().getAsInt() == directoryOpen.returned());
		assertThat(directorySync.succeeded()).isTrue();
		// By design the temp file's channel, and its lock, stay open through the rename.
		assertThat(write.close().index()).isGreaterThan(write.rename().index());
		assertThat(locking).filteredOn((call) -> call.arguments().contains("F_UNLCK"))
			.allSatisfy((unlock) -> assertThat(unlock.index()).isGreaterThan(write.rename().index()));
	}

	@Test
	void fileSyncsTheTempBeforeTheRenameAndNotTheDirectory() {
		TracedWrite write = tracedWrite(directory.resolve("FILE.txt"));
		assertThat(write.chmods()).isEmpty();
		assertThat(write.syncsOfTemp()).singleElement()
			.satisfies((fsync) -> assertThat(fsync.index()).isLessThan(write.rename().index()));
		assertThat(write.calls()).filteredOn((call) -> call.is("fsync", "fdatasync"))
			.as("no fsync other than the temp file's")
			.containsExactlyElementsOf(write.syncsOfTemp());
	}

	@Test
	void noneNeverSyncs() {
		TracedWrite write = tracedWrite(directory.resolve("NONE.txt"));
		assertThat(write.chmods()).isEmpty();
		assertThat(write.calls()).noneMatch((call) -> call.is("fsync", "fdatasync"));
		assertThat(write.rename().succeeded()).isTrue();
	}

	@Test
	void tempOfAnExistingTargetIsBornWithItsModeNotWithTheDefault() {
		// Issue 14 item 1: created 0666 & ~umask and narrowed later, the temp could be opened by
		// others in between and read through that descriptor afterwards.
		for (Durability durability : Durability.values()) {
			TracedWrite write = tracedWrite(directory.resolve(durability + ".txt"));
			assertThat(write.open().arguments()).as(durability.name())
				.contains("O_CREAT|O_EXCL")
				// The mode is the last argument; the random temp-directory name may contain any digits.
				.endsWith(", 0640")
				.doesNotEndWith(", 0666");
		}
	}

	@Test
	void newFileNeedsNoChmod() {
		TracedWrite write = tracedWrite(directory.resolve("new.txt"));
		assertThat(write.open().arguments()).contains("O_CREAT|O_EXCL", "0666");
		assertThat(write.chmods()).isEmpty();
		assertThat(write.syncsOfTemp()).hasSize(1);
	}

	@Test
	void wholeModeGoesOnAfterTheContentBeforeTheFsyncAndAsRootNeverThroughALink(@TempDir Path scratch)
			throws Exception {
		// setuid cannot be given at creation, and an unprivileged write would clear it: chmod after.
		Path target = existingTarget(scratch.resolve("tool"));
		Files.setAttribute(target, "unix:mode", 04750);
		Path traceFile = Files.createTempFile("strace", ".out");
		try {
			runTraced(traceFile, List.of(), List.of("FULL", target.toString()));
			TracedWrite write = tracedWrite(StraceLog.read(traceFile), target);
			Call chmod;
			if (ChildJvm.isRoot()) {
				// Root must not follow a link planted in the temp's place: the chmod goes through the
				// descriptor the writer holds (/proc/self/fd/N), never through the temp's name.
				chmod = write.after(write.lastContentWrite(), (call) -> call.is("chmod", "fchmodat")
						&& call.paths().stream().anyMatch((path) -> path.startsWith("/proc/self/fd/")));
				assertThat(write.calls()).as("no chmod by the temp's name")
					.noneMatch((call) -> call.is("chmod", "fchmodat") && call.paths().contains(write.tempPath()));
			}
			else {
				chmod = write.chmods().get(0);
			}
			assertThat(chmod.arguments()).contains("04750");
			assertThat(chmod.index()).isGreaterThan(write.lastContentWrite())
				.isLessThan(write.syncsOfTemp().get(0).index());
			assertThat(write.open().arguments()).as("born with the permission bits").endsWith(", 0750");
			assertThat(Files.getAttribute(target, "unix:mode")).isEqualTo(0104750);
		}
		finally {
			Files.delete(traceFile);
		}
	}

	@Test
	void targetIsOnlyEverRenamedOverNeverOpenedForWriting() {
		for (String name : List.of("FULL.txt", "FILE.txt", "NONE.txt", "new.txt")) {
			String target = directory.resolve(name).toString();
			assertThat(trace.calls()).filteredOn((call) -> call.paths().contains(target))
				.as(name)
				.singleElement()
				.satisfies((call) -> assertThat(call.name()).startsWith("rename"));
		}
	}

	@Test
	void failedFsyncIsNeverFollowedByARename(@TempDir Path scratch) throws Exception {
		InjectedRun run = writeWithInjectedFault(scratch, "fsync,fdatasync:error=EIO");
		assertThat(run.output()).startsWith("FAILED " + run.target() + " java.nio.file.FileSystemException: " + run.target())
			.contains("Input/output error");
		Call open = tempOpen(run.trace(), run.target());
		assertThat(run.trace().calls()).filteredOn((call) -> call.is("fsync") && call.fd().getAsInt() == open.returned())
			.singleElement()
			.satisfies((fsync) -> assertThat(fsync.result()).contains("EIO").contains("INJECTED"));
		assertThat(run.trace().calls()).noneMatch((call) -> call.name().startsWith("rename"));
		assertThat(run.target()).hasBinaryContent(OLD);
		assertThat(Directories.names(scratch)).containsExactly("state.txt");
	}

	@Test
	void renameThatCannotBeAtomicFailsWithoutFallingBackToACopy(@TempDir Path scratch) throws Exception {
		// EXDEV cannot happen for real (the temp file is always a sibling), so the kernel's answer
		// is injected: the writer must report it, not copy the bytes over the target.
		InjectedRun run = writeWithInjectedFault(scratch, "rename,renameat,renameat2:error=EXDEV");
		assertThat(run.output()).startsWith("FAILED " + run.target() + " java.nio.file.AtomicMoveNotSupportedException");
		assertThat(run.trace().calls()).filteredOn((call) -> call.paths().contains(run.target().toString()))
			.singleElement()
			.satisfies((rename) -> assertThat(rename.result()).contains("EXDEV").contains("INJECTED"));
		assertThat(run.target()).hasBinaryContent(OLD);
		assertThat(Directories.names(scratch)).containsExactly("state.txt");
	}

	@Test
	void failedDirectorySyncIsReportedAfterTheRenameHappened(@TempDir Path scratch) throws Exception {
		// Each thread counts its own calls: the writing thread's second fsync is the directory's.
		InjectedRun run = writeWithInjectedFault(scratch, "fsync:error=EIO:when=2");
		assertThat(run.output()).startsWith("FAILED " + run.target() + " java.nio.file.FileSystemException: " + run.target())
			.contains("Input/output error");
		// Documented: the durability asked for was not reached, but the content was replaced.
		assertThat(run.target()).hasContent(WriterChildMain.payload(Durability.FULL));
		assertThat(Directories.names(scratch)).containsExactly("state.txt");
	}

	/** Writes an existing 0640 {@code state.txt} in {@code scratch} at FULL while strace injects {@code fault}. */
	private static InjectedRun writeWithInjectedFault(Path scratch, String fault) throws Exception {
		Path target = existingTarget(scratch.resolve("state.txt"));
		Path traceFile = Files.createTempFile("strace", ".out");
		try {
			String output = runTraced(traceFile, List.of("-e", "inject=" + fault), List.of("FULL", target.toString()));
			return new InjectedRun(target, output, StraceLog.read(traceFile));
		}
		finally {
			Files.delete(traceFile);
		}
	}

	private static String runTraced(Path traceFile, List<String> straceOptions, List<String> args) throws Exception {
		List<String> wrapper = new ArrayList<>(List.of("strace", "-f", "-qq", "-s", "256", "-o", traceFile.toString(), "-e", TRACED));
		wrapper.addAll(straceOptions);
		Process child = ChildJvm.start(wrapper, WriterChildMain.class, args.toArray(String[]::new));
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("traced child finished").isTrue();
		assertThat(child.exitValue()).as("exit status of strace and the child; output: %s", output).isZero();
		return output;
	}

	private static Path existingTarget(Path target) throws IOException {
		Files.write(target, OLD);
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
		return target;
	}

	private static Call tempOpen(StraceLog log, Path target) {
		String tempPrefix = target + ".tmp.af-";
		return log.first(0, (call) -> call.is("openat") && call.succeeded() && call.paths().size() == 1
				&& call.paths().get(0).startsWith(tempPrefix))
			.orElseThrow(() -> new AssertionError("no open of a temp file of " + target));
	}

	private static TracedWrite tracedWrite(Path target) {
		return tracedWrite(trace, target);
	}

	private static TracedWrite tracedWrite(StraceLog trace, Path target) {
		Call open = tempOpen(trace, target);
		Call reported = trace
			.first(open.index(), (call) -> call.is("write") && call.fd().getAsInt() == 1
					&& call.arguments().contains("OK " + target))
			.orElseThrow();
		// Only the writing thread's calls: the JVM's other threads open and close files too.
		List<Call> calls = trace.between(open.index(), reported.index(), (call) -> call.pid() == open.pid());
		return new TracedWrite(target, open, calls);
	}

	/** One traced write whose system calls strace failed on purpose. */
	private record InjectedRun(Path target, String output, StraceLog trace) {
	}

	/**
	 * The calls one write made on the writing thread, from the creation of its temp file to the
	 * report of its outcome.
	 */
	private record TracedWrite(Path target, Call open, List<Call> calls) {

		String tempPath() {
			return this.open.paths().get(0);
		}

		int tempFd() {
			return (int) this.open.returned();
		}

		/** Calls on the temp file's descriptor before it was closed. */
		List<Call> onTempFd(String... names) {
			return this.calls.stream()
				.filter((call) -> call.index() < close().index() && call.is(names) && call.fd().isPresent()
						&& call.fd().getAsInt() == tempFd())
				.toList();
		}

		List<Call> contentWrites() {
			List<Call> writes = onTempFd("write", "pwrite64");
			assertThat(writes).isNotEmpty()
				.allSatisfy((write) -> assertThat(write.arguments()).contains("\"PAYLOAD-"));
			return writes;
		}

		int firstContentWrite() {
			return contentWrites().get(0).index();
		}

		int lastContentWrite() {
			List<Call> writes = contentWrites();
			return writes.get(writes.size() - 1).index();
		}

		List<Call> syncsOfTemp() {
			return onTempFd("fsync", "fdatasync");
		}

		List<Call> chmods() {
			return this.calls.stream()
				.filter((call) -> (call.is("chmod", "fchmodat") && call.paths().contains(tempPath()))
						|| (call.is("fchmod") && call.fd().getAsInt() == tempFd() && call.index() < close().index()))
				.toList();
		}

		Call rename() {
			List<Call> renames = this.calls.stream().filter((call) -> call.name().startsWith("rename")).toList();
			assertThat(renames).singleElement()
				.satisfies((rename) -> assertThat(rename.paths()).containsExactly(tempPath(), this.target.toString()));
			return renames.get(0);
		}

		Call close() {
			return after(this.open.index(), (call) -> call.is("close") && call.fd().getAsInt() == tempFd());
		}

		Call after(int index, java.util.function.Predicate<Call> predicate) {
			return this.calls.stream()
				.filter((call) -> call.index() > index && predicate.test(call))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no matching call after #" + index + " in " + this.calls));
		}

	}

}
