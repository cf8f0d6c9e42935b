package dev.atomicfile.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code atomicfile} endpoint: registered only when exposed, and what its operations return
 * over real directories with real orphans.
 */
class AtomicFileEndpointTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class,
				OrphanReaperAutoConfiguration.class, CommitRecoveryAutoConfiguration.class,
				VolumeStartupCheckAutoConfiguration.class, AtomicFileEndpointAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void whenEndpointNotExposedNoEndpointIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AtomicFileEndpoint.class));
	}

	@Test
	void whenExposedOverTheWebTheEndpointIsRegistered() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=atomicfile")
			.run((context) -> assertThat(context).hasSingleBean(AtomicFileEndpoint.class));
	}

	@Test
	void whenExposedButAccessIsNoneNoEndpointIsRegistered() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=atomicfile",
					"management.endpoint.atomicfile.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomicFileEndpoint.class));
	}

	@Test
	void withoutActuatorNoEndpointIsRegistered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=atomicfile")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AtomicFileEndpoint.class));
	}

	@Test
	void readShowsRootsDurabilityStartupCheckAndNoWritesInFlight() throws Exception {
		Path documents = java.nio.file.Files.createDirectory(this.directory.resolve("documents"));
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=atomicfile", "atomicfile.durability=file",
					"atomicfile.reaper.paths=" + documents)
			.run((context) -> {
				AtomicFileEndpoint.AtomicFileDescriptor read = context.getBean(AtomicFileEndpoint.class).atomicFile();
				assertThat(read.durability()).isEqualTo("FILE");
				assertThat(read.writesInFlight()).isZero();
				assertThat(read.roots()).containsOnlyKeys("documents");
				AtomicFileEndpoint.RootDescriptor root = read.roots().get("documents");
				assertThat(root.path()).isEqualTo(documents.toString());
				assertThat(root.startupCheck()).isNotNull();
				assertThat(root.startupCheck().writable()).isTrue();
				assertThat(root.startupCheck().locks()).isTrue();
				// The context runner runs no ApplicationRunner: no startup reap yet.
				assertThat(root.lastReap()).isNull();
				assertThat(read.lastStartupRecovery()).isNotNull();
				assertThat(read.lastStartupRecovery().failed()).isZero();
			});
	}

	@Test
	void writesInFlightComeFromTheActivityBean() {
		AtomicFileWriterActivity activity = new AtomicFileWriterActivity();
		activity.started();
		activity.started();
		this.contextRunner.withBean(AtomicFileWriterActivity.class, () -> activity)
			.withPropertyValues("management.endpoints.web.exposure.include=atomicfile")
			.run((context) -> assertThat(context.getBean(AtomicFileEndpoint.class).atomicFile().writesInFlight())
				.isEqualTo(2));
	}

	@Test
	void reapReapsEveryRootNowAndReturnsAndRemembersEachReport() throws Exception {
		Path documents = java.nio.file.Files.createDirectory(this.directory.resolve("documents"));
		Path cache = java.nio.file.Files.createDirectory(this.directory.resolve("cache"));
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=atomicfile",
					"atomicfile.reaper.paths=" + documents + "," + cache)
			.run((context) -> {
				Path orphan = Orphans.create(documents, "report.pdf");
				AtomicFileEndpoint endpoint = context.getBean(AtomicFileEndpoint.class);
				AtomicFileEndpoint.ReapPassDescriptor pass = endpoint.reap();
				assertThat(pass.reaped()).isTrue();
				assertThat(pass.roots()).containsOnlyKeys("documents", "cache");
				assertThat(pass.roots().get("documents").reaped()).isEqualTo(1);
				assertThat(pass.roots().get("cache").reaped()).isZero();
				assertThat(orphan).doesNotExist();
				assertThat(endpoint.atomicFile().roots().get("documents").lastReap()).isEqualTo(pass.roots().get("documents"));
			});
	}

	@Test
	void reapSaysSoWhenReapingIsOff() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=atomicfile", "atomicfile.reaper.enabled=false",
					"atomicfile.reaper.paths=" + this.directory)
			.run((context) -> {
				AtomicFileEndpoint.ReapPassDescriptor pass = context.getBean(AtomicFileEndpoint.class).reap();
				assertThat(pass.reaped()).isFalse();
				assertThat(pass.roots()).isEmpty();
			});
	}

}
