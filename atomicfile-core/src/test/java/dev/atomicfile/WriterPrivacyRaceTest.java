package dev.atomicfile;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.OpenRacer;
import dev.atomicfile.testsupport.OtherUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Content is never readable more widely than the final file will be (issue 9 rule 9a, issue 14
 * item 1): root writes a 0600 file in a 0755 directory while a real second user (nobody, through
 * {@code setpriv}) tries to open every file that appears anywhere below that directory, on each
 * inotify event and in full scans. Not one open may succeed: not of the temp file before its first
 * byte, and not of a {@code writeFile} producer's file that the producer recreated with the
 * umask's mode. A world-readable decoy in the same directory proves that the racer can open what
 * it is allowed to.
 */
class WriterPrivacyRaceTest {

	/** Enough for a racer to catch a window of microseconds many times over (it caught nearly every one). */
	private static final int RACED_WRITES = 1000;

	private static final String SECRET = "TOP-SECRET content of a 0600 file\n";

	@TempDir
	Path scratch;

	private Path directory;

	private Path decoy;

	private Path target;

	@BeforeEach
	void secretInASharedDirectory() throws IOException {
		assumeThat(ChildJvm.isRoot()).as("a second user needs setpriv, which needs root, as in CI").isTrue();
		this.directory = OtherUser.openDirectory(Files.createDirectory(this.scratch.resolve("shared")));
		this.decoy = Files.writeString(this.directory.resolve("public.txt"), "anyone may read this");
		Files.setPosixFilePermissions(this.decoy, PosixFilePermissions.fromString("rw-r--r--"));
		this.target = Files.writeString(this.directory.resolve("secret.txt"), "old " + SECRET);
		Files.setPosixFilePermissions(this.target, PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void tempFileIsNeverOpenableByAnotherUserNotEvenBeforeItsFirstByte() throws Exception {
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.NONE).build();
		try (OpenRacer racer = OpenRacer.start(this.directory, this.scratch)) {
			// A few writes that wait for full scans while the temp file is empty and then while it
			// holds content: the racer certainly tried it in both states.
			for (int i = 0; i < 3; i++) {
				writer.write(this.target, (out) -> {
					racer.awaitPasses(2);
					out.write(SECRET.getBytes(StandardCharsets.UTF_8));
					out.flush();
					racer.awaitPasses(2);
				});
			}
			// Then many at full speed, each racing the racer's inotify-driven opens.
			for (int i = 0; i < RACED_WRITES; i++) {
				writer.writeString(this.target, i + " " + SECRET);
			}
			racer.awaitPasses(2);
			assertThat(racer.opened()).as("the racer can open what it may").anySatisfy(
					(opened) -> assertThat(opened.path()).isEqualTo(this.decoy.toString()));
			assertThat(racer.openedExcept(this.decoy)).as("files another user opened").isEmpty();
		}
		assertThat(this.target).hasContent((RACED_WRITES - 1) + " " + SECRET);
		assertThat(modeOf(this.target)).isEqualTo("rw-------");
		assertNoTempFiles(this.directory);
	}

	static Stream<Arguments> producersThatRecreateTheirFile() {
		return Stream.of(Arguments.of("Files.copy(REPLACE_EXISTING)", (Producer) (temp, source) -> {
			Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
		}), Arguments.of("Files.delete, then Files.write", (Producer) (temp, source) -> {
			Files.delete(temp);
			Files.write(temp, Files.readAllBytes(source));
		}), Arguments.of("ImageIO.write(File)", (Producer) (temp, source) -> {
			BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
			image.setRGB(3, 5, 0x123456);
			assertThat(ImageIO.write(image, "png", temp.toFile())).as("a PNG writer exists").isTrue();
		}), Arguments.of("Files.write, then chmod 0644", (Producer) (temp, source) -> {
			Files.write(temp, Files.readAllBytes(source));
			Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
		}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("producersThatRecreateTheirFile")
	void producersFileIsNeverOpenableByAnotherUser(String name, Producer producer) throws Exception {
		Path privateDirectory = Files.createDirectory(this.scratch.resolve("private"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path source = Files.writeString(privateDirectory.resolve("source"), SECRET);
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		try (OpenRacer racer = OpenRacer.start(this.directory, this.scratch)) {
			writer.writeFile(this.target, (temp) -> {
				producer.produce(temp, source);
				// The producer is slow: its file sits there, made with the umask's mode or wider,
				// while the racer scans everything it can reach, twice over.
				racer.awaitPasses(3);
			});
			racer.awaitPasses(2);
			assertThat(racer.opened()).as("the racer can open what it may").anySatisfy(
					(opened) -> assertThat(opened.path()).isEqualTo(this.decoy.toString()));
			assertThat(racer.openedExcept(this.decoy)).as("files another user opened").isEmpty();
		}
		assertThat(modeOf(this.target)).isEqualTo("rw-------");
		assertThat(Files.readAllBytes(this.target)).isNotEqualTo(("old " + SECRET).getBytes(StandardCharsets.UTF_8));
		assertThat(this.directory).isDirectoryNotContaining((entry) -> !entry.equals(this.target)
				&& !entry.equals(this.decoy));
	}

	private static String modeOf(Path file) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
	}

	/** Makes the content at {@code temp}, from {@code source} where it copies. */
	@FunctionalInterface
	interface Producer {

		void produce(Path temp, Path source) throws IOException;

	}

}
