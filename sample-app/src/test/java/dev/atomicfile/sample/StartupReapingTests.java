package dev.atomicfile.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data directory is prepared before the application starts, as a crash leaves it: a real
 * writer in a child JVM killed with SIGKILL mid-write (its orphan has the real name format and
 * no lock), plus a live writer in another child JVM that is still mid-write. Both temp files are
 * made a minute old, past the default {@code min-age} of 10 seconds, so age alone would reap
 * both: only the lock tells them apart. The application starts with the defaults of
 * {@code application.yml}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.banner-mode=off")
@DirtiesContext
class StartupReapingTests {

	private static final byte[] OLD_REPORT = "the complete old report\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	static Path dataDir;

	private static Process liveWriter;

	private static Path deadOrphan;

	private static Path liveTemp;

	@Value("${local.server.port}")
	private int port;

	private DocumentsClient client;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("sample.data-dir", () -> dataDir.toString());
	}

	/** Runs before SpringExtension loads the context, so the orphans exist before startup. */
	@BeforeAll
	static void leaveOrphansOfACrashAndALiveWriter() throws Exception {
		PlantedDocuments.plant(dataDir, "report.txt", OLD_REPORT);
		Process killed = startWriter("report.txt");
		deadOrphan = tempFileOf("report.txt");
		killed.destroyForcibly();
		assertThat(killed.waitFor()).as("exit status of the SIGKILLed writer").isEqualTo(137);
		liveWriter = startWriter("notes.txt");
		liveTemp = tempFileOf("notes.txt");
		FileTime aMinuteAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
		Files.setLastModifiedTime(deadOrphan, aMinuteAgo);
		Files.setLastModifiedTime(liveTemp, aMinuteAgo);
	}

	@AfterAll
	static void stopLiveWriter() throws InterruptedException {
		if (liveWriter != null) {
			liveWriter.destroyForcibly();
			liveWriter.waitFor();
		}
	}

	@BeforeEach
	void connect() {
		this.client = new DocumentsClient(this.port);
	}

	@Test
	void orphanOfTheKilledWriterIsReapedAndTheOldDocumentIsIntact() throws Exception {
		assertThat(deadOrphan).doesNotExist();
		assertThat(Files.readAllBytes(dataDir.resolve("report.txt"))).isEqualTo(OLD_REPORT);
		assertThat(this.client.get("report.txt").body()).isEqualTo(OLD_REPORT);
	}

	@Test
	void tempFileOfTheLiveWriterIsKept() {
		assertThat(liveWriter.isAlive()).isTrue();
		assertThat(liveTemp).exists();
	}

	@Test
	void reapedMetricShowsTheOrphan() throws Exception {
		assertThat(this.client.count("atomicfile.reaped")).isEqualTo(1);
	}

	@Test
	void listingShowsNeitherTempFile() throws Exception {
		HttpResponse<String> response = this.client.list();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("[{\"name\":\"report.txt\",\"size\":" + OLD_REPORT.length + "}]");
	}

	private static Process startWriter(String target) throws IOException {
		return AbandonedWriter.start(dataDir, target);
	}

	private static Path tempFileOf(String target) throws IOException {
		return AbandonedWriter.tempFileOf(dataDir, target);
	}

}
