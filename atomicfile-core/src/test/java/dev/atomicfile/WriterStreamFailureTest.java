package dev.atomicfile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.RecordingListener;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.atomicfile.testsupport.WriteAssertions.assertFailedCleanly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Once any write, flush or close of the content stream has failed, the write never commits
 * (issue 9 rule 1), however the callback hides the failure: a real 1 MiB tmpfs is filled up, the
 * callback streams about 30,000 lines through a wrapper that swallows errors or catches them itself,
 * and halfway through the filler is deleted, as another process freeing space would, so that the
 * rest of the lines fit. A stream that forgot its failure would commit a file with lines missing.
 * The write must throw with the first failure ({@code ENOSPC}) as its cause, leave the target
 * byte-identical and no temp file, and the stream must keep failing at once.
 */
class WriterStreamFailureTest {

	private static final byte[] OLD = "old content that must survive\n".getBytes(StandardCharsets.UTF_8);

	private static final int LINES = 30_000;

	private static final String NO_SPACE = "No space left on device";

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	private Path mountPoint;

	private Path target;

	private Path filler;

	@BeforeEach
	void fullTmpfs() throws Exception {
		assumeThat(ChildJvm.isRoot()).as("mounting a tmpfs needs root, as in CI").isTrue();
		this.mountPoint = Files.createDirectory(this.directory.resolve("small"));
		Commands.mountTmpfs(this.mountPoint, "1m");
		this.target = Files.write(this.mountPoint.resolve("state.txt"), OLD);
		this.filler = fill(this.mountPoint.resolve("filler"));
	}

	@AfterEach
	void unmount() throws Exception {
		if (this.mountPoint != null) {
			Commands.umount(this.mountPoint);
		}
	}

	/** Ways a callback hides a failed write from the writer. */
	enum Callback {

		/** {@link PrintStream} swallows every {@code IOException} and only sets its error flag. */
		PRINT_STREAM {
			@Override
			void write(OutputStream out, Runnable freeSpace, List<IOException> caught) {
				PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
				printSwallowing(freeSpace, print::print, print::close, print::checkError);
			}
		},

		/** {@link PrintWriter} over an {@link OutputStreamWriter} swallows them too. */
		PRINT_WRITER {
			@Override
			void write(OutputStream out, Runnable freeSpace, List<IOException> caught) {
				PrintWriter print = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
				printSwallowing(freeSpace, print::print, print::close, print::checkError);
			}
		},

		/** A {@link BufferedWriter} whose failures the callback catches and ignores. */
		BUFFERED_WRITER_CAUGHT {
			@Override
			void write(OutputStream out, Runnable freeSpace, List<IOException> caught) {
				Writer buffered = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
				eachLine(freeSpace, (line) -> ignoring(caught, () -> buffered.write(line)));
				ignoring(caught, buffered::close);
			}
		},

		/** Raw writes of each line, the callback catching every failure and going on. */
		RAW_LINES_CAUGHT {
			@Override
			void write(OutputStream out, Runnable freeSpace, List<IOException> caught) {
				eachLine(freeSpace,
						(line) -> ignoring(caught, () -> out.write(line.getBytes(StandardCharsets.UTF_8))));
			}
		},

		/** Raw writes of chunks larger than the stream's buffer, which go straight to the file. */
		RAW_LARGE_CHUNKS_CAUGHT {
			@Override
			void write(OutputStream out, Runnable freeSpace, List<IOException> caught) {
				byte[] chunk = new byte[70_000];
				for (int i = 0; i < 10; i++) {
					ignoring(caught, () -> out.write(chunk));
					if (i == 4) {
						freeSpace.run();
					}
				}
			}
		};

		abstract void write(OutputStream out, Runnable freeSpace, List<IOException> caught);

	}

