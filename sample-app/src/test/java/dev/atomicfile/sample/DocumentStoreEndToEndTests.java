package dev.atomicfile.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The document store on its real embedded server at a random port, with a 1 MiB limit so that
 * oversized bodies stay cheap.
 */
@TestPropertySource(properties = "sample.max-document-size=1MB")
class DocumentStoreEndToEndTests extends RunningSampleTests {

	private static final int LIMIT = 1024 * 1024;

	@Value("${server.address}")
	private String serverAddress;

	@Test
	void putGetListAndDeleteRoundTrip() throws Exception {
		byte[] first = "first version\n".getBytes(StandardCharsets.UTF_8);
		byte[] second = "second, longer version\n".getBytes(StandardCharsets.UTF_8);

		HttpResponse<String> created = this.client.put("round-trip.txt", first);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat((Integer) JsonPath.read(created.body(), "$.size")).isEqualTo(first.length);

		HttpResponse<byte[]> read = this.client.get("round-trip.txt");
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).isEqualTo(first);
		assertThat(read.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		assertThat(listing()).contains("round-trip.txt=" + first.length);

		HttpResponse<String> replaced = this.client.put("round-trip.txt", second);
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		assertThat(this.client.get("round-trip.txt").body()).isEqualTo(second);
		assertThat(Files.readAllBytes(dataDir().resolve("round-trip.txt"))).isEqualTo(second);
		assertThat(listing()).contains("round-trip.txt=" + second.length);

		assertThat(this.client.delete("round-trip.txt").statusCode()).isEqualTo(204);
		assertThat(dataDir().resolve("round-trip.txt")).doesNotExist();
		assertThat(listing()).doesNotContain("round-trip.txt=" + second.length);
		HttpResponse<byte[]> gone = this.client.get("round-trip.txt");
		assertProblem(gone.statusCode(), gone.headers(), new String(gone.body(), StandardCharsets.UTF_8), 404);
		assertProblem(this.client.delete("round-trip.txt"), 404);
	}

