package dev.atomicfile.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.ReapReport;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code atomicfile} health indicator: when it is registered, and what each root's component
 * says on real directories (the read-only one a real bind mount, root only).
 */
class AtomicFileHealthIndicatorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AtomicFileAutoConfiguration.class,
				VolumeStartupCheckAutoConfiguration.class, AtomicFileHealthContributorAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void indicatorIsRegisteredInTheHealthApiOfTheRunningBootLine() throws Exception {
		Class<?> api = healthApi();
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory).run((context) -> {
			assertThat(context).hasBean("atomicFileHealthIndicator");
			assertThat(context.getBean("atomicFileHealthIndicator")).isInstanceOf(api);
		});
	}

	@Test
	void whenHealthDisabledNoIndicatorIsRegistered() {
		this.contextRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "management.health.atomicfile.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("atomicFileHealthIndicator"));
	}

	@Test
	void whenHealthDefaultsDisabledNoIndicatorIsRegisteredUnlessItsOwnFlagSaysSo() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("atomicFileHealthIndicator"));
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false", "management.health.atomicfile.enabled=true")
			.run((context) -> assertThat(context).hasBean("atomicFileHealthIndicator"));
	}

	@Test
	void whenAtomicFileDisabledNoIndicatorIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("atomicFileHealthIndicator"));
	}

	@Test
	void withoutActuatorNoIndicatorIsRegistered() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.health",
					"org.springframework.boot.health"))
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("atomicFileHealthIndicator"));
	}

	@Test
	void aUserBeanOfTheSameNameReplacesTheIndicator() {
		this.contextRunner.withBean("atomicFileHealthIndicator", String.class, () -> "mine")
			.run((context) -> assertThat(context.getBean("atomicFileHealthIndicator")).isEqualTo("mine"));
	}

	@Test
	void aWritableRootIsUpWithFreeSpaceAndTheStartupCheckFindings() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory).run((context) -> {
			AtomicFileHealthIndicator.RootHealth health = health(context, DataSize.ofMegabytes(10));
			assertThat(health.status()).isEqualTo("UP");
			assertThat(health.details()).containsEntry("path", this.directory.toString())
				.containsEntry("exists", true)
				.containsEntry("writable", true)
				.containsEntry("threshold", 10L * 1024 * 1024)
				.containsEntry("atomicRename", true)
				.containsEntry("locks", true)
				.containsEntry("directorySync", true)
				.doesNotContainKey("startupCheckProblems");
			assertThat((Long) health.details().get("free")).isPositive();
		});
	}

	@Test
	void aRootWithLessFreeSpaceThanTheThresholdIsDown() {
		this.contextRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory,
					"atomicfile.health.free-space-threshold=1000TB")
			.run((context) -> {
				AtomicFileHealthIndicator.RootHealth health = health(context,
						context.getBean(AtomicFileProperties.class).getHealth().getFreeSpaceThreshold());
				assertThat(health.status()).isEqualTo("DOWN");
				assertThat(health.details()).containsEntry("writable", true)
					.containsEntry("threshold", DataSize.parse("1000TB").toBytes());
			});
	}

	@Test
	void aMissingRootIsDownAndSaysTheStartupCheckDidNotRun() {
		Path missing = this.directory.resolve("missing");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + missing).run((context) -> {
			AtomicFileHealthIndicator.RootHealth health = health(context, DataSize.ofMegabytes(10));
			assertThat(health.status()).isEqualTo("DOWN");
			assertThat(health.details()).containsEntry("exists", false)
				.containsEntry("writable", false)
				.containsEntry("startupCheck", "not run");
		});
	}

	@Test
	void aReadOnlyRootIsDown() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root for a bind mount");
		Path source = Files.createDirectory(this.directory.resolve("source"));
		Path readOnly = Files.createDirectory(this.directory.resolve("read-only"));
		Commands.bindReadOnly(source, readOnly);
		try {
			this.contextRunner
				.withPropertyValues("atomicfile.reaper.paths=" + readOnly, "atomicfile.startup-check.fail-on=")
				.run((context) -> {
					AtomicFileHealthIndicator.RootHealth health = health(context, DataSize.ofMegabytes(10));
					assertThat(health.status()).isEqualTo("DOWN");
					assertThat(health.details()).containsEntry("exists", true).containsEntry("writable", false);
					assertThat((List<?>) health.details().get("startupCheckProblems"))
						.anySatisfy((problem) -> assertThat(problem.toString()).contains("Read-only file system"));
				});
		}
		finally {
			Commands.umount(readOnly);
		}
	}

	@Test
	void theLastReapsFailuresAreReportedWithoutTakingTheRootDown() {
		AtomicFileRoots roots = new AtomicFileRoots(List.of(this.directory));
		ReapHistory history = new ReapHistory();
		history.reaped(this.directory, new ReapReport(this.directory, true, 5, 1, 0, 0, 2, 10, Duration.ZERO));
		AtomicFileHealthIndicator.RootHealth health = new AtomicFileHealthIndicator(roots, DataSize.ofMegabytes(10),
				null, history)
			.health(roots.getRoots().get(0));
		assertThat(health.status()).isEqualTo("UP");
		assertThat(health.details()).containsEntry("lastReapFailures", 2L).containsKey("lastReap");
	}

	/** The first root's health, from the context's beans. */
	private static AtomicFileHealthIndicator.RootHealth health(ApplicationContext context, DataSize threshold) {
		AtomicFileRoots roots = context.getBean(AtomicFileRoots.class);
		return new AtomicFileHealthIndicator(roots, threshold, context.getBean(VolumeStartupCheck.class),
				context.getBean(ReapHistory.class))
			.health(roots.getRoots().get(0));
	}

	/** The composite contributor type of the line on the class path. */
	private static Class<?> healthApi() throws ClassNotFoundException {
		try {
			return Class.forName(Boot4HealthContributor.API);
		}
		catch (ClassNotFoundException ex) {
			return Class.forName(Boot3HealthContributor.API);
		}
	}

}