	@ParameterizedTest
	@EnumSource(Callback.class)
	void failedStreamIsNeverCommittedHoweverTheCallbackHidesTheFailure(Callback callback) throws Exception {
		AtomicReference<OutputStream> stream = new AtomicReference<>();
		List<IOException> caught = new CopyOnWriteArrayList<>();
		Throwable thrown = catchThrowable(() -> this.writer.write(this.target, (out) -> {
			stream.set(out);
			callback.write(out, this::freeSpace, caught);
		}));

		assertThat(thrown).as("the write").isInstanceOf(FileSystemException.class);
		assertThat(((FileSystemException) thrown).getFile()).isEqualTo(this.target.toString());
		assertThat(rootCause(thrown)).as("root cause").hasMessageContaining(NO_SPACE);
		if (!caught.isEmpty()) {
			IOException first = caught.get(0);
			assertThat(rootCause(first)).hasMessageContaining(NO_SPACE);
			assertThat(thrown.getCause()).as("the cause is the first failure itself").isSameAs(first);
			assertThat(caught.subList(1, caught.size())).as("every later call failed at once, naming the first")
				.allSatisfy((later) -> assertThat(causes(later)).contains(first));
		}
		assertFailedCleanly(this.target, OLD, this.listener, thrown);
		assertOnlyTheTargetIsLeft();
		assertFailsAtOnce(stream.get());
	}

	@Test
	void everyCallAfterAFailureFailsEvenWhenSpaceIsFreeAgain() throws Exception {
		List<IOException> caught = new CopyOnWriteArrayList<>();
		AtomicInteger succeededAfterFailure = new AtomicInteger();
		Throwable thrown = catchThrowable(() -> this.writer.write(this.target, (out) -> {
			for (int i = 0; i < LINES; i++) {
				byte[] line = line(i).getBytes(StandardCharsets.UTF_8);
				try {
					out.write(line);
					if (!caught.isEmpty()) {
						succeededAfterFailure.incrementAndGet();
					}
				}
				catch (IOException ex) {
					caught.add(ex);
				}
				freeSpaceHalfway(i, this::freeSpace);
			}
		}));
		assertThat(caught).as("failed calls").isNotEmpty();
		assertThat(succeededAfterFailure).as("calls that succeeded after the first failure").hasValue(0);
		assertThat(thrown.getCause()).isSameAs(caught.get(0));
		assertFailedCleanly(this.target, OLD, this.listener, thrown);
	}

	@Test
	void failedFlushIsNeverCommittedEvenIfEverythingAfterwardsWouldFit() throws Exception {
		AtomicReference<OutputStream> stream = new AtomicReference<>();
		AtomicReference<IOException> flushFailure = new AtomicReference<>();
		AtomicReference<IOException> laterWrite = new AtomicReference<>();
		Throwable thrown = catchThrowable(() -> this.writer.write(this.target, (out) -> {
			stream.set(out);
			out.write("a first part that fits in the stream's buffer\n".getBytes(StandardCharsets.UTF_8));
			flushFailure.set(catchIo(out::flush));
			freeSpace();
			laterWrite.set(catchIo(() -> out.write("the rest\n".getBytes(StandardCharsets.UTF_8))));
		}));
		assertThat(flushFailure.get()).as("the flush").isNotNull();
		assertThat(rootCause(flushFailure.get())).hasMessageContaining(NO_SPACE);
		assertThat(laterWrite.get()).as("a write after the failed flush, with space free again").isNotNull();
		assertThat(thrown).isInstanceOf(FileSystemException.class);
		assertThat(thrown.getCause()).as("the cause is the failed flush itself").isSameAs(flushFailure.get());
		assertFailedCleanly(this.target, OLD, this.listener, thrown);
		assertOnlyTheTargetIsLeft();
		assertFailsAtOnce(stream.get());
	}

	@Test
	void failedCloseIsNeverCommittedEvenIfTheWritersOwnCloseWouldSucceed() throws Exception {
		AtomicReference<IOException> closeFailure = new AtomicReference<>();
		Throwable thrown = catchThrowable(() -> this.writer.write(this.target, (out) -> {
			out.write("content that sits in the stream's buffer\n".getBytes(StandardCharsets.UTF_8));
			closeFailure.set(catchIo(out::close));
			freeSpace();
		}));
		assertThat(closeFailure.get()).as("the close").isNotNull();
		assertThat(rootCause(closeFailure.get())).hasMessageContaining(NO_SPACE);
		assertThat(thrown).isInstanceOf(FileSystemException.class);
		assertThat(thrown.getCause()).as("the cause is the failed close itself").isSameAs(closeFailure.get());
		assertFailedCleanly(this.target, OLD, this.listener, thrown);
		assertOnlyTheTargetIsLeft();
	}

