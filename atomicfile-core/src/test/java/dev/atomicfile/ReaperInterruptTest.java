package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.atomicfile.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interrupting the reaping thread ends the pass before its next entry (the Spring side stops a
 * pass this way at shutdown): it returns the partial report, marked interrupted, with the thread's
 * interrupt status set again, and logs that it stopped early. The next pass reaps the rest.
 */
class ReaperInterruptTest {

	private static final int DIRECTORIES = 10;

	private static final int ORPHANS_PER_DIRECTORY = 20;

	private static final int ORPHANS = DIRECTORIES * ORPHANS_PER_DIRECTORY;

	@TempDir
	Path root;

	@BeforeEach
	void createManyOrphans() throws IOException {
		for (int d = 0; d < DIRECTORIES; d++) {
			Path directory = Files.createDirectory(this.root.resolve("dir-" + d));
			for (int i = 0; i < ORPHANS_PER_DIRECTORY; i++) {
				ReaperFixtures.orphanOf(directory, "data-" + i + ".json", PAST_MIN_AGE);
			}
		}
	}

	@AfterEach
	void clearInterrupt() {
		// Never leak an interrupt into the next test, whatever this one asserted.
		Thread.interrupted();
	}

	@Test
	void anInterruptFromAListenerEndsThePassAfterThatDeletion() throws IOException {
		AtomicFileListener interrupter = new AtomicFileListener() {
			@Override
			public void onOrphanReaped(OrphanReaped event) {
				Thread.currentThread().interrupt();
			}
		};

		try (LogCapture logs = new LogCapture()) {
			ReapReport report = reaper(interrupter).reap(this.root);

			assertThat(Thread.interrupted()).as("the interrupt status is set again").isTrue();
			assertThat(report.interrupted()).isTrue();
			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.failed()).isZero();
			assertThat(remainingOrphans()).isEqualTo(ORPHANS - 1);
			assertThat(logs.events()).filteredOn((event) -> event.getLevel() == Level.INFO)
				.extracting(ILoggingEvent::getFormattedMessage)
				.singleElement()
				.asString()
				.contains("Reaped 1 ", "interrupted");
		}

		ReapReport next = reaper(AtomicFileListener.none()).reap(this.root);
		assertThat(next.interrupted()).isFalse();
		assertThat(next.reaped()).isEqualTo(ORPHANS - 1);
		assertThat(remainingOrphans()).isZero();
	}

	@Test
	void aThreadInterruptedBeforeThePassReapsNothing() throws IOException {
		Thread.currentThread().interrupt();

		ReapReport report = reaper(AtomicFileListener.none()).reap(this.root);

		assertThat(Thread.interrupted()).isTrue();
		assertThat(report.interrupted()).isTrue();
		assertThat(report.reaped() + report.scanned() + report.failed()).isZero();
		assertThat(remainingOrphans()).isEqualTo(ORPHANS);
	}

	@Test
	void anotherThreadStopsAPassThatIsUnderWay() throws Exception {
		CountDownLatch firstReaped = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		AtomicReference<Thread> reaping = new AtomicReference<>();
		AtomicFileListener slow = new AtomicFileListener() {
			@Override
			public void onOrphanReaped(OrphanReaped event) {
				reaping.set(Thread.currentThread());
				firstReaped.countDown();
				try {
					// Stands for a pass that takes long: only the interrupt ends this wait.
					never.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		CompletableFuture<ReapReport> pass = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			ReapReport report = reaper(slow).reap(this.root);
			pass.complete(Thread.currentThread().isInterrupted() ? report : null);
		}, "reaper-under-test");
		thread.start();

		assertThat(firstReaped.await(1, TimeUnit.MINUTES)).isTrue();
		reaping.get().interrupt();
		ReapReport report = pass.get(1, TimeUnit.MINUTES);

		assertThat(report).as("returned with the interrupt status set").isNotNull();
		assertThat(report.interrupted()).isTrue();
		assertThat(report.reaped()).isEqualTo(1);
		assertThat(remainingOrphans()).isEqualTo(ORPHANS - 1);
	}

	private static OrphanReaper reaper(AtomicFileListener listener) {
		return OrphanReaper.builder().recursive(true).minAge(Duration.ZERO).listener(listener).build();
	}

	private long remainingOrphans() throws IOException {
		long remaining = 0;
		for (int d = 0; d < DIRECTORIES; d++) {
			remaining += ReaperFixtures.tempNames(this.root.resolve("dir-" + d)).size();
		}
		return remaining;
	}

}
