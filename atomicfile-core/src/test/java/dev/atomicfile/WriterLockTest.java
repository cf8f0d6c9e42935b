package dev.atomicfile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.OtherUser;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.ReaperNoLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The lock that tells reapers a temp is alive (issue 9 rule 5). Where the kernel refuses locks (a
 * seccomp filter makes every fcntl lock command fail with ENOLCK in a child JVM, as NFS without a
 * lock manager does) the temp, file or directory, is renamed to the unlocked variant, which no
 * reaper judges dead before maxAge, the write still succeeds, and the JVM says so once per file
 * system. Where locks work, the writer holds its lock from creation to rename, through the owner
 * and mode changes made after the content, as another process sees while the fsync is held up.
 */
class WriterLockTest {

	private static final String TARGET_CONTENT = "old\n";

	@TempDir
	Path directory;

	@TempDir
	Path scratch;

	private Path mountPoint;

	@AfterEach
	void unmount() throws Exception {
		if (this.mountPoint != null) {
			Commands.umount(this.mountPoint);
		}
	}

	@Test
	void streamedTempThatCannotBeLockedIsMarkedUnlockedAndSparedUntilMaxAge() throws Exception {
		Path target = Files.writeString(this.directory.resolve("state.json"), TARGET_CONTENT);
		try (ReaperChild writer = ReaperChild.start(ReaperNoLocks.wrapper(this.scratch), ReaperWriterMain.class)) {
			Path temp = ReaperLivenessTest.begin(writer, "1", target);
			String name = temp.getFileName().toString();
			assertThat(name).contains(".tmp.afu-");
			assertThat(TempFileNames.isTempNameOf(name, "state.json")).isTrue();
			assertThat(TempFileNames.isUnlocked(name)).isTrue();
			assertThat(Directories.names(this.directory)).containsExactlyInAnyOrder("state.json", name);

			ReapReport report = reaperWithOnlyMaxAge().build().reap(this.directory);
			assertThat(report.reaped()).as("reaped although younger than maxAge").isZero();
			assertThat(temp).hasContent(ReaperWriterMain.head("1"));

			ReaperLivenessTest.finish(writer, "1");
		}
		assertThat(target).hasContent(ReaperWriterMain.content("1"));
		assertThat(Directories.names(this.directory)).containsExactly("state.json");
	}

	@Test
	void producersDirectoryThatCannotBeLockedIsMarkedUnlockedAndSparedUntilMaxAge() throws Exception {
		Path target = Files.writeString(this.directory.resolve("image.png"), TARGET_CONTENT);
		try (ReaperChild writer = ReaperChild.start(ReaperNoLocks.wrapper(this.scratch), WriterApisMain.class,
				"file-block", target.toString())) {
			Path produced = Path.of(writer.awaitLine("PRODUCING\t").split("\t")[1]);
			String name = produced.getParent().getFileName().toString();
			assertThat(name).contains(".tmp.afu-");
			assertThat(TempFileNames.isTempNameOf(name, "image.png")).isTrue();
			assertThat(TempFileNames.isUnlocked(name)).isTrue();
			assertThat(produced.resolveSibling(TempFileNames.LOCK_FILE_NAME)).isRegularFile();
			assertThat(Directories.names(this.directory)).containsExactlyInAnyOrder("image.png", name);

			ReapReport report = reaperWithOnlyMaxAge().recursive(true).build().reap(this.directory);
			assertThat(report.reaped()).as("reaped although younger than maxAge").isZero();
			assertThat(produced).exists();

			writer.send("go");
			assertThat(writer.awaitLine("OK\t")).isEqualTo("OK\t" + target);
			assertThat(writer.awaitLine("LOG\tWARN\t")).containsIgnoringCase("lock");
			writer.awaitLine("END");
		}
		assertThat(target).hasContent(WriterApisMain.content("file-block"));
		assertThat(Directories.names(this.directory)).containsExactly("image.png");
	}

