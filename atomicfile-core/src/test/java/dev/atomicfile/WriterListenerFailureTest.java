package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.atomicfile.testsupport.LogCapture;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Whatever a listener throws is logged and never changes the outcome of a write (issue 9 rule 7):
 * runtime exceptions, errors (a real stack overflow among them), checked exceptions thrown sneakily
 * as Kotlin or Lombok code does, and a listener whose own {@code toString} throws too. From
 * {@code onWrite} the write still returns normally and is committed; from {@code onWriteFailure}
 * the write's own exception reaches the caller unchanged. Every API, both kinds of failure.
 */
class WriterListenerFailureTest {

	private static final byte[] OLD = "old content\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] NEW = "new content\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path directory;

	static Stream<Arguments> failures() {
		return Stream.of(Arguments.of("RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("bug")),
				Arguments.of("AssertionError", (Supplier<Throwable>) () -> new AssertionError("assert in a listener")),
				Arguments.of("real StackOverflowError", (Supplier<Throwable>) WriterListenerFailureTest::overflowStack),
				Arguments.of("OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("simulated")),
				Arguments.of("sneaky IOException", (Supplier<Throwable>) () -> new IOException("checked, undeclared")),
				Arguments.of("sneaky InterruptedException",
						(Supplier<Throwable>) () -> new InterruptedException("checked, undeclared")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void throwingOnWriteNeverFailsACommittedWrite(String name, Supplier<Throwable> failure) throws IOException {
		for (boolean badToString : new boolean[] { false, true }) {
			for (Api api : Api.values()) {
				Path target = Files.write(this.directory.resolve(api + "-" + badToString + ".txt"), OLD);
				ThrowingListener listener = new ThrowingListener(failure, badToString);
				AtomicFileWriter writer = AtomicFileWriter.builder().listener(listener).build();
				List<ILoggingEvent> logged;
				try (LogCapture log = new LogCapture()) {
					api.write(writer, target, null);
					logged = log.events();
				}
				assertThat(target).as("%s, toString throws: %s", api, badToString).hasBinaryContent(NEW);
				assertThat(listener.thrown).as("what the listener threw").hasSize(1);
				assertLoggedAsWarning(logged, listener.thrown.get(0));
			}
		}
		assertNoTempFiles(this.directory);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void throwingOnWriteFailureNeverReplacesTheWritesOwnException(String name, Supplier<Throwable> failure)
			throws IOException {
		for (boolean badToString : new boolean[] { false, true }) {
			for (Api api : Api.values()) {
				Path target = Files.write(this.directory.resolve(api + "-" + badToString + ".txt"), OLD);
				ThrowingListener listener = new ThrowingListener(failure, badToString);
				AtomicFileWriter writer = AtomicFileWriter.builder().listener(listener).build();
				if (api.runsCallerCode()) {
					IOException own = new IOException("the caller's content failed");
					Throwable thrown;
					try (LogCapture log = new LogCapture()) {
						thrown = catchThrowable(() -> api.write(writer, target, own));
						assertLoggedAsWarning(log.events(), listener.thrown.get(0));
					}
					assertThat(thrown).as("%s, toString throws: %s", api, badToString).isSameAs(own);
					assertThat(target).hasBinaryContent(OLD);
				}
				Path nowhere = this.directory.resolve("missing").resolve(api + ".txt");
				Throwable fileSystemFailure;
				try (LogCapture log = new LogCapture()) {
					fileSystemFailure = catchThrowable(() -> api.write(writer, nowhere, null));
				}
				assertThat(fileSystemFailure).as("%s, toString throws: %s", api, badToString)
					.isInstanceOf(NoSuchFileException.class)
					.hasMessageContaining("missing");
				assertThat(listener.thrown).as("events the listener threw on").hasSize(api.runsCallerCode() ? 2 : 1);
			}
		}
		assertNoTempFiles(this.directory);
	}

	@Test
	void oneThrowingListenerInACompositeKeepsNoEventFromTheOthers() throws IOException {
		RecordingListener before = new RecordingListener();
		RecordingListener after = new RecordingListener();
		AtomicFileListener composite = AtomicFileListener.composite(List.of(before,
				new ThrowingListener(WriterListenerFailureTest::overflowStack, true), after));
		AtomicFileWriter writer = AtomicFileWriter.builder().listener(composite).build();
		Path target = Files.write(this.directory.resolve("state.txt"), OLD);
		try (LogCapture log = new LogCapture()) {
			writer.write(target, NEW);
			IOException own = new IOException("own");
			assertThat(catchThrowable(() -> Api.STREAM.write(writer, target, own))).isSameAs(own);
		}
		for (RecordingListener listener : List.of(before, after)) {
			assertThat(listener.successes()).hasSize(1);
			assertThat(listener.failures()).hasSize(1);
		}
		assertThat(target).hasBinaryContent(NEW);
	}

	private static void assertLoggedAsWarning(List<ILoggingEvent> logged, Throwable thrown) {
		assertThat(logged).as("logged").anySatisfy((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getThrowableProxy()).isNotNull();
			assertThat(event.getThrowableProxy().getClassName()).isEqualTo(thrown.getClass().getName());
		});
	}

	/** A real {@link StackOverflowError}, from unbounded recursion. */
	private static Throwable overflowStack() {
		try {
			return new IllegalStateException("no overflow after " + recurse(0) + " frames");
		}
		catch (StackOverflowError ex) {
			return ex;
		}
	}

	private static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

	/** Rethrows any throwable, checked or not, without declaring it: what Kotlin and Lombok do. */
	@SuppressWarnings("unchecked")
	static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
		throw (T) failure;
	}

	/** A listener that throws on every event, and whose {@code toString} may throw as well. */
	static final class ThrowingListener implements AtomicFileListener {

		private final Supplier<Throwable> failure;

		private final boolean badToString;

		final List<Throwable> thrown = new CopyOnWriteArrayList<>();

		ThrowingListener(Supplier<Throwable> failure, boolean badToString) {
			this.failure = failure;
			this.badToString = badToString;
		}

		@Override
		public void onWrite(WriteSucceeded event) {
			fail();
		}

		@Override
		public void onWriteFailure(WriteFailed event) {
			fail();
		}

		private void fail() {
			Throwable failure = this.failure.get();
			this.thrown.add(failure);
			WriterListenerFailureTest.<RuntimeException>sneakyThrow(failure);
		}

		@Override
		public String toString() {
			if (this.badToString) {
				throw new IllegalStateException("toString of a listener fails too");
			}
			return "ThrowingListener";
		}

	}

	/** The ways to write; each fails with {@code own} from the caller's code when it is given. */
	enum Api {

		BYTES {
			@Override
			void write(AtomicFileWriter writer, Path target, IOException own) throws IOException {
				assertThat(own).as("a byte write runs no caller code").isNull();
				writer.write(target, NEW);
			}

			@Override
			boolean runsCallerCode() {
				return false;
			}
		},

		STREAM {
			@Override
			void write(AtomicFileWriter writer, Path target, IOException own) throws IOException {
				writer.write(target, (out) -> {
					out.write(NEW);
					if (own != null) {
						throw own;
					}
				});
			}
		},

		FILE {
			@Override
			void write(AtomicFileWriter writer, Path target, IOException own) throws IOException {
				writer.writeFile(target, (temp) -> {
					Files.write(temp, NEW);
					if (own != null) {
						throw own;
					}
				});
			}
		};

		abstract void write(AtomicFileWriter writer, Path target, IOException own) throws IOException;

		boolean runsCallerCode() {
			return true;
		}

	}

}
