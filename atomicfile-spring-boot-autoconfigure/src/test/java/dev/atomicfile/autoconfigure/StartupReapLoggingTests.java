package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real application logs for its startup reap, with the library's loggers at INFO: one line
 * in all, whatever the pass did and however many paths it reaped; and one line before it for the
 * startup recovery when that settled a commit, none when there was nothing to settle.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupReapLoggingTests {

	@TempDir
	Path directory;

	/** The level this test sets outlives the context: put it back for the tests that follow. */
	@AfterEach
	void resetLevel() {
		LoggingSystem.get(getClass().getClassLoader()).setLogLevel("dev.atomicfile", null);
	}

	@Test
	void startupReapWithNothingToDoLogsOneInfoLine(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--atomicfile.reaper.paths=" + this.directory)) {
			assertThat(infoLines(output)).singleElement()
				.asString()
				.contains("OrphanReaperApplicationRunner - Startup reap of 1 path(s): reaped 0 orphaned temp file(s), "
						+ "0 bytes; kept 0 live and 0 young; 0 failed");
		}
	}

	@Test
	void startupReapOfSeveralPathsThatReapsLogsOneInfoLineInAll(CapturedOutput output) throws IOException {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		Orphans.create(first, "a.json");
		Orphans.create(second, "b.json");
		try (ConfigurableApplicationContext context = run("--atomicfile.reaper.paths=" + first + "," + second)) {
			assertThat(infoLines(output)).singleElement()
				.asString()
				.contains("Startup reap of 2 path(s): reaped 2 orphaned temp file(s)");
		}
	}

	@Test
	void startupReapThatKeepsYoungFilesSaysInTheSameLineWhenItReapsAgain(CapturedOutput output) throws IOException {
		Orphans.createYoung(this.directory, "state.json");
		try (ConfigurableApplicationContext context = run("--atomicfile.reaper.paths=" + this.directory,
				"--atomicfile.reaper.min-age=1h", "--atomicfile.reaper.max-age=2h")) {
			assertThat(infoLines(output)).singleElement()
				.asString()
				.contains("Startup reap of 1 path(s): reaped 0 orphaned temp file(s), 0 bytes; kept 0 live and 1 young; "
						+ "0 failed; reaping again in 3601 s, once the young ones are old enough");
		}
	}

	/**
	 * The core's recovery logs a line of its own for each commit it settles and for each path
	 * where it settled one (it has no quiet variant, as the reaper has): they and the startup
	 * recovery's summary all come before the startup reap's line.
	 */
	@Test
	void startupRecoveryOfEveryPathLogsItsSummaryBeforeTheStartupReap(CapturedOutput output) throws Exception {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		HalfDoneCommits.completable(first, second);
		try (ConfigurableApplicationContext context = run("--atomicfile.reaper.paths=" + first + "," + second)) {
			List<String> lines = infoLines(output);
			assertThat(lines).filteredOn((line) -> line.contains("StartupCommitRecovery"))
				.singleElement()
				.asString()
				.contains("Startup recovery of 2 path(s): found 1 commit record(s); completed 1 commit(s), rolled back 0; "
						+ "kept 0 live; 0 failed");
			assertThat(lines).last().asString().contains("Startup reap of 2 path(s)");
			assertThat(lines.subList(0, lines.size() - 1))
				.allSatisfy((line) -> assertThat(line).containsAnyOf("StartupCommitRecovery", "CommitRecovery"));
		}
	}

	private static List<String> infoLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.matches("^\\S+ INFO .*")).toList();
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setLogStartupInfo(false);
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--logging.level.dev.atomicfile=info");
		all.add("--spring.main.banner-mode=off");
		return application.run(all.toArray(String[]::new));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