	@Test
	void documentIsCommittedWithItsMetadataAndServedWithItsHeaders() throws Exception {
		byte[] body = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
		String sha256 = PlantedDocuments.sha256(body);
		HttpResponse<String> put = this.client.send(this.client.request("/documents/greeting.json")
			.header("Content-Type", "application/json; charset=UTF-8")
			.PUT(BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
		assertThat(PlantedDocuments.metadataOf(dataDir(), "greeting.json"))
			.hasContent("{\"size\":" + body.length + ",\"sha256\":\"" + sha256
					+ "\",\"contentType\":\"application/json;charset=UTF-8\"}");
		HttpResponse<byte[]> get = this.client.get("greeting.json");
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.body()).isEqualTo(body);
		assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		assertThat(get.headers().firstValue("Content-Length")).hasValue(String.valueOf(body.length));
		assertThat(get.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");
		assertThat(get.headers().firstValue("Repr-Digest")).hasValue("sha-256=:"
				+ Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":");
		assertThat(get.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
		assertThat(this.client.listedNames()).contains("greeting.json")
			.noneMatch((name) -> name.startsWith(".") || name.endsWith(".meta.json"));
	}

	@Test
	void replacingADocumentReplacesItsMetadataAndDeletingItDeletesBoth() throws Exception {
		assertThat(this.client.put("pair.txt", "one".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
		byte[] two = "two, longer".getBytes(StandardCharsets.UTF_8);
		assertThat(this.client.put("pair.txt", two).statusCode()).isEqualTo(200);
		assertThat(this.client.get("pair.txt").headers().firstValue("ETag"))
			.hasValue("\"" + PlantedDocuments.sha256(two) + "\"");
		assertThat(PlantedDocuments.metadataOf(dataDir(), "pair.txt")).content().contains("\"size\":" + two.length);
		assertThat(this.client.delete("pair.txt").statusCode()).isEqualTo(204);
		assertThat(dataDir().resolve("pair.txt")).doesNotExist();
		assertThat(PlantedDocuments.metadataOf(dataDir(), "pair.txt")).doesNotExist();
	}

	/** Should never happen; if it does, the mismatch is reported, never served. */
	@ParameterizedTest
	@ValueSource(strings = { "other bytes, same size", "other size", "no metadata", "unreadable metadata" })
	void documentThatDisagreesWithItsMetadataIsA500ProblemAndNotServed(String damage) throws Exception {
		String name = "damaged-" + damage.replace(' ', '-').replace(",", "") + ".txt";
		byte[] stored = "the stored content".getBytes(StandardCharsets.UTF_8);
		assertThat(this.client.put(name, stored).statusCode()).isEqualTo(201);
		Path document = dataDir().resolve(name);
		Path metadata = PlantedDocuments.metadataOf(dataDir(), name);
		switch (damage) {
			case "other bytes, same size" -> Files.writeString(document, "THE STORED CONTENT");
			case "other size" -> Files.writeString(document, "the stored content, and more");
			case "no metadata" -> Files.delete(metadata);
			default -> Files.writeString(metadata, "{\"size\":\"a lot\"}");
		}
		HttpResponse<byte[]> get = this.client.get(name);
		String body = new String(get.body(), StandardCharsets.UTF_8);
		assertProblem(get.statusCode(), get.headers(), body, 500);
		assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("urn:atomicfile-sample:problem:document-inconsistent");
		assertThat(body).doesNotContainIgnoringCase("the stored content").doesNotContain(root.toString());
	}

	@Test
	void contentTypeThatIsNoMediaTypeIsRefusedAndStoresNothing() throws Exception {
		HttpResponse<String> put = this.client.send(this.client.request("/documents/typed.txt")
			.header("Content-Type", "not a type")
			.PUT(BodyPublishers.ofString("x")), HttpResponse.BodyHandlers.ofString());
		assertProblem(put, 400);
		assertThat(dataDir().resolve("typed.txt")).doesNotExist();
		assertThat(PlantedDocuments.metadataOf(dataDir(), "typed.txt")).doesNotExist();
	}

	/**
	 * A document and its metadata are renamed one after the other; readers wait for a commit of
	 * the same document, so every GET gets bytes that match its ETag, whatever version it gets.
	 */
	@Test
	void readersDuringReplacementsAlwaysGetADocumentThatMatchesItsHeaders() throws Exception {
		byte[][] versions = { "short".getBytes(StandardCharsets.UTF_8), new byte[64 * 1024] };
		new SplittableRandom(7).nextBytes(versions[1]);
		assertThat(this.client.put("busy.bin", versions[0]).statusCode()).isEqualTo(201);
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try {
			Future<?> writes = writer.submit(() -> {
				for (int i = 1; i <= 100; i++) {
					assertThat(this.client.put("busy.bin", versions[i % 2]).statusCode()).isEqualTo(200);
				}
				return null;
			});
			while (!writes.isDone()) {
				HttpResponse<byte[]> get = this.client.get("busy.bin");
				assertThat(get.statusCode()).isEqualTo(200);
				assertThat(get.headers().firstValue("ETag")).hasValue("\"" + PlantedDocuments.sha256(get.body()) + "\"");
			}
			writes.get();
		}
		finally {
			writer.shutdownNow();
		}
	}

	@Test
	void missingDocumentIs404ProblemDetail() throws Exception {
		HttpResponse<String> response = this.client.send("GET", "/documents/never-stored.txt",
				BodyPublishers.noBody());
		assertProblem(response, 404);
		assertThat(response.body()).contains("never-stored.txt");
	}

	@Test
	void bodyWithAFormContentTypeIsStoredAsIsNotParsedAsAForm() throws Exception {
		// curl --data-binary sends this content type: the form filter would swallow the body.
		byte[] body = "a=1&b=2".getBytes(StandardCharsets.US_ASCII);
		HttpResponse<String> response = this.client.send(this.client.request("/documents/form.txt")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.PUT(BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
		assertThat(Files.readAllBytes(dataDir().resolve("form.txt"))).isEqualTo(body);
	}

	@Test
	void listingShowsDocumentsWithSizesButNotTheWritersTempFiles() throws Exception {
		this.client.put("listed.bin", new byte[1234]);
		// What a write in flight leaves beside its target.
		Path temp = Files.write(dataDir().resolve("listed.bin.tmp.af-4242-0badf00d-1-7"), new byte[99]);
		try {
			HttpResponse<String> response = this.client.list();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
			assertThat(listing()).contains("listed.bin=1234").noneMatch((entry) -> entry.contains(".tmp.af-"));
		}
		finally {
			Files.delete(temp);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { ".hidden", "a%20b", "star*", "quote%22", "caf%C3%A9", "percent%25", "tab%09",
			"report.txt.tmp.af-12-0badf00d-1-1", "report.txt.tmp.afu-12-0badf00d-1-1" })
	void invalidNamesGet400ProblemDetailAndWriteNothing(String rawName) throws Exception {
		assertProblem(this.client.send("PUT", "/documents/" + rawName, BodyPublishers.ofString("x")), 400);
		assertProblem(this.client.send("GET", "/documents/" + rawName, BodyPublishers.noBody()), 400);
		assertProblem(this.client.send("DELETE", "/documents/" + rawName, BodyPublishers.noBody()), 400);
		assertNothingOutsideTheDataDirAndNoStray(rawName);
	}

	@Test
	void nameLongerThan200CharactersGets400() throws Exception {
		assertThat(this.client.put("n".repeat(200), new byte[] { 1 }).statusCode()).isEqualTo(201);
		assertProblem(this.client.put("n".repeat(201), new byte[] { 1 }), 400);
		assertThat(dataDir().resolve("n".repeat(201))).doesNotExist();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/documents/..", "/documents/../escaped.txt", "/documents/./escaped.txt",
			"/documents/%2e%2e", "/documents/.%2e/escaped.txt", "/documents/..;/escaped.txt",
			"/documents/escaped.txt;x=1", "/documents/%252e%252e%252fescaped.txt" })
	void traversalAttemptsGet400ProblemDetailAndWriteNothingOutsideTheDataDir(String rawPath) throws Exception {
		assertProblem(this.client.send("PUT", rawPath, BodyPublishers.ofString("escaped")), 400);
		assertProblem(this.client.send("GET", rawPath, BodyPublishers.noBody()), 400);
		assertProblem(this.client.send("DELETE", rawPath, BodyPublishers.noBody()), 400);
		assertNothingOutsideTheDataDirAndNoStray("escaped");
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello%2Etxt", "hello%2etxt", "%68ello.txt" })
	void legalPercentEncodingOfAnOrdinaryNameIsAccepted(String rawName) throws Exception {
		HttpResponse<String> put = this.client.send("PUT", "/documents/" + rawName, BodyPublishers.ofString("hi"));
		assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
		assertThat(dataDir().resolve("hello.txt")).hasContent("hi");
		assertThat(this.client.send("GET", "/documents/" + rawName, BodyPublishers.noBody()).body()).isEqualTo("hi");
	}

	@Test
	void concurrentPutsOfOneNewNameAnswer201ExactlyOnce() throws Exception {
		int puts = 30;
		ExecutorService clients = Executors.newFixedThreadPool(puts);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < puts; i++) {
				byte[] body = ("version " + i).getBytes(StandardCharsets.UTF_8);
				statuses.add(clients.submit(() -> {
					go.await();
					return new DocumentsClient(this.port).put("contended.txt", body).statusCode();
				}));
			}
			go.countDown();
			List<Integer> answers = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				answers.add(status.get(60, TimeUnit.SECONDS));
			}
			assertThat(answers).filteredOn((status) -> status == 201).hasSize(1);
			assertThat(answers).filteredOn((status) -> status == 200).hasSize(puts - 1);
			assertThat(Files.readString(dataDir().resolve("contended.txt"))).startsWith("version ");
		}
		finally {
			clients.shutdownNow();
		}
	}

	/**
	 * Tomcat itself refuses these (encoded slash, backslash and NUL, dot segments above the root)
	 * before any filter or controller runs, with its own 400 page, not a problem detail: the
	 * README says so.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/documents/%2e%2e%2fescaped.txt", "/documents/%2E%2E%2F%2E%2E%2Fescaped.txt",
			"/documents/..%2fescaped.txt", "/documents/a%2f..%2f..%2fescaped.txt", "/documents/..%5cescaped.txt",
			"/documents/back%5Cslash", "/documents/nul%00byte", "/documents/escaped%2Ftxt", "/documents/escaped%00.txt",
			"/documents/../../escaped.txt", "/../escaped.txt" })
	void encodedSeparatorsAreRefusedByTheServerAndWriteNothingOutsideTheDataDir(String rawPath) throws Exception {
		HttpResponse<String> put = this.client.send("PUT", rawPath, BodyPublishers.ofString("escaped"));
		HttpResponse<String> get = this.client.send("GET", rawPath, BodyPublishers.noBody());
		assertThat(put.statusCode()).as("PUT %s: %s", rawPath, put.body()).isEqualTo(400);
		assertThat(get.statusCode()).as("GET %s: %s", rawPath, get.body()).isEqualTo(400);
		assertThat(get.headers().firstValue("Content-Type")).as("GET %s", rawPath)
			.hasValueSatisfying((type) -> assertThat(type).doesNotContain("problem"));
		assertNothingOutsideTheDataDirAndNoStray("escaped");
	}

	@Test
	void bodyOverTheLimitWithContentLengthIs413BeforeReadingAndKeepsTheOldDocument() throws Exception {
		byte[] old = "old content".getBytes(StandardCharsets.UTF_8);
		this.client.put("declared.txt", old);
		HttpResponse<String> response = this.client.send(this.client.request("/documents/declared.txt")
			.expectContinue(true)
			.PUT(BodyPublishers.ofByteArray(new byte[LIMIT + 1])), HttpResponse.BodyHandlers.ofString());
		assertProblem(response, 413);
		assertThat(Files.readAllBytes(dataDir().resolve("declared.txt"))).isEqualTo(old);
		assertNoTempFiles();
	}

	@Test
	void streamedBodyOverTheLimitIs413AndKeepsTheOldDocument() throws Exception {
		byte[] old = "old content".getBytes(StandardCharsets.UTF_8);
		this.client.put("streamed.txt", old);
		double failuresBefore = this.client.count("atomicfile.commit.failures", "committed:false",
				"exception:DocumentTooLargeException");
		// No Content-Length (chunked): only counting while streaming can catch it.
		GeneratedContent tooLarge = new GeneratedContent(7, LIMIT + 1);
		HttpResponse<String> response = this.client.put("streamed.txt",
				BodyPublishers.ofInputStream(tooLarge::stream));
		assertProblem(response, 413);
		assertThat(Files.readAllBytes(dataDir().resolve("streamed.txt"))).isEqualTo(old);
		assertNoTempFiles();
		assertThat(this.client.count("atomicfile.commit.failures", "committed:false",
				"exception:DocumentTooLargeException"))
			.isEqualTo(failuresBefore + 1);
	}

	@Test
	void newDocumentOverTheLimitIs413AndNotCreated() throws Exception {
		GeneratedContent tooLarge = new GeneratedContent(8, LIMIT + 1);
		assertProblem(this.client.put("never.txt", BodyPublishers.ofInputStream(tooLarge::stream)), 413);
		assertThat(dataDir().resolve("never.txt")).doesNotExist();
		assertNoTempFiles();
	}

	@Test
	void bodyOfExactlyTheLimitIsStored() throws Exception {
		GeneratedContent exact = new GeneratedContent(9, LIMIT);
		HttpResponse<String> response = this.client.put("exact.bin", BodyPublishers.ofInputStream(exact::stream));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(GeneratedContent.sha256(Files.newInputStream(dataDir().resolve("exact.bin"))))
			.isEqualTo(exact.sha256());
	}

	@Test
	void commitsMetricCountsEverySuccessfulPut() throws Exception {
		double before = this.client.count("atomicfile.commits");
		SplittableRandom random = new SplittableRandom(42);
		int puts = 3 + random.nextInt(5);
		for (int i = 0; i < puts; i++) {
			byte[] body = new byte[random.nextInt(10_000)];
			random.nextBytes(body);
			assertThat(this.client.put("counted-" + (i % 2) + ".bin", body).statusCode()).isIn(200, 201);
		}
		assertProblem(this.client.put(".refused", new byte[] { 1 }), 400);
		assertThat(this.client.count("atomicfile.commits")).as("after %d PUTs", puts).isEqualTo(before + puts);
	}

	@Test
	void listensOnTheLoopbackInterfaceOnly() throws Exception {
		assertThat(InetAddress.getByName(this.serverAddress).isLoopbackAddress()).as(this.serverAddress).isTrue();
		List<InetAddress> external = NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
			.toList();
		assumeTrue(!external.isEmpty(), "this machine has no address but loopback");
		for (InetAddress address : external) {
			assertThatExceptionOfType(ConnectException.class).as("connecting to %s", address).isThrownBy(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress(address, this.port), 5000);
				}
			});
		}
	}

	@Test
	void actuatorExposesHealthInfoAndMetricsOnly() throws Exception {
		HttpResponse<String> health = this.client.send("GET", "/actuator/health", BodyPublishers.noBody());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(health.body(), "$.status")).isEqualTo("UP");
		assertThat(this.client.send("GET", "/actuator/info", BodyPublishers.noBody()).statusCode()).isEqualTo(200);
		assertThat(this.client.send("GET", "/actuator/metrics", BodyPublishers.noBody()).body())
			.contains("atomicfile.writes", "atomicfile.reaped");
		assertThat(this.client.send("GET", "/actuator/env", BodyPublishers.noBody()).statusCode()).isEqualTo(404);
	}

	/** The listing as {@code name=size} entries. */
	private List<String> listing() throws IOException, InterruptedException {
		HttpResponse<String> response = this.client.list();
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<String> names = JsonPath.read(response.body(), "$[*].name");
		List<Number> sizes = JsonPath.read(response.body(), "$[*].size");
		return Stream.iterate(0, (i) -> i < names.size(), (i) -> i + 1)
			.map((i) -> names.get(i) + "=" + sizes.get(i))
			.toList();
	}

	private static void assertProblem(HttpResponse<String> response, int status) {
		assertProblem(response.statusCode(), response.headers(), response.body(), status);
	}

	private static void assertProblem(int actualStatus, HttpHeaders headers, String body, int status) {
		assertThat(actualStatus).as(body).isEqualTo(status);
		assertThat(headers.firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((Integer) JsonPath.read(body, "$.status")).isEqualTo(status);
	}

	private static void assertNothingOutsideTheDataDirAndNoStray(String name) throws IOException {
		try (Stream<Path> all = Files.walk(root)) {
			assertThat(all.filter((path) -> !path.startsWith(dataDir())))
				.as("files outside the data dir")
				.containsExactly(root);
		}
		try (Stream<Path> files = Files.list(dataDir())) {
			assertThat(files.map((path) -> path.getFileName().toString()))
				.noneMatch((file) -> file.contains("escaped") || file.equals(name));
		}
	}

	private static void assertNoTempFiles() throws IOException {
		try (Stream<Path> files = Files.list(dataDir())) {
			assertThat(files.map((path) -> path.getFileName().toString()))
				.noneMatch((file) -> file.contains(".tmp.af-"));
		}
	}

}
