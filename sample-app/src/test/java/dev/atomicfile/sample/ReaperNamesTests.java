package dev.atomicfile.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With extra patterns configured (as {@code application.yml} suggests for legacy temp files), a
 * document the reaper would delete is refused up front with a 400 problem detail, and such files
 * never show in the listing: the store asks the configured reaper, it keeps no copy of its rules.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.banner-mode=off", "atomicfile.reaper.extra-patterns[0]=*.tmp",
				"atomicfile.reaper.extra-patterns[1]=*.{bak,old}" })
@DirtiesContext
class ReaperNamesTests {

	@TempDir
	static Path dataDir;

	@Value("${local.server.port}")
	private int port;

	private DocumentsClient client;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("sample.data-dir", () -> dataDir.toString());
	}

	@BeforeEach
	void connect() {
		this.client = new DocumentsClient(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "report.tmp", "report.bak", "report.old", "report.txt.tmp.af-12-0badf00d-1-1",
			"report.txt.tmp.afu-12-0badf00d-1-1" })
	void nameTheReaperWouldDeleteIsRefusedAndHiddenFromTheListing(String name) throws Exception {
		HttpResponse<String> put = this.client.put(name, "precious".getBytes(StandardCharsets.UTF_8));
		assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
		assertThat(put.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((String) JsonPath.read(put.body(), "$.detail")).contains("reaper would delete");
		assertThat(dataDir.resolve(name)).doesNotExist();
		Files.writeString(dataDir.resolve(name), "planted");
		assertThat(this.client.listedNames()).doesNotContain(name);
		assertThat(this.client.get(name).statusCode()).isEqualTo(400);
		Files.delete(dataDir.resolve(name));
	}

	@ParameterizedTest
	@ValueSource(strings = { "report.txt", "report.tmpl", "backup.bakery", "tmp.report" })
	void nameNoPatternMatchesIsStored(String name) throws Exception {
		HttpResponse<String> put = this.client.put(name, "precious".getBytes(StandardCharsets.UTF_8));
		assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
		assertThat(this.client.listedNames()).contains(name);
	}

}
