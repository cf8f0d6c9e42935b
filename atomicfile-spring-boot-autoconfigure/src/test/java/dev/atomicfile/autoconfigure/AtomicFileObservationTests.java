package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitBatch;
import dev.atomicfile.PendingFile;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the observations of the auto-configured writer and reaper: {@link ObservedAtomicFileWriter},
 * the reap observation, the default convention and its replacement, and the switches that turn
 * them off.
 */
class AtomicFileObservationTests {

	/** Spring Boot 4 moved it into its own module and package. */
	private static final List<String> BOOT_OBSERVATION_AUTO_CONFIGURATION = List.of(
			"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class))
		.withUserConfiguration(ObservationConfiguration.class);

	private final ApplicationContextRunner withoutRegistryRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class));

	private final ApplicationContextRunner bootRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(bootObservationAutoConfiguration(), AtomicFileAutoConfiguration.class,
				OrphanReaperAutoConfiguration.class))
		.withBean(RecordingObservationHandler.class);

	@TempDir
	Path directory;

	@Test
	void writeGivesATimerTaggedWithTheDocumentedKeys() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + documents()).run((context) -> {
			context.getBean(AtomicFileWriter.class).writeString(documents().resolve("a.json"), "{}");
			Timer timer = context.getBean(MeterRegistry.class).get("atomicfile.write").timer();
			assertThat(timer.count()).isEqualTo(1);
			assertThat(timer.getId().getTags()).extracting((tag) -> tag.getKey() + "=" + tag.getValue())
				.contains("operation=write", "durability=full", "outcome=success", "exception=none",
						"root=documents");
		});
	}

	@Test
	void failureIsTaggedWithItsException() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + documents()).run((context) -> {
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			assertThatIOException().isThrownBy(() -> writer.writeString(documents(), "a directory"));
			Timer timer = context.getBean(MeterRegistry.class)
				.get("atomicfile.write")
				.tag("outcome", "failure")
				.tag("exception", "FileSystemException")
				.timer();
			assertThat(timer.count()).isEqualTo(1);
			assertThat(context.getBean(RecordingObservationHandler.class).events()).containsExactly(
					"start atomicfile.write", "error atomicfile.write", "stop atomicfile.write");
		});
	}

	@Test
	void rootIsTheConfiguredRootsAliasOrOther() throws IOException {
		Path elsewhere = Files.createDirectory(this.directory.resolve("elsewhere"));
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + documents()).run((context) -> {
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			Files.createDirectory(documents().resolve("deep"));
			writer.writeString(documents().resolve("deep/a.json"), "{}");
			writer.writeString(elsewhere.resolve("b.json"), "{}");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("atomicfile.write").tag("root", "documents").timer().count()).isEqualTo(1);
			assertThat(registry.get("atomicfile.write").tag("root", AtomicFileRoots.OTHER).timer().count())
				.isEqualTo(1);
		});
	}

	@Test
	void pathIsOnlyAHighCardinalityKey() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + documents()).run((context) -> {
			Path target = documents().resolve("a.json");
			context.getBean(AtomicFileWriter.class).writeString(target, "{}");
			Observation.Context observed = context.getBean(RecordingObservationHandler.class)
				.stopped()
				.get(0);
			assertThat(observed.getHighCardinalityKeyValue("path")).isEqualTo(KeyValue.of("path", target.toString()));
			assertThat(observed.getLowCardinalityKeyValue("path")).isNull();
			assertThat(context.getBean(MeterRegistry.class).get("atomicfile.write").timer().getId().getTag("path"))
				.isNull();
		});
	}

	@Test
	void everyOperationHasItsOwnValue() throws IOException {
		Path linkTarget = Files.writeString(this.directory.resolve("v1"), "one");
		this.contextRunner.run((context) -> {
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			writer.write(this.directory.resolve("a"), new byte[] { 1 });
			writer.write(this.directory.resolve("b"), (out) -> out.write(2));
			writer.writeFile(this.directory.resolve("c"), (temp) -> Files.writeString(temp, "c"));
			writer.writeString(this.directory.resolve("d"), "d", StandardCharsets.ISO_8859_1);
			writer.writeNew(this.directory.resolve("e"), new byte[] { 5 });
			writer.writeNew(this.directory.resolve("f"), (out) -> out.write(6));
			writer.replaceSymbolicLink(this.directory.resolve("current"), linkTarget);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("atomicfile.write").tag("operation", "write").timer().count()).isEqualTo(4);
			assertThat(registry.get("atomicfile.write").tag("operation", "write_new").timer().count()).isEqualTo(2);
			assertThat(registry.get("atomicfile.write").tag("operation", "symlink").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void commitOfContentIsOneCommitObservationUnderItsFirstTargetsRoot() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + documents()).run((context) -> {
			Path first = documents().resolve("index.bin");
			context.getBean(AtomicFileWriter.class).commit((batch) -> {
				batch.write(first, new byte[] { 1 });
				batch.writeString(this.directory.resolve("meta.json"), "{}");
			});
			assertThat(first).hasBinaryContent(new byte[] { 1 });
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer commit = registry.get("atomicfile.commit").timer();
			assertThat(commit.count()).isEqualTo(1);
			assertThat(commit.getId().getTag("root")).isEqualTo("documents");
			assertThat(commit.getId().getTag("operation")).isEqualTo("commit");
			assertThat(commit.getId().getTag("outcome")).isEqualTo("success");
			assertThat(registry.find("atomicfile.write").timer()).isNull();
			assertThat(context.getBean(RecordingObservationHandler.class).stopped()).singleElement()
				.satisfies((observed) -> assertThat(observed.getHighCardinalityKeyValue("path").getValue())
					.isEqualTo(first.toString()));
		});
	}

	@Test
	void commitWhoseContentThrowsIsAFailureTaggedWithTheException() {
		this.contextRunner.run((context) -> {
			Path target = this.directory.resolve("a");
			assertThatIOException().isThrownBy(() -> context.getBean(AtomicFileWriter.class).commit((batch) -> {
				batch.writeString(target, "a");
				throw new IOException("client gone");
			}));
			assertThat(target).doesNotExist();
			Timer commit = context.getBean(MeterRegistry.class).get("atomicfile.commit").timer();
			assertThat(commit.getId().getTag("outcome")).isEqualTo("failure");
			assertThat(commit.getId().getTag("exception")).isEqualTo("IOException");
			assertThat(context.getBean(AtomicFileWriterActivity.class).inFlight()).isZero();
		});
	}

	@Test
	void batchIsObservedFromNewBatchToItsCommitAndCountedInFlight() {
		this.contextRunner.run((context) -> {
			AtomicFileWriterActivity activity = context.getBean(AtomicFileWriterActivity.class);
			RecordingObservationHandler handler = context.getBean(RecordingObservationHandler.class);
			try (CommitBatch batch = context.getBean(AtomicFileWriter.class).newBatch()) {
				assertThat(activity.inFlight()).isEqualTo(1);
				assertThat(handler.events()).containsExactly("start atomicfile.commit");
				batch.writeString(this.directory.resolve("a"), "a");
				batch.commit();
				assertThat(activity.inFlight()).isZero();
				assertThatIllegalStateException().isThrownBy(batch::commit);
			}
			assertThat(handler.events()).containsExactly("start atomicfile.commit", "stop atomicfile.commit");
			assertThat(context.getBean(MeterRegistry.class)
				.get("atomicfile.commit")
				.tag("outcome", "success")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void batchClosedWithoutCommitIsAbandoned() {
		this.contextRunner.run((context) -> {
			try (CommitBatch batch = context.getBean(AtomicFileWriter.class).newBatch()) {
				batch.writeString(this.directory.resolve("a"), "a");
			}
			assertThat(this.directory.resolve("a")).doesNotExist();
			Timer commit = context.getBean(MeterRegistry.class).get("atomicfile.commit").timer();
			assertThat(commit.getId().getTag("outcome")).isEqualTo("abandoned");
			assertThat(commit.getId().getTag("exception")).isEqualTo("none");
			assertThat(commit.getId().getTag("root")).isEqualTo(AtomicFileRoots.OTHER);
			assertThat(context.getBean(AtomicFileWriterActivity.class).inFlight()).isZero();
		});
	}

	@Test
	void pendingFileIsObservedFromItsOpeningToItsCommit() {
		this.contextRunner.run((context) -> {
			AtomicFileWriterActivity activity = context.getBean(AtomicFileWriterActivity.class);
			Path target = this.directory.resolve("table.csv");
			try (PendingFile pending = context.getBean(AtomicFileWriter.class).newPendingFile(target)) {
				pending.outputStream().write("a,b".getBytes(StandardCharsets.UTF_8));
				assertThat(activity.inFlight()).isEqualTo(1);
				assertThat(context.getBean(RecordingObservationHandler.class).events())
					.containsExactly("start atomicfile.write");
				pending.commit();
			}
			assertThat(target).hasContent("a,b");
			assertThat(activity.inFlight()).isZero();
			Timer write = context.getBean(MeterRegistry.class).get("atomicfile.write").timer();
			assertThat(write.count()).isEqualTo(1);
			assertThat(write.getId().getTag("operation")).isEqualTo("pending");
			assertThat(write.getId().getTag("outcome")).isEqualTo("success");
		});
	}

	@Test
	void pendingFileClosedWithoutCommitIsAbandoned() {
		this.contextRunner.run((context) -> {
			Path target = this.directory.resolve("table.csv");
			try (PendingFile pending = context.getBean(AtomicFileWriter.class).newPendingFile(target)) {
				pending.outputStream().write(1);
			}
			assertThat(target).doesNotExist();
			assertThat(context.getBean(MeterRegistry.class)
				.get("atomicfile.write")
				.tag("operation", "pending")
				.tag("outcome", "abandoned")
				.timer()
				.count()).isEqualTo(1);
			assertThat(context.getBean(AtomicFileWriterActivity.class).inFlight()).isZero();
		});
	}

	@Test
	void reapOfEachConfiguredPathIsObserved() throws IOException {
		Orphans.create(documents(), "a.json");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + documents()).run((context) -> {
			assertThat(context.getBean(ConfiguredPathsReaper.class).reap()).hasValueSatisfying(
					(report) -> assertThat(report.reaped()).isEqualTo(1));
			Timer reap = context.getBean(MeterRegistry.class).get("atomicfile.reap").timer();
			assertThat(reap.count()).isEqualTo(1);
			assertThat(reap.getId().getTags()).extracting((tag) -> tag.getKey() + "=" + tag.getValue())
				.contains("outcome=success", "exception=none", "root=documents")
				.noneMatch((tag) -> tag.startsWith("operation=") || tag.startsWith("durability="));
			AtomicFileObservationContext observed = (AtomicFileObservationContext) context
				.getBean(RecordingObservationHandler.class)
				.stopped()
				.get(0);
			assertThat(observed.getReapReport()).isNotNull();
			assertThat(observed.getHighCardinalityKeyValue("path").getValue()).isEqualTo(documents().toString());
		});
	}

	@Test
	void tracingHandlerSeesTheWriteAsTheCurrentObservationInTheCallersCallback() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			AtomicReference<String> current = new AtomicReference<>();
			context.getBean(AtomicFileWriter.class).write(this.directory.resolve("a"), (out) -> {
				Observation observation = registry.getCurrentObservation();
				current.set((observation != null) ? observation.getContext().getName() : "none");
				out.write(1);
			});
			assertThat(current).hasValue("atomicfile.write");
			assertThat(registry.getCurrentObservation()).isNull();
			assertThat(context.getBean(RecordingObservationHandler.class).events())
				.containsExactly("start atomicfile.write", "stop atomicfile.write");
		});
	}

	@Test
	void conventionBeanReplacesTheDefaultForTheObservationItSupports() {
		this.contextRunner.withBean(TenantConvention.class).run((context) -> {
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			writer.writeString(this.directory.resolve("a"), "a");
			writer.commit((batch) -> batch.writeString(this.directory.resolve("b"), "b"));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("atomicfile.write").tag("tenant", "acme").timer().count()).isEqualTo(1);
			assertThat(registry.get("atomicfile.commit").timer().getId().getTag("tenant")).isNull();
		});
	}

	@Test
	void withoutAnObservationRegistryWritesAreCountedInFlightButNotObserved() {
		this.withoutRegistryRunner.run((context) -> {
			assertThat(context).hasSingleBean(AtomicFileWriterActivity.class)
				.getBean(AtomicFileWriter.class)
				.isInstanceOf(ObservedAtomicFileWriter.class);
			AtomicFileWriterActivity activity = context.getBean(AtomicFileWriterActivity.class);
			AtomicReference<Integer> during = new AtomicReference<>();
			context.getBean(AtomicFileWriter.class).write(this.directory.resolve("a"), (out) -> {
				during.set(activity.inFlight());
				out.write(1);
			});
			assertThat(during).hasValue(1);
			assertThat(activity.inFlight()).isZero();
		});
	}

	@Test
	void withoutMicrometerTheWriterIsTheBuiltOneAndWrites() {
		this.withoutRegistryRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(AtomicFileWriterActivity.class);
				AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
				assertThat(writer).isNotInstanceOf(ObservedAtomicFileWriter.class);
				writer.writeString(this.directory.resolve("a"), "a");
				assertThat(this.directory.resolve("a")).hasContent("a");
				assertThat(context.getBean(ConfiguredPathsReaper.class).reap()).isPresent();
			});
	}

	@Test
	void userWriterIsUsedAsItIs() {
		AtomicFileWriter mine = AtomicFileWriter.builder().build();
		this.contextRunner.withBean("myWriter", AtomicFileWriter.class, () -> mine)
			.run((context) -> assertThat(context).getBean(AtomicFileWriter.class).isSameAs(mine));
	}

	@Test
	void bootsObservationAutoConfigurationObservesWritesCommitsAndReaps() {
		this.bootRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory).run((context) -> {
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			writer.writeString(this.directory.resolve("a"), "a");
			writer.commit((batch) -> batch.writeString(this.directory.resolve("b"), "b"));
			context.getBean(ConfiguredPathsReaper.class).reap();
			assertThat(context.getBean(RecordingObservationHandler.class).events()).containsExactly(
					"start atomicfile.write", "stop atomicfile.write", "start atomicfile.commit",
					"stop atomicfile.commit", "start atomicfile.reap", "stop atomicfile.reap");
		});
	}

	@Test
	void observationsDisabledByPrefixAreNotObservedButWritesStillWork() {
		this.bootRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "management.observations.enable.atomicfile=false")
			.run((context) -> {
				AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
				writer.writeString(this.directory.resolve("a"), "a");
				writer.commit((batch) -> batch.writeString(this.directory.resolve("b"), "b"));
				context.getBean(ConfiguredPathsReaper.class).reap();
				assertThat(this.directory.resolve("a")).hasContent("a");
				assertThat(this.directory.resolve("b")).hasContent("b");
				assertThat(context.getBean(RecordingObservationHandler.class).events()).isEmpty();
			});
	}

	@Test
	void oneObservationCanBeDisabledByItsName() {
		this.bootRunner.withPropertyValues("management.observations.enable.atomicfile.commit=false").run((context) -> {
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			writer.writeString(this.directory.resolve("a"), "a");
			writer.commit((batch) -> batch.writeString(this.directory.resolve("b"), "b"));
			assertThat(context.getBean(RecordingObservationHandler.class).events())
				.containsExactly("start atomicfile.write", "stop atomicfile.write");
		});
	}

	private Path documents() {
		try {
			return Files.createDirectories(this.directory.resolve("documents"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Class<?> bootObservationAutoConfiguration() {
		for (String name : BOOT_OBSERVATION_AUTO_CONFIGURATION) {
			if (ClassUtils.isPresent(name, null)) {
				return ClassUtils.resolveClassName(name, null);
			}
		}
		throw new IllegalStateException("No Spring Boot ObservationAutoConfiguration on the class path");
	}

	/** A registry as Spring Boot's would be with metrics and a tracer: a meter handler and a recording one. */
	@Configuration(proxyBeanMethods = false)
	static class ObservationConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		RecordingObservationHandler recordingObservationHandler() {
			return new RecordingObservationHandler();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleMeterRegistry meterRegistry,
				RecordingObservationHandler recordingObservationHandler) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(meterRegistry))
				.observationHandler(recordingObservationHandler);
			return registry;
		}

	}

	/** Adds a tenant to the writes, and leaves commits and reaps to the default convention. */
	static class TenantConvention extends DefaultAtomicFileObservationConvention {

		TenantConvention() {
			super(AtomicFileObservation.WRITE);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(AtomicFileObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
		}

	}

}
