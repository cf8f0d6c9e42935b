package dev.atomicfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.RecordingListener;
import dev.atomicfile.testsupport.ReaperChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link PendingFile}: a write over several calls, read back, committed or discarded. */
class PendingFileTest {

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@Test
	void contentWrittenOverSeveralCallsIsReadBackAndCommitted() throws IOException {
		Path target = this.directory.resolve("report.csv");
		Files.writeString(target, "old");
		try (PendingFile pending = this.writer.newPendingFile(target)) {
			OutputStream out = pending.outputStream();
			out.write("a,b\n".getBytes(StandardCharsets.UTF_8));
			try (InputStream in = pending.newInputStream()) {
				assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("a,b\n");
			}
			out.write("1,2\n".getBytes(StandardCharsets.UTF_8));
			try (InputStream in = pending.newInputStream()) {
				assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("a,b\n1,2\n");
			}
			assertThat(target).as("nothing visible before the commit").hasContent("old");
			pending.commit();
		}
		assertThat(target).hasContent("a,b\n1,2\n");
		assertNoTempFiles(this.directory);
		assertThat(this.listener.successes()).singleElement()
			.satisfies((event) -> assertThat(event.bytes()).isEqualTo(8));
	}

	@Test
	void closingWithoutCommitDiscardsEverything() throws IOException {
		Path target = this.directory.resolve("report.csv");
		try (PendingFile pending = this.writer.newPendingFile(target)) {
			pending.outputStream().write(new byte[100_000]);
			assertThat(Files.list(this.directory)).hasSize(1);
		}
		assertThat(target).doesNotExist();
		assertThat(this.directory).isEmptyDirectory();
		assertThat(this.listener.successes()).isEmpty();
	}

	@Test
	void aSwallowedStreamFailureRefusesTheCommit() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root to mount a size-limited tmpfs");
		Path mount = Files.createDirectory(this.directory.resolve("small"));
		Commands.mountTmpfs(mount, "64k");
		try {
			Path target = mount.resolve("big.bin");
			Files.writeString(target, "old");
			try (PendingFile pending = this.writer.newPendingFile(target)) {
				PrintStream swallowing = new PrintStream(pending.outputStream());
				swallowing.write(new byte[256 * 1024]);
				swallowing.flush();
				assertThat(swallowing.checkError()).as("PrintStream saw the ENOSPC and swallowed it").isTrue();
				assertThatExceptionOfType(FileSystemException.class).isThrownBy(pending::commit)
					.withMessageContaining(target.toString());
			}
			assertThat(target).hasContent("old");
			assertNoTempFiles(mount);
		}
		finally {
			Commands.umount(mount);
		}
	}

	@Test
	void aCommittedOrClosedPendingFileCannotBeCommittedAgain() throws IOException {
		PendingFile pending = this.writer.newPendingFile(this.directory.resolve("once.txt"));
		pending.commit();
		assertThatIllegalStateException().isThrownBy(pending::commit);
		assertThatIllegalStateException().isThrownBy(pending::commitNew);
		pending.close();
		assertThat(this.directory.resolve("once.txt")).isEmptyFile();
		PendingFile closed = this.writer.newPendingFile(this.directory.resolve("never.txt"));
		closed.close();
		closed.close();
		assertThatIllegalStateException().isThrownBy(closed::commit);
		assertThat(this.directory.resolve("never.txt")).doesNotExist();
	}

	@Test
	void readingBackKeepsTheLockThatProtectsTheTempFromReapers() throws Exception {
		Path target = this.directory.resolve("held.bin");
		try (PendingFile pending = this.writer.newPendingFile(target)) {
			pending.outputStream().write("content".getBytes(StandardCharsets.UTF_8));
			try (InputStream in = pending.newInputStream()) {
				assertThat(in.readAllBytes()).hasSize(7);
			}
			// A reaper in another process, with no age limit at all, finds the temp alive.
			try (ReaperChild reaper = ReaperChild.start(List.of(), ReaperMain.class, this.directory.toString(), "0",
					"0", "false")) {
				ReapReport report = ReaperMain.parse(this.directory, reaper.awaitLine("REPORT"));
				assertThat(report.reaped()).isZero();
				assertThat(report.keptLive()).isEqualTo(1);
			}
			pending.commit();
		}
		assertThat(target).hasContent("content");
	}

}
