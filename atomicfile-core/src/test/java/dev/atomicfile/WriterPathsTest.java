package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.atomicfile.testsupport.WriteAssertions.assertFailedCleanly;
import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Which file a write lands in: symbolic links, long names, and the inputs it refuses. */
class WriterPathsTest {

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@Test
	void symbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
		Path real = Files.writeString(this.directory.resolve("real.txt"), "old");
		Path link = Files.createSymbolicLink(this.directory.resolve("link.txt"), real);
		this.writer.writeString(link, "new");
		assertThat(link).isSymbolicLink();
		assertThat(Files.readSymbolicLink(link)).isEqualTo(real);
		assertThat(real).hasContent("new");
		assertThat(Directories.names(this.directory)).containsExactly("link.txt", "real.txt");
	}

	@Test
	void chainOfRelativeLinksIsFollowedToTheFinalFileAndItsDirectory() throws IOException {
		Path a = Files.createDirectory(this.directory.resolve("a"));
		Path b = Files.createDirectory(this.directory.resolve("b"));
		Path c = Files.createDirectory(this.directory.resolve("c"));
		Path real = Files.writeString(c.resolve("real.txt"), "old");
		Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
		Path second = Files.createSymbolicLink(b.resolve("second"), Path.of("../c/real.txt"));
		Path first = Files.createSymbolicLink(a.resolve("first"), Path.of("../b/second"));
		List<List<String>> during = new ArrayList<>();
		this.writer.write(first, (out) -> {
			for (Path dir : List.of(a, b, c)) {
				during.add(Directories.names(dir));
			}
			out.write("new".getBytes(StandardCharsets.UTF_8));
		});
		assertThat(during.get(0)).containsExactly("first");
		assertThat(during.get(1)).containsExactly("second");
		assertThat(during.get(2)).hasSize(2)
			.contains("real.txt")
			.anySatisfy((name) -> assertThat(TempFileNames.isTempNameOf(name, "real.txt")).isTrue());
		assertThat(real).hasContent("new");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r-----");
		assertThat(Files.readSymbolicLink(first)).isEqualTo(Path.of("../b/second"));
		assertThat(Files.readSymbolicLink(second)).isEqualTo(Path.of("../c/real.txt"));
		assertThat(this.listener.successes()).singleElement()
			.satisfies((event) -> assertThat(event.target()).isEqualTo(first));
	}

	@Test
	void danglingLinkCreatesTheFileItPointsTo() throws IOException {
		Path link = Files.createSymbolicLink(this.directory.resolve("link"), Path.of("created-later.txt"));
		this.writer.writeString(link, "new");
		assertThat(link).isSymbolicLink();
		assertThat(this.directory.resolve("created-later.txt")).hasContent("new");
	}

	@Test
	void linkLoopFailsNamingTheTarget() throws IOException {
		Path one = this.directory.resolve("one");
		Files.createSymbolicLink(one, Path.of("two"));
		Files.createSymbolicLink(this.directory.resolve("two"), Path.of("one"));
		Throwable thrown = catchThrowable(() -> this.writer.writeString(one, "new"));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(one.toString())
			.hasMessageContaining("Too many levels of symbolic links");
		assertThat(Directories.names(this.directory)).containsExactly("one", "two");
	}

	static Stream<Arguments> nullArguments() {
		Path target = Path.of("unused");
		return Stream.of(
				Arguments.of("target", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.write(null, new byte[0])),
				Arguments.of("bytes", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.write(target, (byte[]) null)),
				Arguments.of("target", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.writeString(null, "x")),
				Arguments.of("text", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.writeString(target, null)),
				Arguments.of("charset",
						(ThrowingConsumer<AtomicFileWriter>) (w) -> w.writeString(target, "x", null)),
				Arguments.of("target", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.write(null, (out) -> {
				})),
				Arguments.of("content", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.write(target, (ContentWriter) null)),
				Arguments.of("target", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.writeFile(null, (temp) -> {
				})), Arguments.of("producer", (ThrowingConsumer<AtomicFileWriter>) (w) -> w.writeFile(target, null)));
	}

	@ParameterizedTest
	@MethodSource("nullArguments")
	void nullArgumentFailsNamingTheParameter(String parameter, ThrowingConsumer<AtomicFileWriter> call) {
		assertThatNullPointerException().isThrownBy(() -> call.accept(this.writer)).withMessage(parameter);
		assertThat(this.listener.failures()).isEmpty();
	}

	@Test
	void nullBuilderSettingsFailNamingTheParameter() {
		assertThatNullPointerException().isThrownBy(() -> AtomicFileWriter.builder().durability(null))
			.withMessage("durability");
		assertThatNullPointerException().isThrownBy(() -> AtomicFileWriter.builder().listener(null))
			.withMessage("listener");
	}

	@Test
	void directoryAsTargetFailsNamingItAndChangesNothing() throws IOException {
		Path target = Files.createDirectory(this.directory.resolve("dir"));
		Files.writeString(target.resolve("inside"), "kept");
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "new"));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("Is a directory");
		assertThat(target).isDirectory();
		assertThat(target.resolve("inside")).hasContent("kept");
		assertThat(Directories.names(this.directory)).containsExactly("dir");
		assertThat(this.listener.failures()).singleElement()
			.satisfies((event) -> assertThat(event.exception()).isSameAs(thrown));
	}

	@Test
	void missingParentFailsNamingTheParent() throws IOException {
		Path parent = this.directory.resolve("missing");
		Path target = parent.resolve("target.txt");
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "new"));
		assertThat(thrown).isInstanceOf(NoSuchFileException.class).hasMessageContaining(target.toString());
		assertThat(((NoSuchFileException) thrown).getFile()).isEqualTo(parent.toString());
		assertThat(parent).doesNotExist();
		assertFailedCleanly(target, null, this.listener, thrown);
	}

	@Test
	void parentThatIsAFileFailsNamingTheTarget() throws IOException {
		Path file = Files.writeString(this.directory.resolve("file"), "kept");
		Path target = file.resolve("target.txt");
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "new"));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("Not a directory");
		assertThat(file).hasContent("kept");
		assertThat(Directories.names(this.directory)).containsExactly("file");
	}

	@Test
	void namedPipeIsRefusedWithoutBlocking() throws Exception {
		Path fifo = this.directory.resolve("fifo");
		Commands.mkfifo(fifo);
		// Opening a FIFO for writing blocks until a reader comes: the writer must not even try.
		Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> catchThrowable(() -> this.writer.writeString(fifo, "new")));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(fifo.toString())
			.hasMessageContaining("Not a regular file");
		assertThat(Files.isRegularFile(fifo)).isFalse();
		assertThat(Directories.names(this.directory)).containsExactly("fifo");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "é", "€", "😀" })
	void nameLongerThan255BytesFailsNamingTheTarget(String unit) throws IOException {
		Path target = this.directory.resolve(nameOfBytes(unit, 256));
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "new"));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("File name too long");
		assertFailedCleanly(target, null, this.listener, thrown);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "é", "€", "😀" })
	void nameOfExactly255BytesIsWrittenAndReplaced(String unit) throws IOException {
		String name = nameOfBytes(unit, 255);
		assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(255);
		Path target = this.directory.resolve(name);
		List<String> tempNames = new ArrayList<>();
		for (String content : List.of("first", "second")) {
			this.writer.write(target, (out) -> {
				Directories.names(this.directory).stream().filter(TempFileNames::isTempName).forEach(tempNames::add);
				out.write(content.getBytes(StandardCharsets.UTF_8));
			});
			assertThat(target).hasContent(content);
		}
		assertThat(tempNames).hasSize(2).allSatisfy((temp) -> {
			assertThat(temp.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
			assertThat(temp).startsWith(name.substring(0, 40));
			assertThat(TempFileNames.isTempNameOf(temp, name)).isTrue();
		});
		assertThat(Directories.names(this.directory)).containsExactly(name);
		assertNoTempFiles(this.directory);
	}

	/** A name of exactly {@code bytes} UTF-8 bytes: {@code unit} repeated, padded with ASCII. */
	private static String nameOfBytes(String unit, int bytes) {
		int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
		return unit.repeat(bytes / unitBytes) + "x".repeat(bytes % unitBytes);
	}

}
