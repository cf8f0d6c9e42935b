package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;
import dev.atomicfile.OrphanReaper;
import dev.atomicfile.WriteSucceeded;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AtomicFileAutoConfiguration}: the writer, on its own.
 */
class AtomicFileAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void defaultsGiveADurableWriter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AtomicFileWriter.class).hasSingleBean(AtomicFileProperties.class);
			assertThat(context.getBean(AtomicFileWriter.class))
				.hasToString("AtomicFileWriter[durability=FULL, preservePermissions=true, preserveOwnership=true, followLinks=true, newFileMode=umask, serializeWrites=false, fsyncParallelism="
							+ AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM + "]");
		});
	}

	@Test
	void newFilePermissionsAndSerializedWritesReachTheWriter() {
		this.contextRunner
			.withPropertyValues("atomicfile.new-file-permissions=rw-r-----", "atomicfile.serialize-writes=true")
			.run((context) -> assertThat(context.getBean(AtomicFileWriter.class).toString())
				.contains("newFileMode=0640, serializeWrites=true"));
	}

	@Test
	void rootsAreTheReaperPathsUnderShortAliases() {
		this.contextRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory.resolve("a/data") + ","
					+ this.directory.resolve("b/data") + "," + this.directory.resolve("documents"))
			.run((context) -> assertThat(context.getBean(AtomicFileRoots.class).getRoots())
				.extracting(AtomicFileRoots.Root::alias)
				.containsExactly("a-data", "b-data", "documents"));
	}

	@Test
	void writerAloneBringsNoReaperAndNoMetrics() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.reaper.interval=1m")
			.run((context) -> assertThat(context).hasSingleBean(AtomicFileWriter.class)
				.doesNotHaveBean(OrphanReaper.class)
				.doesNotHaveBean(ConfiguredPathsReaper.class)
				.doesNotHaveBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class)
				.doesNotHaveBean(AtomicFileMetrics.class));
	}

	@Test
	void everyWriterPropertyBinds() {
		this.contextRunner
			.withPropertyValues("atomicfile.durability=none", "atomicfile.preserve-permissions=false",
					"atomicfile.preserve-ownership=false", "atomicfile.follow-links=false")
			.run((context) -> {
				assertThat(context.getBean(AtomicFileProperties.class).isEnabled()).isTrue();
				assertThat(context.getBean(AtomicFileWriter.class))
					.hasToString("AtomicFileWriter[durability=NONE, preservePermissions=false, preserveOwnership=false, "
							+ "followLinks=false, newFileMode=umask, serializeWrites=false, fsyncParallelism="
							+ AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM + "]");
			});
	}

	@Test
	void fsyncParallelismBindsAndTheWriterCommitsWithIt() throws IOException {
		this.contextRunner.withPropertyValues("atomicfile.fsync-parallelism=1").withBean(CommitEvents.class).run((context) -> {
			assertThat(context.getBean(AtomicFileProperties.class).getFsyncParallelism()).isEqualTo(1);
			Path document = this.directory.resolve("index.bin");
			Path metadata = this.directory.resolve("index.meta.json");
			context.getBean(AtomicFileWriter.class).commit((batch) -> {
				batch.write(document, new byte[] { 1, 2, 3 });
				batch.writeString(metadata, "{\"size\":3}");
			});
			assertThat(document).hasBinaryContent(new byte[] { 1, 2, 3 });
			assertThat(metadata).hasContent("{\"size\":3}");
			assertThat(context.getBean(CommitEvents.class).commits()).singleElement()
				.satisfies((event) -> assertThat(event.targets()).containsExactly(document, metadata));
		});
	}

	@Test
	void fsyncParallelismIsTheCoresDefaultUnlessSet() {
		this.contextRunner.run((context) -> assertThat(context.getBean(AtomicFileProperties.class).getFsyncParallelism())
			.isNull());
	}

	@Test
	void userWriterMakesOursBackOff() {
		this.contextRunner.withUserConfiguration(UserWriterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(AtomicFileWriter.class);
			assertThat(context.getBean(AtomicFileWriter.class)).isSameAs(context.getBean("myWriter"));
		});
	}

	@Test
	void whenDisabledNoBeanIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomicFileWriter.class)
				.doesNotHaveBean(AtomicFileWriter.Builder.class)
				.doesNotHaveBean(ListenerBeans.class)
				.doesNotHaveBean(AtomicFileProperties.class));
	}

	@Test
	void userListenersReceiveWriteEvents() {
		this.contextRunner.withBean(RecordingListener.class).run((context) -> {
			Path target = this.directory.resolve("settings.properties");
			context.getBean(AtomicFileWriter.class).writeString(target, "a=1");
			assertThat(context.getBean(RecordingListener.class).successes()).singleElement()
				.satisfies((event) -> assertThat(event.target()).isEqualTo(target));
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
						+ "followLinks=true, newFileMode=umask, serializeWrites=false, fsyncParallelism="
							+ AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM + "]"));
	}

	@Test
	void writerBuiltFromTheInjectedBuilderKeepsListenersAndCustomizers() {
		this.contextRunner.withUserConfiguration(BuiltWriterConfiguration.class)
			.withBean(RecordingListener.class)
			.withBean(AtomicFileWriterBuilderCustomizer.class, () -> (builder) -> builder.durability(Durability.FILE))
			.run((context) -> {
				AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
				assertThat(writer).isSameAs(context.getBean("myWriter"))
					.hasToString("AtomicFileWriter[durability=NONE, preservePermissions=true, preserveOwnership=true, "
							+ "followLinks=true, newFileMode=umask, serializeWrites=false, fsyncParallelism="
							+ AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM + "]");
				Path target = this.directory.resolve("own.txt");
				writer.writeString(target, "mine");
				assertThat(context.getBean(RecordingListener.class).successes()).singleElement()
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

}
