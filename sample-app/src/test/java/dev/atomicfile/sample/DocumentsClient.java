package dev.atomicfile.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;

import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Talks to the sample on its real port with the JDK's HTTP client, which is the same on every
 * Boot line (TestRestTemplate and LocalServerPort moved in Boot 4). HTTP/1.1 is forced so the
 * client never tries an h2c upgrade.
 */
final class DocumentsClient {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String base;

	DocumentsClient(int port) {
		this.base = "http://localhost:" + port;
	}

	HttpResponse<String> put(String name, byte[] body) throws IOException, InterruptedException {
		return put(name, BodyPublishers.ofByteArray(body));
	}

	HttpResponse<String> put(String name, BodyPublisher body) throws IOException, InterruptedException {
		return send(request("/documents/" + name).PUT(body), BodyHandlers.ofString());
	}

	HttpResponse<byte[]> get(String name) throws IOException, InterruptedException {
		return send(request("/documents/" + name).GET(), BodyHandlers.ofByteArray());
	}

	HttpResponse<InputStream> getStream(String name) throws IOException, InterruptedException {
		return send(request("/documents/" + name).GET(), BodyHandlers.ofInputStream());
	}

	HttpResponse<String> list() throws IOException, InterruptedException {
		return send(request("/documents").GET(), BodyHandlers.ofString());
	}

	/** The names the listing shows, asserting that it answered 200. */
	List<String> listedNames() throws IOException, InterruptedException {
		HttpResponse<String> list = list();
		assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
		return JsonPath.read(list.body(), "$[*].name");
	}

	HttpResponse<String> delete(String name) throws IOException, InterruptedException {
		return send(request("/documents/" + name).DELETE(), BodyHandlers.ofString());
	}

	/** Sends {@code rawPath} exactly as given: percent-escapes and dot segments untouched. */
	HttpResponse<String> send(String method, String rawPath, BodyPublisher body)
			throws IOException, InterruptedException {
		return send(request(rawPath).method(method, body), BodyHandlers.ofString());
	}

	<T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> handler)
			throws IOException, InterruptedException {
		return this.http.send(request.build(), handler);
	}

	HttpRequest.Builder request(String rawPath) {
		return HttpRequest.newBuilder(URI.create(this.base + rawPath));
	}

	/** The COUNT of a counter in {@code /actuator/metrics}, optionally narrowed by {@code tag=key:value}. */
	double count(String meter, String... tags) throws IOException, InterruptedException {
		StringBuilder path = new StringBuilder("/actuator/metrics/").append(meter);
		for (int i = 0; i < tags.length; i++) {
			path.append((i == 0) ? "?" : "&").append("tag=").append(tags[i]);
		}
		HttpResponse<String> response = send(request(path.toString()).GET(), BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Number> values = JsonPath.read(response.body(), "$.measurements[?(@.statistic == 'COUNT')].value");
		assertThat(values).as(response.body()).hasSize(1);
		return values.get(0).doubleValue();
	}

}
