package dev.atomicfile.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.atomicfile.VolumeReport;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.ReaperNoLocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The startup self-check on real volumes: a tmpfs, a read-only bind mount, a process whose fcntl
 * locks fail (a seccomp filter), and one whose directory fsync fails with EINVAL (strace). The
 * mounts need root and skip without it; the child JVMs run anywhere python3 and strace do.
 */
class VolumeStartupCheckTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(AtomicFileAutoConfiguration.class, VolumeStartupCheckAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void anOrdinaryRootPassesAndItsReportStaysForHealthAndTheEndpoint() {
		Path documents = this.directory.resolve("documents");
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + createDirectory(documents))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(VolumeStartupCheck.class);
				VolumeReport report = context.getBean(VolumeStartupCheck.class).report("documents").orElseThrow();
				assertThat(report.healthy()).as("%s", report.problems()).isTrue();
				assertThat(report.directory()).isEqualTo(documents);
				assertThat(documents).isEmptyDirectory();
			});
	}

	@Test
	void failOnValuesCanBeBoundInANativeImage() {
		org.springframework.aot.hint.RuntimeHints hints = new org.springframework.aot.hint.RuntimeHints();
		new VolumeStartupCheckAutoConfiguration.CheckHints().registerHints(hints, getClass().getClassLoader());
		assertThat(org.springframework.aot.hint.predicate.RuntimeHintsPredicates.reflection()
			.onType(AtomicFileProperties.StartupCheck.Check.class)).accepts(hints);
	}

	@Test
	void whenStartupCheckDisabledNoCheckIsRegistered() {
		this.contextRunner
			.withPropertyValues("atomicfile.reaper.paths=" + this.directory, "atomicfile.startup-check.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(VolumeStartupCheck.class));
	}

	@Test
	void aMissingRootIsNotCheckedAndDoesNotStopStartup() {
		this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + this.directory.resolve("not-yet"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(VolumeStartupCheck.class).report("not-yet")).isEmpty();
			});
	}

	@Test
	void aTmpfsRootPasses() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root to mount a tmpfs");
		Path mount = createDirectory(this.directory.resolve("tmpfs"));
		Commands.mountTmpfs(mount, "1m");
		try {
			this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + mount).run((context) -> {
				assertThat(context).hasNotFailed();
				VolumeReport report = context.getBean(VolumeStartupCheck.class).report("tmpfs").orElseThrow();
				assertThat(report.healthy()).as("%s", report.problems()).isTrue();
			});
		}
		finally {
			Commands.umount(mount);
		}
	}

	@Test
	void aReadOnlyRootStopsStartupWithAnAnalysisThatNamesItAndSaysWhatToDo() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root for a bind mount");
		Path readOnly = readOnlyMount();
		try {
			this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + readOnly).run((context) -> {
				assertThat(context).hasFailed();
				VolumeCheckFailedException failure = findCause(context.getStartupFailure(),
						VolumeCheckFailedException.class);
				assertThat(failure.getFailures()).singleElement().satisfies((root) -> {
					assertThat(root.alias()).isEqualTo("read-only");
					assertThat(root.checks()).containsExactly(AtomicFileProperties.StartupCheck.Check.WRITABLE);
				});
				FailureAnalysis analysis = new VolumeCheckFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Root: 'read-only' (" + readOnly + ")")
					.contains("Failed: writable")
					.contains("Read-only file system");
				assertThat(analysis.getAction()).contains("atomicfile.startup-check.fail-on")
					.contains("atomicfile.reaper.paths");
			});
		}
		finally {
			Commands.umount(readOnly);
		}
	}

	@Test
	void aReadOnlyRootOnlyWarnsWhenFailOnIsEmpty() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root for a bind mount");
		Path readOnly = readOnlyMount();
		try {
			this.contextRunner.withPropertyValues("atomicfile.reaper.paths=" + readOnly, "atomicfile.startup-check.fail-on=")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(VolumeStartupCheck.class).report("read-only").orElseThrow().writable())
						.isFalse();
				});
		}
		finally {
			Commands.umount(readOnly);
		}
	}

	@Test
	void withoutLocksStartupOnlyWarnsByDefault() throws Exception {
		String output = runChild(ReaperNoLocks.wrapper(this.directory), 0);
		assertThat(output).contains("atomicfile root 'data'")
			.contains("failed the startup check of [LOCKS]")
			.contains("report: writable=true atomicRename=true locks=false directorySync=true");
	}

	@Test
	void withoutLocksStartupFailsWhenLocksAreInFailOn() throws Exception {
		String output = runChild(ReaperNoLocks.wrapper(this.directory), 1,
				"--atomicfile.startup-check.fail-on=writable,atomic-rename,locks");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Root: 'data'")
			.contains("Failed: locks")
			.contains("fcntl locks are refused")
			.doesNotContain("report:");
	}

	@Test
	void aDirectoryThatRefusesFsyncOnlyWarnsByDefaultUnderFullDurability() throws Exception {
		// What some network and FUSE file systems answer to a directory fsync, injected by strace: the
		// check's first fsync is the probe file's, its second the directory's.
		String output = runChild(List.of("strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e",
				"inject=fsync:error=EINVAL:when=2"), 0);
		assertThat(output).contains("failed the startup check of [DIRECTORY_SYNC]")
			.contains("Durability.FULL cannot hold")
			.contains("report: writable=true atomicRename=true locks=true directorySync=false");
	}

	/** Runs {@link CheckingApplication} over {@code directory/data} in a child JVM, which must exit with {@code exit}. */
	private String runChild(List<String> wrapper, int exit, String... args) throws Exception {
		Path data = createDirectory(this.directory.resolve("data"));
		List<String> arguments = new ArrayList<>(List.of("--atomicfile.reaper.paths=" + data));
		arguments.addAll(List.of(args));
		Process child = new ProcessBuilder(
				ChildJvm.command(wrapper, CheckingApplication.class, arguments.toArray(String[]::new)))
			.redirectErrorStream(true)
			.start();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor()).as(output).isEqualTo(exit);
		return output;
	}

	private Path readOnlyMount() throws Exception {
		Path source = createDirectory(this.directory.resolve("source"));
		Path readOnly = createDirectory(this.directory.resolve("read-only"));
		Commands.bindReadOnly(source, readOnly);
		return readOnly;
	}

	private static Path createDirectory(Path directory) {
		try {
			return Files.createDirectories(directory);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable each = failure; each != null; each = each.getCause()) {
			if (type.isInstance(each)) {
				return type.cast(each);
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
	}

	/** A Spring application with the writer and the startup check; prints what the check found at 'data'. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AtomicFileAutoConfiguration.class, VolumeStartupCheckAutoConfiguration.class })
	public static class CheckingApplication {

		public static void main(String[] args) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CheckingApplication.class)
				.web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off")
				.run(args)) {
				VolumeReport report = context.getBean(VolumeStartupCheck.class).report("data").orElseThrow();
				System.out.println("report: writable=" + report.writable() + " atomicRename=" + report.atomicRename()
						+ " locks=" + report.locks() + " directorySync=" + report.directorySync());
			}
			catch (RuntimeException ex) {
				System.exit(1);
			}
		}

	}

}
