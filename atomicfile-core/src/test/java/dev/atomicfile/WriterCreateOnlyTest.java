package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.RecordingListener;
import dev.atomicfile.testsupport.StraceLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertFailedCleanly;
import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Create-only writes ({@code writeNew}, {@code PendingFile.commitNew}): the finished temp is linked
 * to the target's name, which {@code link(2)} refuses if anything has it, so the decision has no
 * check-then-act window.
 */
class WriterCreateOnlyTest {

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@Test
	void createsAnAbsentFileWithItsWholeContent() throws IOException {
		Path target = this.directory.resolve("claim.json");
		this.writer.writeNew(target, "mine".getBytes(StandardCharsets.UTF_8));
		assertThat(target).hasContent("mine");
		assertThat(Files.getAttribute(target, "unix:nlink")).as("the temp name is gone").isEqualTo(1);
		assertNoTempFiles(this.directory);
		assertThat(this.listener.successes()).singleElement()
			.satisfies((event) -> assertThat(event.bytes()).isEqualTo(4));
	}

	@Test
	void anExistingFileIsNeverReplaced() throws IOException {
		Path target = this.directory.resolve("claim.json");
		byte[] before = "theirs".getBytes(StandardCharsets.UTF_8);
		Files.write(target, before);
		FileAlreadyExistsException thrown = catchExists(
				() -> this.writer.writeNew(target, "mine".getBytes(StandardCharsets.UTF_8)));
		assertThat(thrown.getFile()).isEqualTo(target.toString());
		assertFailedCleanly(target, before, this.listener, thrown);
	}

	@Test
	void aDanglingLinkCountsAsExisting() throws IOException {
		Path target = this.directory.resolve("claim.json");
		Files.createSymbolicLink(target, this.directory.resolve("nowhere"));
		catchExists(() -> this.writer.writeNew(target, (out) -> out.write(1)));
		assertThat(Files.isSymbolicLink(target)).isTrue();
		assertThat(this.directory.resolve("nowhere")).doesNotExist();
		assertNoTempFiles(this.directory);
	}

	@Test
	void ofThreadsRacingToCreateOneFileExactlyOneWinsAndItsContentIsWhole() throws Exception {
		int racers = 8;
		Path target = this.directory.resolve("leader");
		CyclicBarrier start = new CyclicBarrier(racers);
		ExecutorService pool = Executors.newFixedThreadPool(racers);
		try {
			List<Future<Boolean>> outcomes = new ArrayList<>();
			for (int i = 0; i < racers; i++) {
				byte[] content = ("racer " + i + " ").repeat(10_000).getBytes(StandardCharsets.UTF_8);
				outcomes.add(pool.submit(() -> {
					start.await();
					try {
						this.writer.writeNew(target, content);
						return true;
					}
					catch (FileAlreadyExistsException ex) {
						return false;
					}
				}));
			}
			int winners = 0;
			for (Future<Boolean> outcome : outcomes) {
				winners += outcome.get() ? 1 : 0;
			}
			assertThat(winners).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		String content = Files.readString(target);
		assertThat(content).matches("(racer \\d )+").hasSize(80_000);
		assertThat(content.substring(0, 8).repeat(10_000)).isEqualTo(content);
		assertNoTempFiles(this.directory);
	}

	@Test
	void aPendingFileCommitsNewOrFailsOnAnExistingTarget() throws IOException {
		Path fresh = this.directory.resolve("fresh.txt");
		try (PendingFile pending = this.writer.newPendingFile(fresh)) {
			pending.outputStream().write("new".getBytes(StandardCharsets.UTF_8));
			pending.commitNew();
		}
		assertThat(fresh).hasContent("new");
		try (PendingFile pending = this.writer.newPendingFile(fresh)) {
			pending.outputStream().write("other".getBytes(StandardCharsets.UTF_8));
			catchExists(pending::commitNew);
		}
		assertThat(fresh).hasContent("new");
		assertNoTempFiles(this.directory);
	}

	@Test
	void theNameIsTakenWithLinkNotRename() throws Exception {
		Path target = this.directory.resolve("linked.txt");
		Path traceFile = this.directory.resolve("strace.out");
		Process child = new ProcessBuilder(ChildJvm.command(
				List.of("strace", "-f", "-qq", "-o", traceFile.toString(), "-e", "trace=link,linkat,rename,unlink"),
				CreateOnlyMain.class, target.toString()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).endsWith("OK\n");
		assertThat(child.waitFor()).isZero();
		List<StraceLog.Call> calls = StraceLog.read(traceFile).calls();
		StraceLog.Call link = calls.stream()
			.filter((call) -> call.is("link", "linkat") && call.arguments().contains(target.toString()))
			.findFirst()
			.orElseThrow();
		assertThat(link.succeeded()).isTrue();
		assertThat(calls).as("no rename onto the target")
			.noneMatch((call) -> call.is("rename") && call.arguments().contains("\"" + target + "\""));
		assertThat(target).hasContent("created by a child");
	}

	@Test
	void aFileSystemWithoutHardLinksFailsTheWriteNamingTheTargetAndLeavesNothing() throws Exception {
		// What FAT and some FUSE file systems answer to link(2), injected into the real system call.
		Path target = this.directory.resolve("nolinks.txt");
		Process child = new ProcessBuilder(ChildJvm.command(List.of("strace", "-f", "-qq", "-o", "/dev/null", "-e",
				"trace=link,linkat", "-e", "inject=link,linkat:error=EPERM"), CreateOnlyMain.class, target.toString()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor()).isZero();
		assertThat(output.lines().filter((line) -> line.startsWith("FAILED ")).findFirst()).hasValueSatisfying(
				(line) -> assertThat(line).contains("FileSystemException").contains(target.toString())
					.contains("Operation not permitted"));
		assertThat(target).doesNotExist();
		assertNoTempFiles(this.directory);
	}

	private static FileAlreadyExistsException catchExists(ThrowingCall call) {
		FileAlreadyExistsException thrown = org.assertj.core.api.Assertions
			.catchThrowableOfType(FileAlreadyExistsException.class, call::run);
		assertThat(thrown).as("FileAlreadyExistsException thrown").isNotNull();
		return thrown;
	}

	@FunctionalInterface
	private interface ThrowingCall {

		void run() throws Throwable;

	}

	/** Creates the file at {@code args[0]} with writeNew, for the strace test. */
	public static final class CreateOnlyMain {

		public static void main(String[] args) {
			try {
				AtomicFileWriter.builder()
					.build()
					.writeNew(Path.of(args[0]), "created by a child".getBytes(StandardCharsets.UTF_8));
				System.out.println("OK");
			}
			catch (IOException ex) {
				System.out.println("FAILED " + ex);
			}
		}

	}

}
