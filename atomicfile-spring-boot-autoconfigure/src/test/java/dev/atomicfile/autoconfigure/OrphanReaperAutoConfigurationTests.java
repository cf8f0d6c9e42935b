package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaped;
import dev.atomicfile.OrphanReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OrphanReaperAutoConfiguration}: the reaper, the startup runner and the periodic
 * schedule, and the one component both of them run.
 */
class OrphanReaperAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrphanReaperAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void defaultsGiveAReaperAndAStartupRunnerButNoSchedule() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(OrphanReaper.class)
				.hasSingleBean(ConfiguredPathsReaper.class)
				.hasSingleBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class)
				.doesNotHaveBean(AtomicFileWriter.class);
			assertThat(context.getBean(OrphanReaper.class))
				.hasToString("OrphanReaper[maxAge=PT1H, minAge=PT10S, recursive=false, extraPatterns=[]]");
			assertThat(context.getBean(ConfiguredPathsReaper.class).getPaths()).isEmpty();
		});
	}

	@Test
	void everyReaperPropertyBinds() {
		this.contextRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory + "," + this.directory.resolve("later"),
					"atomicfile.reaper.max-age=2h", "atomicfile.reaper.min-age=30s", "atomicfile.reaper.recursive=true",
					"atomicfile.reaper.extra-patterns=*.tmp,index.faiss.tmp", "atomicfile.reaper.interval=5m")
			.run((context) -> {
				AtomicFileProperties.Reaper reaper = context.getBean(AtomicFileProperties.class).getReaper();
				assertThat(reaper.isEnabled()).isTrue();
				assertThat(reaper.getInterval()).isEqualTo(Duration.ofMinutes(5));
				assertThat(context.getBean(ConfiguredPathsReaper.class).getPaths()).containsExactly(this.directory,
						this.directory.resolve("later"));
				assertThat(context.getBean(OrphanReaper.class)).hasToString(
						"OrphanReaper[maxAge=PT2H, minAge=PT30S, recursive=true, extraPatterns=[*.tmp, index.faiss.tmp]]");
				assertThat(context).hasSingleBean(PeriodicOrphanReaper.class);
			});
	}

	@Test
	void userReaperMakesOursBackOffAndRunsAtStartup() {
		this.contextRunner.withUserConfiguration(UserReaperConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(OrphanReaper.class).hasSingleBean(OrphanReaperApplicationRunner.class);
			assertThat(context.getBean(OrphanReaper.class)).isSameAs(context.getBean("myReaper"));
			assertThat(context.getBean(ConfiguredPathsReaper.class).getReaper()).isSameAs(context.getBean("myReaper"));
		});
	}

	@Test
	void userPathsReaperIsWhatTheRunnerAndTheScheduleReap() throws IOException {
		Path mine = Files.createDirectory(this.directory.resolve("mine"));
		Path configured = Files.createDirectory(this.directory.resolve("configured"));
		Path atStartup = Orphans.create(mine, "a.json");
		Path untouched = Orphans.create(configured, "b.json");
		this.contextRunner
			.withBean(ConfiguredPathsReaper.class, () -> new ConfiguredPathsReaper(OrphanReaper.builder().build(), List.of(mine)))
			.withPropertyValues("atomicfile.reaper.paths=" + configured, "atomicfile.reaper.interval=1s")
			.run((context) -> {
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(atStartup).doesNotExist();
				Path later = Orphans.create(mine, "c.json");
				await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(later));
				assertThat(untouched).exists();
			});
	}

	@Test
	void whenDisabledNoBeanIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false", "atomicfile.reaper.interval=1m")
			.run((context) -> assertThat(context).doesNotHaveBean(OrphanReaper.class)
				.doesNotHaveBean(OrphanReaper.Builder.class)
				.doesNotHaveBean(ConfiguredPathsReaper.class)
				.doesNotHaveBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class)
				.doesNotHaveBean(ListenerBeans.class)
				.doesNotHaveBean(AtomicFileProperties.class));
	}

	@Test
	void whenReaperDisabledNoRunnerIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.enabled=false", "atomicfile.reaper.interval=1m")
			.run((context) -> assertThat(context).hasSingleBean(OrphanReaper.class)
				.doesNotHaveBean(ConfiguredPathsReaper.class)
				.doesNotHaveBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class));
	}

	@Test
	void periodicReaperReapsWhileRunningAndStopsWithTheContext() throws IOException {
		this.contextRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.interval=1s")
			.run((context) -> {
				PeriodicOrphanReaper periodic = context.getBean(PeriodicOrphanReaper.class);
				assertThat(periodic.isRunning()).isTrue();
				Path orphan = Orphans.create(this.directory, "cache.bin");
				await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(orphan));
				context.close();
				assertThat(periodic.isRunning()).isFalse();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> Thread.getAllStackTraces()
						.keySet()
						.stream()
						.noneMatch((thread) -> thread.getName().equals("atomicfile-reaper")));
			});
	}

	@Test
	void reaperCustomizerAdjustsTheAutoConfiguredReaperAndKeepsItsProperties() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.min-age=30s")
			.withBean(OrphanReaperBuilderCustomizer.class, () -> (builder) -> builder.recursive(true))
			.run((context) -> assertThat(context.getBean(OrphanReaper.class))
				.hasToString("OrphanReaper[maxAge=PT1H, minAge=PT30S, recursive=true, extraPatterns=[]]"));
	}

	/** The follow-up pass waits for the reaper's own min-age, not for the property's. */
	@Test
	void minAgeSetByACustomizerTimesTheFollowUpPass() throws IOException {
		Path orphan = Orphans.createYoung(this.directory, "state.json");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.min-age=1h",
				"atomicfile.reaper.max-age=2h")
			.withBean(OrphanReaperBuilderCustomizer.class, () -> (builder) -> builder.minAge(Duration.ofSeconds(1)))
			.run((context) -> {
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				await().atMost(Duration.ofSeconds(20)).until(() -> Files.notExists(orphan));
			});
	}

	@Test
	void reaperWithoutTheWriterAutoConfigurationStillTellsListenerBeans() throws IOException {
		Orphans.create(this.directory, "state.json");
		List<OrphanReaped> reaped = new CopyOnWriteArrayList<>();
		this.contextRunner.withBean(AtomicFileListener.class, () -> new AtomicFileListener() {

			@Override
			public void onOrphanReaped(OrphanReaped event) {
				reaped.add(event);
			}

		}).withPropertyValues("atomicfile.reaper.paths=" + this.directory).run((context) -> {
			assertThat(context).doesNotHaveBean(AtomicFileWriter.class);
			context.getBean(OrphanReaperApplicationRunner.class).run(null);
			assertThat(reaped).singleElement()
				.satisfies((event) -> assertThat(event.file().getParent()).isEqualTo(this.directory));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserReaperConfiguration {

		@Bean
		OrphanReaper myReaper() {
			return OrphanReaper.builder().minAge(Duration.ofMinutes(1)).build();
		}

	}

}
