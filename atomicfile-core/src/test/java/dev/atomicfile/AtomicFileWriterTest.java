package dev.atomicfile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.LogCapture;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.atomicfile.testsupport.WriteAssertions.assertFailedCleanly;
import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What every write does on the real file system: content, temp files, events, logging. */
class AtomicFileWriterTest {

	private static final byte[] OLD = "old content\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@ParameterizedTest
	@EnumSource(Durability.class)
	void writeReplacesTheContentAtEveryDurability(Durability durability) throws IOException {
		Path target = existingTarget();
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(durability).build();
		writer.write(target, "new".getBytes(StandardCharsets.UTF_8));
		assertThat(target).hasContent("new");
		assertThat(Directories.names(this.directory)).containsExactly("target.txt");
	}

	@Test
	void writeCreatesAMissingTarget() throws IOException {
		Path target = this.directory.resolve("new.bin");
		this.writer.write(target, new byte[] { 0, 1, 2, (byte) 255 });
		assertThat(Files.readAllBytes(target)).containsExactly(0, 1, 2, 255);
		assertThat(Directories.names(this.directory)).containsExactly("new.bin");
	}

	@Test
	void writeOfNoBytesLeavesAnEmptyFile() throws IOException {
		Path target = existingTarget();
		this.writer.write(target, new byte[0]);
		assertThat(target).isEmptyFile();
	}

	@Test
	void defaultBuilderGivesTheSafeDefaults() {
		assertThat(AtomicFileWriter.builder().build())
			.hasToString("AtomicFileWriter[durability=FULL, preservePermissions=true, preserveOwnership=true,"
					+ " followLinks=true, newFileMode=umask, serializeWrites=false, fsyncParallelism="
							+ AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM + "]");
	}

