package dev.atomicfile.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.atomicfile.CommitRecovered;
import dev.atomicfile.CommitRecovery;
import dev.atomicfile.OrphanReaper;
import dev.atomicfile.RecoveryReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CommitRecoveryAutoConfiguration}: the recovery bean, and the startup pass that
 * settles, over every {@code atomicfile.reaper.paths} entry, the commits a dead process left half
 * done (made for real by {@link HalfDoneCommits}) before the startup reap.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommitRecoveryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CommitRecoveryAutoConfiguration.class));

	private final ApplicationContextRunner allRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class,
				CommitRecoveryAutoConfiguration.class, AtomicFileMetricsAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void defaultsGiveARecoveryAndAStartupPassOverTheReaperPaths() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory).run((context) -> {
			assertThat(context).hasSingleBean(CommitRecovery.class)
				.hasSingleBean(ConfiguredPathsRecovery.class)
				.hasSingleBean(StartupCommitRecovery.class)
				.doesNotHaveBean(OrphanReaper.class);
			assertThat(context.getBean(ConfiguredPathsRecovery.class).getPaths()).containsExactly(this.directory);
			assertThat(context.getBean(ConfiguredPathsRecovery.class).getRecovery())
				.isSameAs(context.getBean(CommitRecovery.class));
			assertThat(context.getBean(StartupCommitRecovery.class).isRunning()).isTrue();
		});
	}

	@Test
	void halfDoneCommitIsCompletedAtStartupAndCountedBeforeTheReapSeesIt() throws Exception {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		HalfDoneCommits.Leftover leftover = HalfDoneCommits.completable(first, second);
		Path orphan = Orphans.create(first, "unrelated.json");
		MeterRegistry registry = new SimpleMeterRegistry();
		this.allRunner.withBean(CommitEvents.class)
			.withBean(AtomicFileMetrics.class, () -> boundTo(registry))
			.withPropertyValues("atomicfile.reaper.paths=" + first + "," + second)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// Settled while the context started: this runner calls no ApplicationRunner, so no reap has run.
				assertThat(orphan).as("an orphan the startup reap deletes later").exists();
				assertThat(leftover.targets().get(0)).hasContent(HalfDoneCommits.FIRST_CONTENT);
				assertThat(leftover.targets().get(1)).hasContent(HalfDoneCommits.SECOND_CONTENT);
				assertThat(HalfDoneCommits.records(first, second)).isEmpty();
				assertThat(HalfDoneCommits.temps(first, second)).containsExactly(orphan);
				assertThat(context.getBean(CommitEvents.class).recovered()).singleElement().satisfies((event) -> {
					assertThat(event.outcome()).isEqualTo(CommitRecovered.Outcome.COMPLETED);
					assertThat(event.targets()).containsExactlyInAnyOrderElementsOf(leftover.targets());
				});
				assertThat(registry.get("atomicfile.recovered").tag("outcome", "completed").counter().count()).isEqualTo(1);
				assertThat(registry.get("atomicfile.recovered").tag("outcome", "rolled_back").counter().count()).isZero();
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(orphan).doesNotExist();
				assertThat(registry.get("atomicfile.reaped").counter().count()).isEqualTo(1);
			});
	}

	@Test
	void commitThatNeverReachedItsCommitPointIsRolledBackAndNoTargetAppears() throws Exception {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		HalfDoneCommits.Leftover leftover = HalfDoneCommits.rollBackable(first, second);
		MeterRegistry registry = new SimpleMeterRegistry();
		this.allRunner.withBean(AtomicFileMetrics.class, () -> boundTo(registry))
			.withPropertyValues("atomicfile.reaper.paths=" + first + "," + second)
			.run((context) -> {
				assertThat(leftover.targets()).allSatisfy((target) -> assertThat(target).doesNotExist());
				assertThat(HalfDoneCommits.records(first, second)).isEmpty();
				assertThat(HalfDoneCommits.temps(first, second)).isEmpty();
				assertThat(registry.get("atomicfile.recovered").tag("outcome", "rolled_back").counter().count()).isEqualTo(1);
			});
	}

	/** Reaping off is no reason to leave a commit half done: recovery has its own switch. */
	@Test
	void whenReapingIsDisabledHalfDoneCommitsAreStillCompleted() throws Exception {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		HalfDoneCommits.Leftover leftover = HalfDoneCommits.completable(first, second);
		this.allRunner.withPropertyValues("atomicfile.reaper.paths=" + first + "," + second, "atomicfile.reaper.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(OrphanReaperApplicationRunner.class)
					.hasSingleBean(StartupCommitRecovery.class);
				assertThat(leftover.targets().get(1)).hasContent(HalfDoneCommits.SECOND_CONTENT);
				assertThat(HalfDoneCommits.records(first, second)).isEmpty();
				assertThat(HalfDoneCommits.temps(first, second)).isEmpty();
			});
	}

	/** The reaper never deletes what a valid record names: without recovery the leftover stays whole. */
	@Test
	void whenRecoveryIsDisabledTheStartupReapLeavesTheRecordsAndTheirTemps() throws Exception {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		HalfDoneCommits.Leftover leftover = HalfDoneCommits.completable(first, second);
		for (Path temp : leftover.temps()) {
			// Old enough for any min-age: only the record keeps them.
			Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
		}
		this.allRunner.withPropertyValues("atomicfile.reaper.paths=" + first + "," + second,
				"atomicfile.recovery.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(CommitRecovery.class)
					.doesNotHaveBean(ConfiguredPathsRecovery.class)
					.doesNotHaveBean(StartupCommitRecovery.class);
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(HalfDoneCommits.records(first, second)).containsExactlyInAnyOrderElementsOf(leftover.records());
				assertThat(HalfDoneCommits.temps(first, second)).containsExactlyInAnyOrderElementsOf(leftover.temps());
				assertThat(leftover.targets().get(1)).doesNotExist();
			});
	}

	@Test
	void userRecoveryMakesOursBackOffAndRunsAtStartup() {
		CommitRecovery mine = CommitRecovery.builder().build();
		this.contextRunner.withBean("myRecovery", CommitRecovery.class, () -> mine).run((context) -> {
			assertThat(context).hasSingleBean(CommitRecovery.class);
			assertThat(context.getBean(ConfiguredPathsRecovery.class).getRecovery()).isSameAs(mine);
		});
	}

	@Test
	void userPathsRecoveryIsWhatTheStartupPassRecovers() throws Exception {
		Path mine = Files.createDirectory(this.directory.resolve("mine"));
		Path configured = Files.createDirectory(this.directory.resolve("configured"));
		// A directory is recovered with its whole tree.
		HalfDoneCommits.Leftover leftover = HalfDoneCommits.completable(Files.createDirectory(mine.resolve("a")),
				Files.createDirectory(mine.resolve("b")));
		this.contextRunner
			.withBean(ConfiguredPathsRecovery.class,
					() -> new ConfiguredPathsRecovery(CommitRecovery.builder().build(), List.of(mine)))
			.withPropertyValues("atomicfile.reaper.paths=" + configured)
			.run((context) -> {
				assertThat(HalfDoneCommits.records(mine.resolve("a"), mine.resolve("b"))).isEmpty();
				assertThat(leftover.targets().get(1)).hasContent(HalfDoneCommits.SECOND_CONTENT);
			});
	}

	@Test
	void recoveryThatThrowsIsLoggedAndNeverFailsStartup(CapturedOutput output) {
		this.contextRunner.withBean(ConfiguredPathsRecovery.class, () -> new ConfiguredPathsRecovery(
				CommitRecovery.builder().build(), List.of(this.directory)) {

			@Override
			public Optional<RecoveryReport> recover() {
				throw new OutOfMemoryError("a bug, say");
			}

		}).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(StartupCommitRecovery.class).isRunning()).isTrue();
			assertThat(output).contains("Startup recovery of half-done commits failed; the application starts anyway")
				.contains("OutOfMemoryError: a bug, say");
		});
	}

	@Test
	void whenRecoveryIsDisabledTheRecoveryBeanStaysForTheApplication() {
		this.contextRunner.withPropertyValues("atomicfile.recovery.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(CommitRecovery.class)
				.doesNotHaveBean(ConfiguredPathsRecovery.class)
				.doesNotHaveBean(StartupCommitRecovery.class));
	}

	@Test
	void whenDisabledNoBeanIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CommitRecovery.class)
				.doesNotHaveBean(ConfiguredPathsRecovery.class)
				.doesNotHaveBean(StartupCommitRecovery.class)
				.doesNotHaveBean(ListenerBeans.class)
				.doesNotHaveBean(AtomicFileProperties.class));
	}

	/** Spring Boot binds meter binders before lifecycles start; a context without Boot's metrics needs it done here. */
	private static AtomicFileMetrics boundTo(MeterRegistry registry) {
		AtomicFileMetrics metrics = new AtomicFileMetrics();
		metrics.bindTo(registry);
		return metrics;
	}

}
