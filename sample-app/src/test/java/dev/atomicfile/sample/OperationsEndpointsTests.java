package dev.atomicfile.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator of the sample sees: the meters in Prometheus' format, the health of the data
 * directory, and the {@code atomicfile} endpoint, all over real HTTP.
 */
// Boot 3's @SpringBootTest switches metrics export off (Boot 4's does not): on, as in the running sample.
@TestPropertySource(properties = "management.prometheus.metrics.export.enabled=true")
class OperationsEndpointsTests extends RunningSampleTests {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void prometheusShowsTheMetersByNameAndAPutCountsACommit() throws Exception {
		String before = scrape();
		for (String series : List.of("atomicfile_writes_total", "atomicfile_reaped_total", "atomicfile_commits_total",
				"atomicfile_write_failures_total{exception=\\\"FileSystemException\\\",origin=\\\"file_system\\\",reason=\\\"no_space\\\"",
				"atomicfile_commit_failures_total{committed=\\\"true\\\"",
				"atomicfile_recovered_total{outcome=\\\"completed\\\"",
				"atomicfile_recovered_total{outcome=\\\"rolled_back\\\"", "atomicfile_write_bytes_count")) {
			assertThat(before).containsPattern("(?m)^" + series.replace("{", "\\{"));
		}
		double commits = value(before, "atomicfile_commits_total");
		assertThat(this.client.put("scraped.txt", "counted".getBytes(StandardCharsets.UTF_8)).statusCode())
			.isEqualTo(201);
		String after = scrape();
		assertThat(value(after, "atomicfile_commits_total")).isEqualTo(commits + 1);
		// The observation of the commit the PUT made: a timer tagged with the data root's alias.
		assertThat(after).containsPattern("(?m)^atomicfile_commit_seconds_count\\{[^}]*root=\"data\"");
	}

	@Test
	void healthShowsTheDataDirectoryAsOneComponent() throws Exception {
		String health = get("/actuator/health");
		assertThat((String) JsonPath.read(health, "$.status")).isEqualTo("UP");
		Map<String, Object> data = JsonPath.read(health, "$.components.atomicFile.components.data");
		assertThat(data).containsEntry("status", "UP");
		assertThat(JsonPath.<Map<String, Object>>read(health, "$.components.atomicFile.components.data.details"))
			.containsEntry("path", dataDir().toString())
			.containsEntry("exists", true)
			.containsEntry("writable", true)
			.containsEntry("atomicRename", true)
			.containsEntry("locks", true)
			.containsEntry("directorySync", true)
			.containsEntry("lastReapFailures", 0);
	}

	@Test
	void endpointShowsTheRootAndTheStartupPassesAndReapsOnPost() throws Exception {
		String read = get("/actuator/atomicfile");
		assertThat((String) JsonPath.read(read, "$.durability")).isEqualTo("FULL");
		assertThat((String) JsonPath.read(read, "$.roots.data.path")).isEqualTo(dataDir().toString());
		assertThat((Boolean) JsonPath.read(read, "$.roots.data.startupCheck.writable")).isTrue();
		assertThat((Integer) JsonPath.read(read, "$.roots.data.lastReap.failed")).isZero();
		assertThat((Integer) JsonPath.read(read, "$.lastStartupRecovery.failed")).isZero();
		assertThat((Integer) JsonPath.read(read, "$.writesInFlight")).isZero();

		HttpResponse<String> reaped = this.http.send(
				HttpRequest.newBuilder(uri("/actuator/atomicfile")).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(reaped.statusCode()).as(reaped.body()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(reaped.body(), "$.reaped")).isTrue();
		assertThat((Integer) JsonPath.read(reaped.body(), "$.roots.data.failed")).isZero();
	}

	private String scrape() throws Exception {
		return get("/actuator/prometheus");
	}

	/** The value of a series without tags. */
	private static double value(String scrape, String series) {
		return scrape.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1).trim()))
			.findFirst()
			.orElseThrow(() -> new AssertionError(series + " not in " + scrape));
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
