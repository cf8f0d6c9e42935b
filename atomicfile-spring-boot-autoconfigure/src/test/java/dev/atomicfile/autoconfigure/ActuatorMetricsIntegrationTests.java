package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.atomicfile.AtomicFileWriter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole chain in a real application on a real server: the starter's writer bean, the startup
 * recovery and reap, Boot's own binding of our meters, and the actuator endpoint users look at.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=metrics", "spring.main.banner-mode=off" })
class ActuatorMetricsIntegrationTests {

	private static final Path dataDirectory = createDataDirectoryWithAnOrphan();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private AtomicFileWriter writer;

	@DynamicPropertySource
	static void reaperPaths(DynamicPropertyRegistry registry) {
		registry.add("atomicfile.reaper.paths", dataDirectory::toString);
	}

	@Test
	void writesAndStartupReapsShowInTheMetricsEndpoint() throws Exception {
		double before = count("atomicfile.writes");
		this.writer.writeString(dataDirectory.resolve("snapshot.json"), "{\"version\":1}");
		assertThat(count("atomicfile.writes")).isEqualTo(before + 1);
		assertThat(count("atomicfile.reaped")).isEqualTo(1);
		try (var files = Files.list(dataDirectory)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder("snapshot.json",
					"index", "meta");
		}
	}

	/** Boot binds the meters before the startup recovery runs, so the commit it completed counts. */
	@Test
	void startupRecoveryAndCommitsShowInTheMetricsEndpoint() throws Exception {
		assertThat(count("atomicfile.recovered", "outcome:completed")).isEqualTo(1);
		assertThat(count("atomicfile.recovered", "outcome:rolled_back")).isZero();
		assertThat(dataDirectory.resolve("meta/second.txt")).hasContent(HalfDoneCommits.SECOND_CONTENT);
		double before = count("atomicfile.commits");
		this.writer.commit((batch) -> {
			batch.writeString(dataDirectory.resolve("index/first.txt"), "first, newer");
			batch.writeString(dataDirectory.resolve("meta/second.txt"), "second, newer");
		});
		assertThat(count("atomicfile.commits")).isEqualTo(before + 1);
		assertThat(count("atomicfile.commit.failures", "committed:true")).isZero();
	}

	private double count(String meter, String... tags) throws IOException, InterruptedException {
		String query = (tags.length > 0) ? "?tag=" + String.join("&tag=", tags) : "";
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/metrics/" + meter + query))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Number> values = JsonPath.read(response.body(), "$.measurements[?(@.statistic == 'COUNT')].value");
		assertThat(values).as(response.body()).hasSize(1);
		return values.get(0).doubleValue();
	}

	/** An orphan to reap, and a commit a dead process left half done in two subdirectories to recover. */
	private static Path createDataDirectoryWithAnOrphan() {
		try {
			Path directory = Files.createTempDirectory("atomicfile-actuator");
			Orphans.create(directory, "snapshot.json");
			HalfDoneCommits.completable(Files.createDirectory(directory.resolve("index")),
					Files.createDirectory(directory.resolve("meta")));
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
