package dev.atomicfile.sample;

import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.jayway.jsonpath.JsonPath;
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
 * A document larger than the whole heap of the JVM that runs the server goes through PUT and GET
 * intact. The server shares this test JVM, whose heap the build caps ({@code sample.test.heap}),
 * so any code path that held the body whole (a {@code readAllBytes}, a {@code byte[]} or
 * {@code String} body converter, a form filter) could not fit it and would fail with
 * {@link OutOfMemoryError}: succeeding proves the body was streamed. Measuring heap use instead
 * would prove little, since the collector runs whenever it likes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.max-document-size=1GB", "spring.main.banner-mode=off" })
@DirtiesContext
class LargeDocumentStreamingTests {

	/** Generous, so the test fails for a heap that is not capped rather than take minutes. */
	private static final long MAX_SENSIBLE_HEAP = 512L * 1024 * 1024;

	@TempDir
	static Path dataDir;

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("sample.data-dir", () -> dataDir.toString());
	}

	@Test
	void documentLargerThanTheHeapStreamsThroughPutAndGet() throws Exception {
		long heap = Runtime.getRuntime().maxMemory();
		assertThat(heap).as("max heap of the test JVM: cap it with -Xmx (sample.test.heap in the pom)")
			.isLessThanOrEqualTo(MAX_SENSIBLE_HEAP);
		GeneratedContent content = new GeneratedContent(20240229L, heap + 32L * 1024 * 1024);
		String sha256 = content.sha256();
		DocumentsClient client = new DocumentsClient(this.port);

		// No Content-Length: the client streams it chunked, generating it as it goes.
		HttpResponse<String> put = client.put("huge.bin", BodyPublishers.ofInputStream(content::stream));

		assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
		assertThat(((Number) JsonPath.read(put.body(), "$.size")).longValue()).isEqualTo(content.size());
		Path stored = dataDir.resolve("huge.bin");
		assertThat(Files.size(stored)).isEqualTo(content.size());
		assertThat(GeneratedContent.sha256(Files.newInputStream(stored))).isEqualTo(sha256);
		HttpResponse<InputStream> get = client.getStream("huge.bin");
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(content.size());
		assertThat(GeneratedContent.sha256(get.body())).isEqualTo(sha256);
	}

}
