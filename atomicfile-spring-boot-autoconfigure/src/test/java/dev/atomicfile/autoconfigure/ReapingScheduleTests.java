package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.OrphanReaped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When reaping passes run besides the startup pass, and that none outlives the context: the
 * follow-up pass after a restart sooner than {@code min-age}, the periodic pass, a pass that
 * throws an {@link Error}, and a context closed mid-pass.
 */
class ReapingScheduleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrphanReaperAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void orphanTooYoungAtStartupIsReapedByAFollowUpPassWithoutAnyInterval() throws IOException {
		Path orphan = Orphans.createYoung(this.directory, "state.json");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.min-age=1s")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PeriodicOrphanReaper.class);
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(orphan).as("kept by the startup pass: younger than min-age").exists();
				await().atMost(Duration.ofSeconds(20)).until(() -> Files.notExists(orphan));
				assertThat(followUpThreads()).isNotEmpty();
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> followUpThreads().isEmpty());
	}

	@Test
	void startupPassThatKeepsNothingYoungSchedulesNoFollowUp() throws IOException {
		Path orphan = Orphans.create(this.directory, "state.json");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory).run((context) -> {
			context.getBean(OrphanReaperApplicationRunner.class).run(null);
			assertThat(orphan).doesNotExist();
			assertThat(followUpThreads()).isEmpty();
		});
	}

	@Test
	void contextClosedBeforeTheFollowUpPassLeavesTheYoungOrphanAndNoThread() throws IOException {
		Path orphan = Orphans.createYoung(this.directory, "state.json");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.min-age=1h",
				"atomicfile.reaper.max-age=2h")
			.run((context) -> {
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(followUpThreads()).hasSize(1);
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> followUpThreads().isEmpty());
		assertThat(orphan).exists();
	}

	@Test
	void listenerThatThrowsAnErrorNeitherFailsStartupNorEndsTheSchedule() throws IOException {
		Path first = Orphans.create(this.directory, "a.bin");
		AtomicInteger reaped = new AtomicInteger();
		this.contextRunner
			.withBean("erroneous", AtomicFileListener.class, () -> new AtomicFileListener() {

				@Override
				public void onOrphanReaped(OrphanReaped event) {
					reaped.incrementAndGet();
					throw new AssertionError("a listener's bug");
				}

			})
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.interval=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(first).doesNotExist();
				Path second = Orphans.create(this.directory, "b.bin");
				await().atMost(Duration.ofSeconds(20)).until(() -> Files.notExists(second));
				Path third = Orphans.create(this.directory, "c.bin");
				await().atMost(Duration.ofSeconds(20)).until(() -> Files.notExists(third));
				assertThat(reaped).hasValue(3);
				assertThat(context.getBean(PeriodicOrphanReaper.class).isRunning()).isTrue();
			});
	}

	@Test
	void periodicPassesThatFindNothingLogAtDebugAndOnesThatReapAtInfo() {
		Logger logger = (Logger) LoggerFactory.getLogger(PeriodicOrphanReaper.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		Level previous = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		logger.addAppender(appender);
		try {
			this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.interval=1s")
				.run((context) -> {
					await().atMost(Duration.ofSeconds(20)).until(() -> periodicLines(appender, Level.DEBUG) >= 2);
					assertThat(periodicLines(appender, Level.INFO)).isZero();
					Orphans.create(this.directory, "state.json");
					await().atMost(Duration.ofSeconds(20)).until(() -> periodicLines(appender, Level.INFO) == 1);
					assertThat(appender.list).filteredOn((event) -> event.getLevel() == Level.INFO)
						.singleElement()
						.satisfies((event) -> assertThat(event.getFormattedMessage())
							.contains("reaped 1 orphaned temp file(s)"));
				});
		}
		finally {
			logger.detachAppender(appender);
			logger.setLevel(previous);
		}
	}

	private static long periodicLines(ListAppender<ILoggingEvent> appender, Level level) {
		return List.copyOf(appender.list)
			.stream()
			.filter((event) -> event.getLevel() == level && event.getFormattedMessage().startsWith("Periodic reap"))
			.count();
	}

	/**
	 * A listener holds the periodic pass at its first deletion until the pass is interrupted, so
	 * the context is closed mid-pass whatever the machine's speed.
	 */
	@Test
	void closingTheContextMidPassStopsThePassAndWaitsForIt() throws IOException {
		int orphans = 2000;
		CountDownLatch passStarted = new CountDownLatch(1);
		AtomicInteger reapedAfterClose = new AtomicInteger();
		boolean[] closed = new boolean[1];
		this.contextRunner.withBean("holding", AtomicFileListener.class, () -> new AtomicFileListener() {

			@Override
			public void onOrphanReaped(OrphanReaped event) {
				if (closed[0]) {
					reapedAfterClose.incrementAndGet();
				}
				passStarted.countDown();
				try {
					new CountDownLatch(1).await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		}).withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.interval=1s").run((context) -> {
			for (int i = 0; i < orphans; i++) {
				Orphans.create(this.directory, "doc-" + i);
			}
			assertThat(passStarted.await(30, TimeUnit.SECONDS)).isTrue();
			long start = System.nanoTime();
			context.close();
			closed[0] = true;
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		});
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch((t) -> t.getName().equals("atomicfile-reaper")));
		assertThat(remaining()).as("the pass stopped at its interrupt instead of deleting on").isGreaterThan(orphans / 2);
		long left = remaining();
		assertThat(reapedAfterClose).hasValue(0);
		assertThat(remaining()).isEqualTo(left);
	}

	private long remaining() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.count();
		}
	}

	private static List<Thread> followUpThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("atomicfile-reaper-follow-up"))
			.toList();
	}

}
