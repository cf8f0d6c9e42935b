package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;

import dev.atomicfile.AtomicFileWriter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link AtomicFileMetricsAutoConfiguration}: the counters bean, and that it hears the
 * auto-configured writer and reaper.
 */
class AtomicFileMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileMetricsAutoConfiguration.class));

	private final ApplicationContextRunner allRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class,
				AtomicFileMetricsAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void micrometerOnTheClassPathGivesTheCounters() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(AtomicFileMetrics.class));
	}

	@Test
	void userMetricsMakeOursBackOff() {
		AtomicFileMetrics mine = new AtomicFileMetrics();
		this.contextRunner.withBean("myMetrics", AtomicFileMetrics.class, () -> mine)
			.run((context) -> assertThat(context).getBean(AtomicFileMetrics.class).isSameAs(mine));
	}

	@Test
	void whenDisabledNoCounters() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomicFileMetrics.class));
	}

	@Test
	void withoutMicrometerTheContextStartsAndWritesWork() {
		this.allRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(AtomicFileMetrics.class);
			Path target = this.directory.resolve("state.json");
			context.getBean(AtomicFileWriter.class).writeString(target, "{}");
			assertThat(target).hasContent("{}");
		});
	}

	@Test
	void countersMoveOnRealWritesFailuresAndReaps() throws IOException {
		Orphans.create(this.directory, "state.json");
		this.allRunner.withBean(SimpleMeterRegistry.class)
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
	void writeBytesIsADistributionSummaryOfEachWriteInBytes() {
		this.allRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(AtomicFileMetrics.class).bindTo(registry);
			AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
			writer.write(this.directory.resolve("small"), new byte[10]);
			writer.write(this.directory.resolve("large"), new byte[4096]);
			assertThatIOException().isThrownBy(() -> writer.write(this.directory, new byte[99]));
			DistributionSummary bytes = registry.get("atomicfile.write.bytes").summary();
			assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
			assertThat(bytes.count()).isEqualTo(2);
			assertThat(bytes.totalAmount()).isEqualTo(4106);
			assertThat(bytes.max()).isEqualTo(4096);
			assertThat(registry.get("atomicfile.writes").counter().count()).isEqualTo(2);
		});
	}

}
