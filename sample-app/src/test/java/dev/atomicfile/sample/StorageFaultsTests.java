package dev.atomicfile.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real storage faults under the running app answer with a problem detail and a status that says
 * what happened, never Boot's 500 page, and leave the previous version intact: a full tmpfs
 * (507), a read-only bind mount (503), a data directory removed (503). Mounting needs root, as CI
 * has.
 */
@TestPropertySource(properties = "sample.max-document-size=4MB")
class StorageFaultsTests extends RunningSampleTests {

	@Test
	void fullDiskIs507AndKeepsThePreviousVersion() throws Exception {
		assumeTrue(SpecialFiles.isRoot(), "mounting a tmpfs needs root");
		SpecialFiles.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dataDir().toString());
		try {
			assertThat(this.client.put("report.bin", new byte[100 * 1024]).statusCode()).isEqualTo(201);
			HttpResponse<String> put = this.client.put("report.bin", new byte[2 * 1024 * 1024]);
			assertProblem(put, 507, "storage-full");
			assertThat(Files.size(dataDir().resolve("report.bin"))).isEqualTo(100 * 1024);
			assertThat(this.client.get("report.bin").statusCode()).isEqualTo(200);
			assertNoTempFiles();
		}
		finally {
			SpecialFiles.run("umount", dataDir().toString());
		}
	}

	@Test
	void readOnlyStorageIs503ForWritesWhileReadsGoOn() throws Exception {
		assumeTrue(SpecialFiles.isRoot(), "a read-only bind mount needs root");
		PlantedDocuments.plant(dataDir(), "kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
		SpecialFiles.run("mount", "--bind", dataDir().toString(), dataDir().toString());
		try {
			SpecialFiles.run("mount", "-o", "remount,bind,ro", dataDir().toString());
			assertProblem(this.client.put("kept.txt", "new".getBytes(StandardCharsets.UTF_8)), 503, "storage-read-only");
			assertProblem(this.client.put("fresh.txt", "new".getBytes(StandardCharsets.UTF_8)), 503, "storage-read-only");
			assertThat(this.client.get("kept.txt").body()).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
		}
		finally {
			SpecialFiles.run("umount", dataDir().toString());
		}
		assertThat(dataDir().resolve("kept.txt")).hasContent("kept");
	}

	@Test
	void missingDataDirectoryIs503ForEveryOperation() throws Exception {
		Path aside = Files.move(dataDir(), root.resolve("data-aside"));
		try {
			assertProblem(this.client.put("any.txt", "x".getBytes(StandardCharsets.UTF_8)), 503, "storage-unavailable");
			HttpResponse<byte[]> get = this.client.get("any.txt");
			assertThat(get.statusCode()).isEqualTo(503);
			assertProblem(this.client.list(), 503, "storage-unavailable");
			assertProblem(this.client.delete("any.txt"), 503, "storage-unavailable");
			assertThat(dataDir()).doesNotExist();
		}
		finally {
			Files.move(aside, dataDir());
		}
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((String) JsonPath.read(response.body(), "$.type")).isEqualTo("urn:atomicfile-sample:problem:" + type);
		assertThat(response.body()).doesNotContain(root.toString());
	}

	private static void assertNoTempFiles() throws Exception {
		try (Stream<Path> files = Files.list(dataDir())) {
			assertThat(files.map((file) -> file.getFileName().toString())).allMatch((name) -> name.equals("report.bin") || name.equals(".report.bin.meta.json"));
		}
	}

}
