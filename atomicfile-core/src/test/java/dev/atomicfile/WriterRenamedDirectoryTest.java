package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The target's directory renamed while a write is under way (a rotation, an operator moving a data
 * directory): the write fails, commits nothing anywhere, and removes its temp from wherever the
 * directory went. The directory is really renamed, from inside the content callback, between the
 * temp's creation and its rename.
 */
class WriterRenamedDirectoryTest {

	private static final byte[] OLD = "old".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path root;

	private Path data;

	private Path moved;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@BeforeEach
	void existingTarget() throws IOException {
		this.data = Files.createDirectory(this.root.resolve("data"));
		this.moved = this.root.resolve("data.old");
		Files.write(this.data.resolve("state.json"), OLD);
	}

	@Test
	void aStreamedWriteFailsAndItsTempIsRemovedFromTheMovedDirectory() throws IOException {
		Path target = this.data.resolve("state.json");
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> this.writer.write(target, (out) -> {
			out.write("new".getBytes(StandardCharsets.UTF_8));
			Files.move(this.data, this.moved);
		})).satisfies((thrown) -> assertThat(thrown.getSuppressed()).isEmpty());
		assertMovedDirectoryUntouched();
		assertThat(this.listener.failures()).singleElement()
			.satisfies((failure) -> assertThat(failure.origin()).isEqualTo(WriteFailed.Origin.FILE_SYSTEM));
	}

	@Test
	void aNewDirectoryAtTheOldPathGetsNothingEither() throws IOException {
		Path target = this.data.resolve("state.json");
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> this.writer.write(target, (out) -> {
			out.write("new".getBytes(StandardCharsets.UTF_8));
			Files.move(this.data, this.moved);
			Files.createDirectory(this.data);
		}));
		assertMovedDirectoryUntouched();
		assertThat(this.data).isEmptyDirectory();
	}

	@Test
	void aWriteFileProducersDirectoryIsRemovedFromTheMovedDirectory() throws IOException {
		Path target = this.data.resolve("state.json");
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> this.writer.writeFile(target, (path) -> {
			Files.writeString(path, "new");
			Files.move(this.data, this.moved);
		}));
		assertMovedDirectoryUntouched();
	}

	@Test
	void aPendingFileFailsAtCommitAndItsTempIsRemoved() throws IOException {
		Path target = this.data.resolve("state.json");
		try (PendingFile pending = this.writer.newPendingFile(target)) {
			pending.outputStream().write("new".getBytes(StandardCharsets.UTF_8));
			Files.move(this.data, this.moved);
			assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(pending::commit);
		}
		assertMovedDirectoryUntouched();
	}

	@Test
	void aCommitFailsBeforeItsCommitPointAndLeavesNothingInEitherDirectory() throws IOException {
		Path other = Files.createDirectory(this.root.resolve("other"));
		Files.write(other.resolve("meta.json"), OLD);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.writer.commit((batch) -> {
			batch.write(this.data.resolve("state.json"), "new".getBytes(StandardCharsets.UTF_8));
			batch.write(other.resolve("meta.json"), "new".getBytes(StandardCharsets.UTF_8));
			Files.move(this.data, this.moved);
		})).isNotInstanceOf(IncompleteCommitException.class);
		assertMovedDirectoryUntouched();
		assertThat(other.resolve("meta.json")).hasBinaryContent(OLD);
		assertThat(other).isDirectoryNotContaining((path) -> !path.getFileName().toString().equals("meta.json"));
	}

	private void assertMovedDirectoryUntouched() throws IOException {
		assertThat(this.moved.resolve("state.json")).as("the old content, in the moved directory").hasBinaryContent(OLD);
		assertNoTempFiles(this.moved);
		assertThat(this.moved).isDirectoryNotContaining((path) -> !path.getFileName().toString().equals("state.json"));
	}

}
