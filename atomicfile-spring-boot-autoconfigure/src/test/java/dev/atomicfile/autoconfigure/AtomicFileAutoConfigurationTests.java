package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;
import dev.atomicfile.OrphanReaper;
import dev.atomicfile.WriteSucceeded;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AtomicFileAutoConfiguration}.
 */
class AtomicFileAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void defaultsGiveADurableWriterAReaperAndAStartupRunner() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AtomicFileWriter.class)
				.hasSingleBean(OrphanReaper.class)
				.hasSingleBean(OrphanReaperApplicationRunner.class)
				.hasSingleBean(AtomicFileMetrics.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class);
			assertThat(context.getBean(AtomicFileWriter.class))
				.hasToString("AtomicFileWriter[durability=FULL, preservePermissions=true, preserveOwnership=true, followLinks=true]");
			assertThat(context.getBean(OrphanReaper.class))
				.hasToString("OrphanReaper[maxAge=PT1H, minAge=PT10S, recursive=false, extraPatterns=[]]");
		});
	}

	@Test
	void everyPropertyBinds() {
		this.contextRunner
			.withPropertyValues("atomicfile.durability=none", "atomicfile.preserve-permissions=false",
					"atomicfile.preserve-ownership=false", "atomicfile.follow-links=false",
					"atomicfile.reaper.paths=" + this.directory + "," + this.directory.resolve("later"),
					"atomicfile.reaper.max-age=2h", "atomicfile.reaper.min-age=30s", "atomicfile.reaper.recursive=true",
					"atomicfile.reaper.extra-patterns=*.tmp,index.faiss.tmp", "atomicfile.reaper.interval=5m")
			.run((context) -> {
				AtomicFileProperties properties = context.getBean(AtomicFileProperties.class);
				assertThat(properties.isEnabled()).isTrue();
				assertThat(properties.getReaper().isEnabled()).isTrue();
				assertThat(properties.getReaper().getPaths()).containsExactly(this.directory,
						this.directory.resolve("later"));
				assertThat(properties.getReaper().getInterval()).isEqualTo(Duration.ofMinutes(5));
				assertThat(context.getBean(AtomicFileWriter.class))
					.hasToString("AtomicFileWriter[durability=NONE, preservePermissions=false, preserveOwnership=false, "
							+ "followLinks=false]");
				assertThat(context.getBean(OrphanReaper.class)).hasToString(
						"OrphanReaper[maxAge=PT2H, minAge=PT30S, recursive=true, extraPatterns=[*.tmp, index.faiss.tmp]]");
				assertThat(context).hasSingleBean(PeriodicOrphanReaper.class);
			});
	}

	@Test
	void userWriterMakesOursBackOff() {
		this.contextRunner.withUserConfiguration(UserWriterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(AtomicFileWriter.class);
			assertThat(context.getBean(AtomicFileWriter.class)).isSameAs(context.getBean("myWriter"));
		});
	}

	@Test
	void userReaperMakesOursBackOffAndRunsAtStartup() {
		this.contextRunner.withUserConfiguration(UserReaperConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(OrphanReaper.class);
			assertThat(context.getBean(OrphanReaper.class)).isSameAs(context.getBean("myReaper"));
			assertThat(context).hasSingleBean(OrphanReaperApplicationRunner.class);
		});
	}

	@Test
	void whenDisabledNoBeanIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomicFileWriter.class)
				.doesNotHaveBean(OrphanReaper.class)
				.doesNotHaveBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(AtomicFileMetrics.class)
				.doesNotHaveBean(AtomicFileProperties.class));
	}

	@Test
	void whenReaperDisabledNoRunnerIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.enabled=false", "atomicfile.reaper.interval=1m")
			.run((context) -> assertThat(context).hasSingleBean(AtomicFileWriter.class)
				.doesNotHaveBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class));
	}

	@Test
	void withoutMicrometerTheContextStartsAndWritesWork() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(AtomicFileMetrics.class);
			Path target = this.directory.resolve("state.json");
			context.getBean(AtomicFileWriter.class).writeString(target, "{}");
			assertThat(target).hasContent("{}");
		});
	}

	@Test
	void countersMoveOnRealWritesFailuresAndReaps() throws IOException {
		Orphans.create(this.directory, "state.json");
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// Spring Boot's metrics auto-configuration binds MeterBinders; this context has none of it.
				context.getBean(AtomicFileMetrics.class).bindTo(registry);
				AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
				writer.writeString(this.directory.resolve("state.json"), "one");
				writer.writeString(this.directory.resolve("state.json"), "two");
				assertThatIOException().isThrownBy(() -> writer.writeString(this.directory, "a directory"));
				context.getBean(OrphanReaperApplicationRunner.class).run(null);
				assertThat(registry.get("atomicfile.writes").counter().count()).isEqualTo(2);
				assertThat(registry.get("atomicfile.write.failures")
					.tag("exception", "FileSystemException")
					.tag("origin", "file_system")
					.tag("reason", "is_a_directory")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("atomicfile.reaped").counter().count()).isEqualTo(1);
			});
	}

	@Test
	void userListenersReceiveWriteEvents() {
		this.contextRunner.withUserConfiguration(RecordingListenerConfiguration.class).run((context) -> {
			Path target = this.directory.resolve("settings.properties");
			context.getBean(AtomicFileWriter.class).writeString(target, "a=1");
			assertThat(context.getBean(RecordingListener.class).writes).singleElement()
				.satisfies((event) -> assertThat(event.target()).isEqualTo(target));
		});
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
	void everyWriterCustomizerAdjustsTheAutoConfiguredWriter() {
		this.contextRunner.withPropertyValues("atomicfile.durability=file")
			.withBean("second", AtomicFileWriterBuilderCustomizer.class,
					() -> (builder) -> builder.preservePermissions(false))
			.withBean("first", AtomicFileWriterBuilderCustomizer.class,
					() -> (builder) -> builder.durability(Durability.NONE))
			.run((context) -> assertThat(context.getBean(AtomicFileWriter.class))
				.hasToString("AtomicFileWriter[durability=NONE, preservePermissions=false, preserveOwnership=true, "
						+ "followLinks=true]"));
	}

	@Test
	void reaperCustomizerAdjustsTheAutoConfiguredReaperAndKeepsItsProperties() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.min-age=30s")
			.withBean(OrphanReaperBuilderCustomizer.class, () -> (builder) -> builder.recursive(true))
			.run((context) -> assertThat(context.getBean(OrphanReaper.class))
				.hasToString("OrphanReaper[maxAge=PT1H, minAge=PT30S, recursive=true, extraPatterns=[]]"));
	}

	@Test
	void writerBuiltFromTheInjectedBuilderKeepsListenersAndCustomizers() {
		this.contextRunner.withUserConfiguration(RecordingListenerConfiguration.class, BuiltWriterConfiguration.class)
			.withBean(AtomicFileWriterBuilderCustomizer.class, () -> (builder) -> builder.durability(Durability.FILE))
			.run((context) -> {
				AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
				assertThat(writer).isSameAs(context.getBean("myWriter"))
					.hasToString("AtomicFileWriter[durability=NONE, preservePermissions=true, preserveOwnership=true, "
							+ "followLinks=true]");
				Path target = this.directory.resolve("own.txt");
				writer.writeString(target, "mine");
				assertThat(context.getBean(RecordingListener.class).writes).singleElement()
					.satisfies((event) -> assertThat(event.target()).isEqualTo(target));
			});
	}

	@Test
	void listenerThatUsesTheWriterIsNoBeanCycleAndSeesEveryWrite() {
		this.contextRunner.withUserConfiguration(AuditLogConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			writer.writeString(this.directory.resolve("a.txt"), "a");
			writer.writeString(this.directory.resolve("b.txt"), "b");
			assertThat(this.directory.resolve("audit.log")).hasContent("a.txt\nb.txt\n");
		});
	}

	@Test
	void replaceableBeansArePublic() {
		for (Class<?> type : List.of(OrphanReaperApplicationRunner.class, PeriodicOrphanReaper.class,
				AtomicFileMetrics.class, AtomicFileWriterBuilderCustomizer.class, OrphanReaperBuilderCustomizer.class)) {
			assertThat(Modifier.isPublic(type.getModifiers())).as(type.getName()).isTrue();
			assertThat(type.getConstructors().length + (type.isInterface() ? 1 : 0)).as(type.getName()).isPositive();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class BuiltWriterConfiguration {

		@Bean
		AtomicFileWriter myWriter(AtomicFileWriter.Builder builder) {
			return builder.durability(Durability.NONE).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AuditLogConfiguration {

		@Bean
		AuditLog auditLog(AtomicFileWriter writer) {
			return new AuditLog(writer);
		}

	}

	/** An audit log that records each written file's name in a file of its own, through the same writer. */
	static class AuditLog implements AtomicFileListener {

		private final AtomicFileWriter writer;

		private final StringBuilder log = new StringBuilder();

		AuditLog(AtomicFileWriter writer) {
			this.writer = writer;
		}

		@Override
		public synchronized void onWrite(WriteSucceeded event) {
			Path target = event.target();
			if (target.getFileName().toString().equals("audit.log")) {
				return;
			}
			this.log.append(target.getFileName()).append('\n');
			try {
				this.writer.writeString(target.resolveSibling("audit.log"), this.log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWriterConfiguration {

		@Bean
		AtomicFileWriter myWriter() {
			return AtomicFileWriter.builder().durability(Durability.FILE).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserReaperConfiguration {

		@Bean
		OrphanReaper myReaper() {
			return OrphanReaper.builder().minAge(Duration.ofMinutes(1)).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingListenerConfiguration {

		@Bean
		RecordingListener recordingListener() {
			return new RecordingListener();
		}

	}

	static class RecordingListener implements AtomicFileListener {

		final List<WriteSucceeded> writes = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void onWrite(WriteSucceeded event) {
			this.writes.add(event);
		}

	}

}
