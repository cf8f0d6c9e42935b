package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.atomicfile.testsupport.LogCapture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever an {@link AtomicFileListener} throws from {@code onOrphanReaped}, an {@link Error}
 * (a real stack overflow among them), a checked exception thrown sneakily as Kotlin or Lombok do,
 * or a runtime exception, even one whose listener cannot print itself: {@code reap} returns
 * normally, the pass goes on to every other orphan, and the report counts the deletions that
 * happened and no failure.
 */
class ReaperListenerFailureTest {

	private static final int ORPHANS = 3;

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(Failure.class)
	void aListenerFailureNeitherEscapesNorEndsNorChangesThePass(Failure failure) throws IOException {
		for (int i = 0; i < ORPHANS; i++) {
			ReaperFixtures.orphanOf(this.directory, "data-" + i + ".json", PAST_MIN_AGE);
		}
		AtomicInteger calls = new AtomicInteger();
		AtomicFileListener listener = new AtomicFileListener() {
			@Override
			public void onOrphanReaped(OrphanReaped event) {
				calls.incrementAndGet();
				failure.raise();
			}

			@Override
			public String toString() {
				if (failure == Failure.UNPRINTABLE_LISTENER) {
					throw new IllegalStateException("toString failed too");
				}
				return "failing listener";
			}
		};

		try (LogCapture logs = new LogCapture()) {
			ReapReport report = OrphanReaper.builder().listener(listener).build().reap(this.directory);

			assertThat(report.reaped()).isEqualTo(ORPHANS);
			assertThat(report.failed()).isZero();
			assertThat(calls).hasValue(ORPHANS);
			assertThat(ReaperFixtures.tempNames(this.directory)).isEmpty();
			assertThat(logs.events()).filteredOn((event) -> event.getLevel() == Level.WARN)
				.hasSize(ORPHANS)
				.allSatisfy((event) -> assertThat(event.getThrowableProxy().getClassName())
					.isEqualTo(failure.thrown().getName()));
			assertThat(logs.events()).filteredOn((event) -> event.getLevel() == Level.INFO)
				.extracting(ILoggingEvent::getFormattedMessage)
				.singleElement()
				.asString()
				.contains("Reaped " + ORPHANS + " ", "0 failed");
		}
	}

	/** What a listener throws. */
	enum Failure {

		ERROR(InternalError.class) {
			@Override
			void raise() {
				throw new InternalError("listener error");
			}
		},

		STACK_OVERFLOW(StackOverflowError.class) {
			@Override
			void raise() {
				recurse(0);
			}
		},

		SNEAKY_CHECKED_EXCEPTION(IOException.class) {
			@Override
			void raise() {
				Failure.<RuntimeException>sneakyThrow(new IOException("thrown sneakily"));
			}
		},

		RUNTIME_EXCEPTION(IllegalStateException.class) {
			@Override
			void raise() {
				throw new IllegalStateException("listener bug");
			}
		},

		UNPRINTABLE_LISTENER(LinkageError.class) {
			@Override
			void raise() {
				throw new LinkageError("from a listener that cannot print itself");
			}
		};

		private final Class<? extends Throwable> thrown;

		Failure(Class<? extends Throwable> thrown) {
			this.thrown = thrown;
		}

		Class<? extends Throwable> thrown() {
			return this.thrown;
		}

		abstract void raise();

		private static int recurse(int depth) {
			return recurse(depth + 1) + 1;
		}

		@SuppressWarnings("unchecked")
		private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
			throw (T) failure;
		}

	}

}
