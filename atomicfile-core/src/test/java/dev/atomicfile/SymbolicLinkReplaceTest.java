package dev.atomicfile;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code replaceSymbolicLink}: a link switched in one rename, never missing for a reader. */
class SymbolicLinkReplaceTest {

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@Test
	void createsThenSwitchesALink() throws IOException {
		Path current = this.directory.resolve("current");
		Files.createDirectories(this.directory.resolve("releases/v42"));
		Files.createDirectories(this.directory.resolve("releases/v43"));
		this.writer.replaceSymbolicLink(current, Path.of("releases/v42"));
		assertThat(Files.readSymbolicLink(current)).isEqualTo(Path.of("releases/v42"));
		this.writer.replaceSymbolicLink(current, Path.of("releases/v43"));
		assertThat(Files.readSymbolicLink(current)).isEqualTo(Path.of("releases/v43"));
		assertThat(this.directory.resolve("releases/v42")).as("the old destination is untouched").isDirectory();
		assertNoTempFiles(this.directory);
		assertThat(this.listener.successes()).hasSize(2);
	}

	@Test
	void aReaderNeverFindsTheLinkMissingWhileItIsSwitched() throws Exception {
		Path current = this.directory.resolve("current");
		Files.writeString(Files.createDirectories(this.directory.resolve("a")).resolve("id"), "a");
		Files.writeString(Files.createDirectories(this.directory.resolve("b")).resolve("id"), "b");
		this.writer.replaceSymbolicLink(current, Path.of("a"));
		AtomicBoolean switching = new AtomicBoolean(true);
		AtomicLong reads = new AtomicLong();
		AtomicLong missing = new AtomicLong();
		AtomicLong wrong = new AtomicLong();
		Thread reader = new Thread(() -> {
			while (switching.get()) {
				try {
					String id = Files.readString(current.resolve("id"));
					if (!id.equals("a") && !id.equals("b")) {
						wrong.incrementAndGet();
					}
					reads.incrementAndGet();
				}
				catch (IOException ex) {
					missing.incrementAndGet();
				}
			}
		});
		reader.start();
		for (int i = 0; i < 2_000; i++) {
			this.writer.replaceSymbolicLink(current, Path.of((i % 2 == 0) ? "b" : "a"));
		}
		switching.set(false);
		reader.join();
		assertThat(missing.get()).as("reads that found no link, of %d", reads.get()).isZero();
		assertThat(wrong.get()).isZero();
		assertThat(reads.get()).isPositive();
	}

	@Test
	void aRegularFileIsNotReplacedByALink() throws IOException {
		Path file = this.directory.resolve("current");
		Files.writeString(file, "data");
		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> this.writer.replaceSymbolicLink(file, Path.of("elsewhere")))
			.withMessageContaining(file.toString())
			.withMessageContaining("Not a symbolic link");
		assertThat(file).hasContent("data");
		assertNoTempFiles(this.directory);
		assertThat(this.listener.failures()).singleElement()
			.satisfies((failure) -> assertThat(failure.target()).isEqualTo(file));
	}

	@Test
	void aStagedLinkLeftByACrashIsReapedAfterMaxAgeWithoutTouchingItsDestination() throws IOException {
		Path destination = Files.writeString(this.directory.resolve("precious"), "keep");
		// What a writer killed between creating its temp link and the rename leaves.
		Path leftover = Files.createSymbolicLink(this.directory.resolve("current.tmp.afu-1-0badf00d-1-1"), destination);
		Path young = Files.createSymbolicLink(this.directory.resolve("next.tmp.afu-1-0badf00d-1-2"), destination);
		Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
		// setLastModifiedTime follows links; the link's own time is what the reaper reads.
		Files.getFileAttributeView(leftover, java.nio.file.attribute.BasicFileAttributeView.class,
				java.nio.file.LinkOption.NOFOLLOW_LINKS)
			.setTimes(FileTime.from(Instant.now().minus(Duration.ofHours(2))), null, null);
		ReapReport report = OrphanReaper.builder().maxAge(Duration.ofHours(1)).build().reap(this.directory);
		assertThat(report.reaped()).isEqualTo(1);
		assertThat(leftover).doesNotExist();
		assertThat(Files.isSymbolicLink(young)).as("younger than maxAge").isTrue();
		assertThat(destination).hasContent("keep");
	}

	@Test
	void aLockedTempNameOnALinkIsStillNeverTouched() throws IOException {
		Path destination = Files.writeString(this.directory.resolve("precious"), "keep");
		Path planted = Files.createSymbolicLink(this.directory.resolve("x.tmp.af-1-0badf00d-1-1"), destination);
		Files.getFileAttributeView(planted, java.nio.file.attribute.BasicFileAttributeView.class,
				java.nio.file.LinkOption.NOFOLLOW_LINKS)
			.setTimes(FileTime.from(Instant.now().minus(Duration.ofDays(2))), null, null);
		OrphanReaper.builder().maxAge(Duration.ofHours(1)).build().reap(this.directory);
		assertThat(Files.isSymbolicLink(planted)).isTrue();
		assertThat(destination).hasContent("keep");
	}

}
