package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator and the endpoint in a real application on a real server, through Boot's own
 * health and endpoint machinery of whichever line runs: one health component per root, and the
 * endpoint's read and write operations over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,atomicfile",
				"management.endpoint.health.show-details=always", "spring.main.banner-mode=off" })
class ActuatorHealthAndEndpointIntegrationTests {

	private static final Path root = createRoots();

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void reaperPaths(DynamicPropertyRegistry registry) {
		registry.add("atomicfile.reaper.paths", () -> root.resolve("documents") + "," + root.resolve("cache"));
	}

	@Test
	void healthHasOneComponentPerRoot() throws Exception {
		String health = get("/actuator/health", 200);
		assertThat((String) JsonPath.read(health, "$.components.atomicFile.status")).isEqualTo("UP");
		for (String alias : new String[] { "documents", "cache" }) {
			String component = "$.components.atomicFile.components." + alias;
			assertThat((String) JsonPath.read(health, component + ".status")).isEqualTo("UP");
			assertThat((String) JsonPath.read(health, component + ".details.path"))
				.isEqualTo(root.resolve(alias).toString());
			assertThat((Boolean) JsonPath.read(health, component + ".details.writable")).isTrue();
			assertThat((Boolean) JsonPath.read(health, component + ".details.locks")).isTrue();
			assertThat((Boolean) JsonPath.read(health, component + ".details.directorySync")).isTrue();
			assertThat(((Number) JsonPath.read(health, component + ".details.lastReapFailures")).longValue()).isZero();
		}
	}

	@Test
	void endpointShowsTheStartupReapAndReapsAgainOnPost() throws Exception {
		String read = get("/actuator/atomicfile", 200);
		assertThat((String) JsonPath.read(read, "$.durability")).isEqualTo("FULL");
		assertThat((Integer) JsonPath.read(read, "$.roots.documents.lastReap.reaped")).isEqualTo(1);
		assertThat((Boolean) JsonPath.read(read, "$.roots.documents.startupCheck.atomicRename")).isTrue();
		assertThat((Integer) JsonPath.read(read, "$.lastStartupRecovery.failed")).isZero();

		Path orphan = Orphans.create(root.resolve("cache"), "thumbnail.png");
		HttpResponse<String> reaped = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/actuator/atomicfile")).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(reaped.statusCode()).as(reaped.body()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(reaped.body(), "$.reaped")).isTrue();
		assertThat((Integer) JsonPath.read(reaped.body(), "$.roots.cache.reaped")).isEqualTo(1);
		assertThat(orphan).doesNotExist();
		assertThat((Integer) JsonPath.read(get("/actuator/atomicfile", 200), "$.roots.cache.lastReap.reaped"))
			.isEqualTo(1);
	}

	private String get(String path, int status) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return response.body();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	/** Two roots, with an orphan for the startup reap in one. */
	private static Path createRoots() {
		try {
			Path directory = Files.createTempDirectory("atomicfile-health");
			Orphans.create(Files.createDirectory(directory.resolve("documents")), "report.pdf");
			Files.createDirectory(directory.resolve("cache"));
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