	@Test
	void lockFailureIsReportedOnceForEachFileSystem() throws Exception {
		assumeThat(ChildJvm.isRoot()).as("a second file system needs a tmpfs mount, which needs root").isTrue();
		this.mountPoint = Files.createDirectory(this.directory.resolve("tmpfs"));
		Commands.mountTmpfs(this.mountPoint, "1m");
		Path disk = Files.createDirectory(this.directory.resolve("disk"));
		List<String> args = new ArrayList<>();
		for (Path fileSystem : List.of(disk, this.mountPoint)) {
			for (String api : List.of("bytes", "stream", "file", "file-append")) {
				for (int i = 0; i < 2; i++) {
					args.addAll(List.of(api, fileSystem.resolve(api + "-" + i + ".txt").toString()));
				}
			}
		}
		Process child = ChildJvm.start(ReaperNoLocks.wrapper(this.scratch), WriterApisMain.class,
				args.toArray(String[]::new));
		WriterApisMain.Output output = WriterApisMain.awaitOutput(child);

		assertThat(output.failed()).isEmpty();
		assertThat(output.ok()).hasSize(16);
		List<String> warnings = output.logged("WARN");
		assertThat(warnings).as("WARN lines").hasSize(2).doesNotHaveDuplicates();
		assertThat(warnings).filteredOn((warning) -> warning.contains(this.mountPoint.toString()))
			.as("the WARN naming the tmpfs")
			.hasSize(1);
		for (Path fileSystem : List.of(disk, this.mountPoint)) {
			for (String api : List.of("bytes", "stream", "file", "file-append")) {
				assertThat(fileSystem.resolve(api + "-1.txt")).hasContent(WriterApisMain.content(api));
			}
			assertNoTempFiles(fileSystem);
		}
	}

	@Test
	void lockIsHeldFromCreationToRenameThroughTheOwnerAndModeChanges() throws Exception {
		assumeThat(ChildJvm.isRoot()).as("chown to another user needs root, as in CI").isTrue();
		Path streamed = Files.writeString(this.directory.resolve("streamed.txt"), TARGET_CONTENT);
		Path produced = Files.writeString(this.directory.resolve("produced.txt"), TARGET_CONTENT);
		for (Path target : List.of(streamed, produced)) {
			OtherUser.own(target);
			// setgid shows from outside that the final mode has been applied: it cannot be given at creation.
			Files.setAttribute(target, "unix:mode", 02640);
		}
		// Every fsync is held up for a while in the kernel's entry: the window between the mode
		// change and the rename, in which another process checks the lock.
		List<String> slowSync = List.of("strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync",
				"-e", "inject=fsync:delay_enter=1000000");
		Process child = ChildJvm.start(slowSync, WriterApisMain.class, "--durability=FILE", "bytes",
				streamed.toString(), "file", produced.toString());

		WriterApisMain.Output output;
		try {
			Path streamedTemp = awaitTempWithFinalMode(streamed, (temp) -> Optional.of(temp));
			assertThat(isLockedByAnotherProcess(streamedTemp)).as("temp of a streamed write locked").isTrue();
			Path producedTemp = awaitTempWithFinalMode(produced,
					(temp) -> Optional.of(temp.resolve("produced.txt")).filter(Files::exists));
			assertThat(isLockedByAnotherProcess(producedTemp.resolveSibling(TempFileNames.LOCK_FILE_NAME)))
				.as("lock file of a writeFile directory locked")
				.isTrue();
		}
		finally {
			output = WriterApisMain.awaitOutput(child);
		}
		assertThat(output.ok()).containsExactly(streamed.toString(), produced.toString());
		for (Path target : List.of(streamed, produced)) {
			assertThat(Files.getAttribute(target, "unix:mode")).isEqualTo(0102640);
			assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(OtherUser.uid());
		}
	}

	private static OrphanReaper.Builder reaperWithOnlyMaxAge() {
		return OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ofHours(1));
	}

	/**
	 * Waits until a temp entry of {@code target} exists whose content file has the setgid bit, the
	 * sign that the final mode was applied after the content.
	 * @return the content file
	 */
	private Path awaitTempWithFinalMode(Path target, ContentOf contentOf) {
		String name = target.getFileName().toString();
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).ignoreExceptions().until(() -> {
			try (Stream<Path> entries = Files.list(this.directory)) {
				for (Path entry : entries.toList()) {
					if (TempFileNames.isTempNameOf(entry.getFileName().toString(), name)) {
						Optional<Path> content = contentOf.find(entry);
						if (content.isPresent() && hasSetgid(content.get())) {
							return content.get();
						}
					}
				}
			}
			return null;
		}, (found) -> found != null);
	}

	private static boolean hasSetgid(Path file) throws IOException {
		return ((Integer) Files.getAttribute(file, "unix:mode") & 02000) != 0;
	}

	/** Whether another process holds a lock on {@code file}: this one cannot take it. */
	private static boolean isLockedByAnotherProcess(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return true;
			}
			lock.release();
			return false;
		}
	}

	/** Where a temp entry's content is: the entry itself, or a file inside a temp directory. */
	@FunctionalInterface
	private interface ContentOf {

		Optional<Path> find(Path tempEntry) throws IOException;

	}

}