	@Test
	void writeStringEncodesAsUtf8ByDefault() throws IOException {
		Path target = existingTarget();
		this.writer.writeString(target, "grüße € 😀");
		assertThat(Files.readAllBytes(target)).isEqualTo("grüße € 😀".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void writeStringEncodesInTheGivenCharset() throws IOException {
		Path target = existingTarget();
		this.writer.writeString(target, "grüße", StandardCharsets.ISO_8859_1);
		assertThat(Files.readAllBytes(target)).isEqualTo("grüße".getBytes(StandardCharsets.ISO_8859_1));
		this.writer.writeString(target, new StringBuilder("ab€"), StandardCharsets.UTF_16BE);
		assertThat(Files.readAllBytes(target)).isEqualTo("ab€".getBytes(StandardCharsets.UTF_16BE));
	}

	@Test
	void writeStringOfUnmappableTextFailsCleaningUp() throws IOException {
		Path target = existingTarget();
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "price: 5 €", StandardCharsets.US_ASCII));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasCauseInstanceOf(UnmappableCharacterException.class);
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void writeStringOfMalformedTextFailsCleaningUp() throws IOException {
		Path target = existingTarget();
		// A lone surrogate: String.getBytes would silently write '?', the writer refuses instead.
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "broken \uD800 pair"));
		assertThat(thrown).isInstanceOf(FileSystemException.class).hasMessageContaining(target.toString());
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void streamedContentArrivesCompleteWhateverTheChunking() throws IOException {
		Path target = existingTarget();
		byte[] big = new byte[200_000];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) (i * 31);
		}
		this.writer.write(target, (out) -> {
			out.write('A');
			out.write("bc".getBytes(StandardCharsets.US_ASCII));
			out.write(big);
			out.write(big, 10, 70_000);
			out.flush();
			out.write(big, 0, 65_535);
			out.close();
		});
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		expected.write('A');
		expected.write("bc".getBytes(StandardCharsets.US_ASCII));
		expected.write(big);
		expected.write(big, 10, 70_000);
		expected.write(big, 0, 65_535);
		assertThat(Files.readAllBytes(target)).isEqualTo(expected.toByteArray());
		assertThat(this.listener.successes()).singleElement()
			.satisfies((event) -> assertThat(event.bytes()).isEqualTo(expected.size()));
	}

	@Test
	void writingToTheStreamAfterClosingItFailsTheWrite() throws IOException {
		Path target = existingTarget();
		Throwable thrown = catchThrowable(() -> this.writer.write(target, (out) -> {
			out.write(1);
			out.close();
			out.write(2);
		}));
		assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("Stream closed");
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void tempFileIsAFreshSiblingInTheTemplateFormatWhileTheCallbackRuns() throws IOException {
		Path target = existingTarget();
		List<String> seen = new ArrayList<>();
		this.writer.write(target, (out) -> seen.addAll(Directories.names(this.directory)));
		assertThat(seen).hasSize(2).contains("target.txt");
		String temp = seen.get(0).equals("target.txt") ? seen.get(1) : seen.get(0);
		assertThat(TempFileNames.isTempNameOf(temp, "target.txt")).as(temp).isTrue();
		assertThat(TempFileNames.isOwnProcess(temp)).as("carries this process's token").isTrue();
		assertThat(TempFileNames.isUnlocked(temp)).as("locked").isFalse();
	}

	static Stream<Throwable> callbackFailures() {
		return Stream.of(new IOException("disk said no"), new UncheckedIOException(new IOException("wrapped")),
				new IllegalStateException("bug in the caller"), new OutOfMemoryError("simulated by the test"),
				new StackOverflowError());
	}

	@ParameterizedTest
	@MethodSource("callbackFailures")
	void callbackFailurePropagatesUnchangedAndChangesNothing(Throwable failure) throws IOException {
		Path target = existingTarget();
		Throwable thrown = catchThrowable(() -> this.writer.write(target, (out) -> {
			out.write("partial new content".getBytes(StandardCharsets.UTF_8));
			throwUnchecked(failure);
		}));
		assertThat(thrown).isSameAs(failure);
		assertThat(thrown.getSuppressed()).isEmpty();
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@ParameterizedTest
	@MethodSource("callbackFailures")
	void producerFailurePropagatesUnchangedAndChangesNothing(Throwable failure) throws IOException {
		Path target = existingTarget();
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, (temp) -> {
			Files.writeString(temp, "partial");
			throwUnchecked(failure);
		}));
		assertThat(thrown).isSameAs(failure);
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void writeFileRenamesWhatTheProducerWroteAtThePath() throws IOException {
		Path target = existingTarget();
		this.writer.writeFile(target, (temp) -> {
			assertThat(temp.getParent().getParent()).isEqualTo(this.directory);
			assertThat(temp.getFileName()).hasToString("target.txt");
			assertThat(TempFileNames.isTempNameOf(temp.getParent().getFileName().toString(), "target.txt")).isTrue();
			assertThat(temp.getParent().resolve(TempFileNames.LOCK_FILE_NAME)).isRegularFile();
			assertThat(temp).isEmptyFile();
			Files.writeString(temp, "produced");
		});
		assertThat(target).hasContent("produced");
		assertThat(this.listener.successes()).singleElement()
			.satisfies((event) -> assertThat(event.bytes()).isEqualTo(8));
		assertNoTempFiles(this.directory);
	}

	@Test
	void writeFileAcceptsAProducerThatDeletesAndRecreatesTheTempFile() throws IOException {
		Path target = existingTarget();
		this.writer.writeFile(target, (temp) -> {
			Files.delete(temp);
			Files.writeString(temp, "recreated");
		});
		assertThat(target).hasContent("recreated");
		assertNoTempFiles(this.directory);
	}

	@Test
	void writeFileFailsCleanlyWhenTheProducerLeavesNoFile() throws IOException {
		Path target = existingTarget();
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, Files::delete));
		assertThat(thrown).isInstanceOf(NoSuchFileException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("left no file");
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void successEventCarriesTargetBytesAndDuration() throws IOException {
		Path target = existingTarget();
		this.writer.write(target, new byte[1234]);
		assertThat(this.listener.failures()).isEmpty();
		assertThat(this.listener.successes()).singleElement().satisfies((event) -> {
			assertThat(event.target()).isSameAs(target);
			assertThat(event.bytes()).isEqualTo(1234);
			assertThat(event.duration()).isPositive().isLessThan(Duration.ofMinutes(1));
		});
	}

	@Test
	void throwingListenerNeitherBreaksASuccessfulWriteNorMasksAFailure() throws IOException {
		AtomicFileListener throwing = new AtomicFileListener() {
			@Override
			public void onWrite(WriteSucceeded event) {
				throw new IllegalStateException("listener broke on success");
			}

			@Override
			public void onWriteFailure(WriteFailed event) {
				throw new IllegalStateException("listener broke on failure");
			}
		};
		AtomicFileWriter writer = AtomicFileWriter.builder()
			.listener(AtomicFileListener.composite(List.of(throwing, this.listener)))
			.build();
		Path target = existingTarget();
		IOException failure = new IOException("callback failed");
		try (LogCapture log = new LogCapture()) {
			writer.writeString(target, "new");
			assertThat(target).hasContent("new");
			Throwable thrown = catchThrowable(() -> writer.write(target, (out) -> {
				throw failure;
			}));
			assertThat(thrown).isSameAs(failure);
			assertThat(target).hasContent("new");
			assertThat(this.listener.successes()).hasSize(1);
			assertThat(this.listener.failures()).singleElement()
				.satisfies((event) -> assertThat(event.exception()).isSameAs(failure));
			assertThat(log.events()).hasSize(2)
				.allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.WARN));
		}
	}

	@Test
	void successfulWritesLogNothingAtInfo() throws IOException {
		try (LogCapture log = new LogCapture()) {
			Path target = existingTarget();
			this.writer.write(target, new byte[10]);
			this.writer.writeString(this.directory.resolve("other.txt"), "x");
			this.writer.write(target, (out) -> out.write(1));
			this.writer.writeFile(target, (temp) -> Files.writeString(temp, "y"));
			assertThat(log.events()).isEmpty();
		}
	}

	@Test
	void clashingTempNamesAreSkippedAndNeverTouched() throws IOException {
		Path target = existingTarget();
		List<Path> squatters = squatNextTempNames(3);
		this.writer.writeString(target, "new");
		assertThat(target).hasContent("new");
		for (Path squatter : squatters) {
			assertThat(squatter).hasContent("someone else's temp file");
		}
		assertThat(Directories.names(this.directory)).hasSize(4);
	}

	@Test
	void endlessClashesFailWithoutDeletingAnything() throws IOException {
		Path target = existingTarget();
		List<Path> squatters = squatNextTempNames(100);
		Throwable thrown = catchThrowable(() -> this.writer.writeString(target, "new"));
		assertThat(thrown).isInstanceOf(FileAlreadyExistsException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("100 attempts");
		assertThat(target).hasBinaryContent(OLD);
		assertThat(squatters).allSatisfy((squatter) -> assertThat(squatter).hasContent("someone else's temp file"));
		assertThat(this.listener.failures()).singleElement()
			.satisfies((event) -> assertThat(event.exception()).isSameAs(thrown));
	}

	/**
	 * Creates the temp files this thread's next writes would pick: names end in a JVM-wide
	 * sequence number, so the next ones are predictable while no other thread writes.
	 */
	private List<Path> squatNextTempNames(int count) throws IOException {
		String probe = TempFileNames.newTempName("target.txt");
		String prefix = probe.substring(0, probe.lastIndexOf('-') + 1);
		long sequence = Long.parseLong(probe.substring(probe.lastIndexOf('-') + 1));
		List<Path> squatters = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			squatters.add(Files.writeString(this.directory.resolve(prefix + (sequence + i)), "someone else's temp file"));
		}
		return squatters;
	}

	private Path existingTarget() throws IOException {
		return Files.write(this.directory.resolve("target.txt"), OLD);
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> void throwUnchecked(Throwable failure) throws T {
		throw (T) failure;
	}

}
