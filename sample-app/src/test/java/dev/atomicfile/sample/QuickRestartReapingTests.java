package dev.atomicfile.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A supervisor restarts the app at once after a SIGKILL (systemd's {@code RestartSec=100ms}, a
 * Kubernetes restart): the startup pass finds the killed writer's temp file younger than
 * {@code min-age} and must keep it, and no {@code interval} is configured. The follow-up pass
 * still reaps it once it is old enough, and still spares a live writer's temp file.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickRestartReapingTests {

	private static final byte[] OLD_REPORT = "the complete old report\n".getBytes(StandardCharsets.UTF_8);

	/** Long enough that the restart surely comes sooner, short enough for a test. */
	private static final Duration MIN_AGE = Duration.ofSeconds(8);

	@TempDir
	Path dataDir;

	@Test
	void orphanOfAWriterKilledJustBeforeTheRestartIsReapedWithoutAnyInterval(CapturedOutput output) throws Exception {
		PlantedDocuments.plant(this.dataDir, "report.txt", OLD_REPORT);
		Process killed = AbandonedWriter.start(this.dataDir, "report.txt");
		Path orphan = AbandonedWriter.tempFileOf(this.dataDir, "report.txt");
		killed.destroyForcibly();
		assertThat(killed.waitFor()).as("exit status of the SIGKILLed writer").isEqualTo(137);
		Process live = AbandonedWriter.start(this.dataDir, "notes.txt");
		Path liveTemp = AbandonedWriter.tempFileOf(this.dataDir, "notes.txt");
		try {
			// Killed this instant, as far as min-age can tell.
			Files.setLastModifiedTime(orphan, FileTime.from(Instant.now()));
			SpringApplication application = new SpringApplication(SampleApplication.class);
			// In AOT mode (-Dspring.aot.enabled=true) the generated initializer is looked up by the main
			// class; deduced from the stack, that would be surefire's.
			application.setMainApplicationClass(SampleApplication.class);
			try (ConfigurableApplicationContext app = application.run(
					"--server.port=0", "--spring.main.banner-mode=off", "--sample.data-dir=" + this.dataDir,
					"--atomicfile.reaper.min-age=" + MIN_AGE.toSeconds() + "s")) {
				assertThat(app.getEnvironment().getProperty("atomicfile.reaper.interval")).isNull();
				assertThat(orphan).as("too young for the startup pass").exists();
				assertThat(output).contains("Startup reap of 1 path(s): reaped 0 orphaned temp file(s)")
					.contains("reaping again in");
				await().atMost(MIN_AGE.multipliedBy(3)).until(() -> Files.notExists(orphan));
				assertThat(output).contains("Follow-up reap of 1 path(s): reaped 1 orphaned temp file(s)");
				assertThat(liveTemp).as("a live writer's temp file").exists();
				assertThat(live.isAlive()).isTrue();
				assertThat(this.dataDir.resolve("report.txt")).hasBinaryContent(OLD_REPORT);
			}
		}
		finally {
			live.destroyForcibly();
			live.waitFor();
		}
		try (Stream<Path> files = Files.list(this.dataDir)) {
			assertThat(files.map((file) -> file.getFileName().toString()).toList()).contains("report.txt")
				.noneMatch((name) -> name.startsWith("report.txt.tmp"));
		}
	}

}