	@Test
	void closeSwallowedByAPrintStreamIsNeverCommitted() throws Exception {
		Throwable thrown = catchThrowable(() -> this.writer.write(this.target, (out) -> {
			PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
			print.print("content that only the close writes out\n");
			print.close();
			freeSpace();
		}));
		assertThat(thrown).isInstanceOf(FileSystemException.class);
		assertThat(rootCause(thrown)).hasMessageContaining(NO_SPACE);
		assertFailedCleanly(this.target, OLD, this.listener, thrown);
		assertOnlyTheTargetIsLeft();
	}

	@Test
	void callbacksOwnExceptionPropagatesUnchangedWithTheStreamFailureSuppressed() throws Exception {
		AtomicReference<IOException> streamFailure = new AtomicReference<>();
		IllegalStateException own = new IllegalStateException("the callback gives up for reasons of its own");
		Throwable thrown = catchThrowable(() -> this.writer.write(this.target, (out) -> {
			streamFailure.set(catchIo(() -> out.write(new byte[70_000])));
			throw own;
		}));
		assertThat(streamFailure.get()).isNotNull();
		assertThat(thrown).isSameAs(own);
		assertThat(own.getSuppressed()).contains(streamFailure.get());
		assertFailedCleanly(this.target, OLD, this.listener, thrown);
		assertOnlyTheTargetIsLeft();
	}

	private void freeSpace() {
		try {
			Files.delete(this.filler);
			assertThat(Files.getFileStore(this.mountPoint).getUsableSpace()).as("space freed")
				.isGreaterThan(900 * 1024);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	private void assertOnlyTheTargetIsLeft() throws IOException {
		assertThat(Directories.names(this.mountPoint)).filteredOn((name) -> !name.equals("filler"))
			.containsExactly("state.txt");
	}

	/** Every call on the stream, after the write ended, fails at once with an IOException. */
	private static void assertFailsAtOnce(OutputStream stream) {
		assertThat(stream).as("the stream the callback got").isNotNull();
		List<ThrowingCallable> calls = List.of(() -> stream.write(1), () -> stream.write(new byte[10]),
				() -> stream.write(new byte[100_000]), stream::flush);
		for (ThrowingCallable call : calls) {
			assertThat(catchThrowable(call)).isInstanceOf(IOException.class);
		}
	}

	/** Fills the file system of {@code file} to the last block. */
	private static Path fill(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			ByteBuffer block = ByteBuffer.allocate(4096);
			while (true) {
				block.clear();
				try {
					channel.write(block);
				}
				catch (IOException ex) {
					assertThat(ex).hasMessageContaining(NO_SPACE);
					break;
				}
			}
		}
		assertThat(Files.getFileStore(file).getUsableSpace()).as("space left").isZero();
		return file;
	}

	static String line(int i) {
		return String.format("line %05d of %d%n", i, LINES);
	}

	static void freeSpaceHalfway(int i, Runnable freeSpace) {
		if (i == LINES / 2) {
			freeSpace.run();
		}
	}

	/** Prints every line through a wrapper that swallows errors, closes it, and checks it did swallow one. */
	static void printSwallowing(Runnable freeSpace, Consumer<String> print, Runnable close,
			BooleanSupplier checkError) {
		eachLine(freeSpace, print);
		close.run();
		assertThat(checkError.getAsBoolean()).as("the wrapper saw an error and swallowed it").isTrue();
	}

	/** Hands every line to {@code action}, and frees the space halfway through. */
	static void eachLine(Runnable freeSpace, Consumer<String> action) {
		for (int i = 0; i < LINES; i++) {
			action.accept(line(i));
			freeSpaceHalfway(i, freeSpace);
		}
	}

	static void ignoring(List<IOException> caught, ThrowingIo call) {
		IOException failure = catchIo(call);
		if (failure != null) {
			caught.add(failure);
		}
	}

	static IOException catchIo(ThrowingIo call) {
		try {
			call.run();
			return null;
		}
		catch (IOException ex) {
			return ex;
		}
	}

	static Throwable rootCause(Throwable failure) {
		List<Throwable> chain = causes(failure);
		return chain.get(chain.size() - 1);
	}

	static List<Throwable> causes(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
			chain.add(t);
		}
		return chain;
	}

	@FunctionalInterface
	interface ThrowingIo {

		void run() throws IOException;

	}

}
