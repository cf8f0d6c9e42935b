package dev.atomicfile;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.atomicfile.WriterApisMain.Output;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.OtherUser;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertFailedCleanly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code writeFile} gives its producer a path inside a private temp directory (issue 9 rule 2 and
 * the design's writeFile section): 0700, named in the temp format, holding a lock file the writer
 * keeps locked. Reapers in this JVM and in another one, with no age protection at all, leave a
 * quiet producer's work alone, so an append after a pause commits both parts; and whatever the
 * producer leaves behind, or puts in place of its file, nothing is left once the write ends.
 */
class WriterTempDirectoryTest {

	private static final byte[] OLD = "old content\n".getBytes(StandardCharsets.UTF_8);

	private static final String PART_1 = "part 1, then a long pause;";

	private static final String PART_2 = " part 2 after it\n";

	@TempDir
	Path directory;

	@TempDir
	Path scratch;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@Test
	void producersPathLiesInAPrivateLockedDirectoryNamedInTheTempFormat() throws IOException {
		Path target = Files.write(this.directory.resolve("report.pdf"), OLD);
		List<String> seen = new ArrayList<>();
		this.writer.writeFile(target, (temp) -> {
			Path privateDirectory = temp.getParent();
			String name = privateDirectory.getFileName().toString();
			assertThat(privateDirectory.getParent()).isEqualTo(this.directory);
			assertThat(TempFileNames.isTempNameOf(name, "report.pdf")).as(name).isTrue();
			assertThat(TempFileNames.isOwnProcess(name)).isTrue();
			assertThat(TempFileNames.isUnlocked(name)).as("locked").isFalse();
			assertThat(modeOf(privateDirectory)).isEqualTo("rwx------");
			assertThat(temp.getFileName()).as("named like the target").hasToString("report.pdf");
			assertThat(privateDirectory.resolve(TempFileNames.LOCK_FILE_NAME)).isRegularFile();
			seen.addAll(Directories.names(privateDirectory));
			Files.writeString(temp, "new");
		});
		assertThat(seen).containsExactlyInAnyOrder(TempFileNames.LOCK_FILE_NAME, "report.pdf");
		assertThat(target).hasContent("new");
		assertThat(Directories.names(this.directory)).containsExactly("report.pdf");
	}

	@Test
	void targetNamedLikeTheLockFileGetsAnotherNameInside() throws IOException {
		Path target = this.directory.resolve(TempFileNames.LOCK_FILE_NAME);
		List<Path> given = new ArrayList<>();
		this.writer.writeFile(target, (temp) -> {
			given.add(temp);
			assertThat(temp.getFileName()).isNotEqualTo(target.getFileName());
			assertThat(temp.resolveSibling(TempFileNames.LOCK_FILE_NAME)).isRegularFile();
			Files.writeString(temp, "new");
		});
		assertThat(target).hasContent("new");
		assertThat(given.get(0).getParent()).doesNotExist();
		assertThat(Directories.names(this.directory)).containsExactly(TempFileNames.LOCK_FILE_NAME);
	}

	@Test
	void quietProducerSurvivesReapersWithoutAgeProtectionInThisJvmAndAnother() throws Exception {
		Path target = Files.write(this.directory.resolve("backup.db"), OLD);
		CountDownLatch partOneWritten = new CountDownLatch(1);
		CountDownLatch resume = new CountDownLatch(1);
		List<Path> given = new ArrayList<>();
		CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
			try {
				this.writer.writeFile(target, (temp) -> {
					given.add(temp);
					append(temp, PART_1);
					partOneWritten.countDown();
					await(resume);
					append(temp, PART_2);
				});
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		try {
			await(partOneWritten);
			Path temp = given.get(0);
			for (boolean recursive : new boolean[] { false, true }) {
				ReapReport inJvm = OrphanReaper.builder()
					.minAge(Duration.ZERO)
					.maxAge(Duration.ZERO)
					.recursive(recursive)
					.build()
					.reap(this.directory);
				assertThat(inJvm.reaped()).as("reaped in this JVM, recursive: %s", recursive).isZero();
				ReapReport otherJvm = reapInChildJvm(recursive);
				assertThat(otherJvm.reaped()).as("reaped in another JVM, recursive: %s", recursive).isZero();
				assertThat(temp).as("the producer's file").hasContent(PART_1);
				assertThat(temp.resolveSibling(TempFileNames.LOCK_FILE_NAME)).exists();
			}
		}
		finally {
			resume.countDown();
		}
		write.get(1, TimeUnit.MINUTES);
		assertThat(target).hasContent(PART_1 + PART_2);
		assertThat(Directories.names(this.directory)).containsExactly("backup.db");
	}

	@Test
	void whateverElseTheProducerLeavesIsRemovedAndLinksAreNeverFollowed() throws IOException {
		Path outside = Files.createDirectory(this.directory.resolve("outside"));
		Path precious = Files.writeString(outside.resolve("precious.txt"), "must survive");
		Path target = Files.write(this.directory.resolve("archive.zip"), OLD);
		this.writer.writeFile(target, (temp) -> {
			Files.writeString(temp, "new");
			Path privateDirectory = temp.getParent();
			Files.writeString(privateDirectory.resolve("scratch.part"), "left over");
			Files.writeString(privateDirectory.resolve(".hidden"), "left over");
			Path deep = Files.createDirectory(privateDirectory.resolve("tree"));
			for (int i = 0; i < 100; i++) {
				deep = Files.createDirectory(deep.resolve("level-" + i));
			}
			Files.writeString(deep.resolve("deepest.txt"), "left over");
			Files.createSymbolicLink(privateDirectory.resolve("escape"), outside);
			Files.createSymbolicLink(deep.resolve("escape-too"), precious);
			mkfifo(privateDirectory.resolve("fifo"));
		});
		assertThat(target).hasContent("new");
		assertThat(precious).hasContent("must survive");
		assertThat(Directories.names(this.directory)).containsExactlyInAnyOrder("archive.zip", "outside");
		assertThat(Directories.names(outside)).containsExactly("precious.txt");
	}

	@Test
	void readOnlyDirectoriesTheProducerLeavesAreRemovedByAnUnprivilegedWriter() throws Exception {
		assumeThat(ChildJvm.isRoot()).as("nobody's JVM needs setpriv, which needs root, as in CI").isTrue();
		OtherUser.own(OtherUser.openDirectory(this.directory));
		Path target = Files.write(this.directory.resolve("extracted.bin"), OLD);
		OtherUser.own(target);
		Output output = WriterApisMain.awaitOutput(OtherUser.startJvm(this.scratch, List.of(), WriterApisMain.class,
				"file-read-only-tree", target.toString()));
		assertThat(output.failed()).isEmpty();
		assertThat(target).hasContent(WriterApisMain.content("file-read-only-tree"));
		assertThat(output.logged("WARN")).as("clean-up problems").isEmpty();
		assertThat(Directories.names(this.directory)).containsExactly("extracted.bin");
	}

	@Test
	void directoryInsteadOfAFileFailsCleanly() throws IOException {
		Path target = Files.write(this.directory.resolve("state.bin"), OLD);
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, (temp) -> {
			Files.delete(temp);
			Files.createDirectory(temp);
			Files.writeString(temp.resolve("inside"), "new");
		}));
		assertThat(thrown).isInstanceOf(FileSystemException.class);
		assertFailedCleanly(target, OLD, this.listener, thrown);
		assertThat(Directories.names(this.directory)).containsExactly("state.bin");
	}

	@Test
	void symbolicLinkInsteadOfAFileFailsCleanlyAndItsTargetIsUntouched() throws IOException {
		Path outside = Files.writeString(this.directory.resolve("outside.txt"), "must survive");
		Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-rw-rw-"));
		Path target = Files.write(this.directory.resolve("state.bin"), OLD);
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, (temp) -> {
			Files.delete(temp);
			Files.createSymbolicLink(temp, outside);
		}));
		assertThat(thrown).isInstanceOf(FileSystemException.class);
		assertFailedCleanly(target, OLD, this.listener, thrown);
		assertThat(outside).hasContent("must survive");
		assertThat(modeOf(outside)).as("no chmod through the link").isEqualTo("rw-rw-rw-");
		assertThat(Files.isSymbolicLink(target)).isFalse();
		assertThat(Directories.names(this.directory)).containsExactlyInAnyOrder("outside.txt", "state.bin");
	}

	@Test
	void producerThatLeavesNoFileFailsCleanly() throws IOException {
		Path target = Files.write(this.directory.resolve("state.bin"), OLD);
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, Files::delete));
		assertThat(thrown).isInstanceOf(NoSuchFileException.class);
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void producerThatDeletesTheLockFileLeavesNothingBehindWhateverTheOutcome() throws IOException {
		Path target = Files.write(this.directory.resolve("state.bin"), OLD);
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, (temp) -> {
			Files.writeString(temp, "new");
			Files.delete(temp.resolveSibling(TempFileNames.LOCK_FILE_NAME));
		}));
		if (thrown == null) {
			assertThat(target).hasContent("new");
		}
		else {
			assertFailedCleanly(target, OLD, this.listener, thrown);
		}
		assertThat(Directories.names(this.directory)).containsExactly("state.bin");
	}

	private ReapReport reapInChildJvm(boolean recursive) throws IOException, InterruptedException {
		try (ReaperChild reaper = ReaperChild.start(List.of(), ReaperMain.class, this.directory.toString(), "0", "0",
				String.valueOf(recursive))) {
			return ReaperMain.parse(this.directory, reaper.awaitLine("REPORT\t"));
		}
	}

	private static void mkfifo(Path path) throws IOException {
		try {
			Commands.mkfifo(path);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static void append(Path file, String text) throws IOException {
		try (OutputStream out = new FileOutputStream(file.toFile(), true)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(1, TimeUnit.MINUTES)).as("released within a minute").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String modeOf(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

}
