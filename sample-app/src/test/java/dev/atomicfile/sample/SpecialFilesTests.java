package dev.atomicfile.sample;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What others plant in the data directory is never served, listed, deleted or written through:
 * a symbolic link to a file outside it (the classic {@code ln -s /etc/passwd}), a link to a
 * directory, a looping link, a named pipe (which would block a reader for ever), a directory. Real
 * links and pipes, on the real server.
 */
class SpecialFilesTests extends RunningSampleTests {

	private static final Duration BOUND = Duration.ofSeconds(10);

	@Test
	void linkToAFileOutsideIsNeitherServedNorListedNorDeletedAndPutReplacesTheLinkNotTheFile() throws Exception {
		Path secret = Files.writeString(root.resolve("outside-secret"), "root:x:0:0");
		Path link = Files.createSymbolicLink(dataDir().resolve("passwd"), secret);
		assertNotADocument("passwd");
		assertThat(this.client.delete("passwd").statusCode()).isEqualTo(404);
		assertThat(link).isSymbolicLink();

		HttpResponse<String> put = this.client.put("passwd", "mine".getBytes(StandardCharsets.UTF_8));
		assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
		assertThat(secret).hasContent("root:x:0:0");
		assertThat(Files.isSymbolicLink(link)).as("the link was replaced by the document").isFalse();
		assertThat(link).hasContent("mine");
		assertThat(this.client.listedNames()).contains("passwd");
	}

	@Test
	void linkToADirectoryOutsideAndALoopingLinkAreNotDocumentsAndTheListingStillWorks() throws Exception {
		Files.createDirectories(root.resolve("outside-dir"));
		Files.writeString(root.resolve("outside-dir/inner"), "x");
		Files.createSymbolicLink(dataDir().resolve("dirlink"), root.resolve("outside-dir"));
		Path loop = dataDir().resolve("loop");
		Files.createSymbolicLink(loop, loop.getFileName());
		assertNotADocument("dirlink");
		assertNotADocument("loop");
		assertThat(this.client.delete("loop").statusCode()).isEqualTo(404);
		assertThat(Files.isSymbolicLink(loop)).isTrue();
		assertThat(root.resolve("outside-dir/inner")).hasContent("x");
	}

	@Test
	void namedPipeNeverBlocksAndIsLeftAlone() throws Exception {
		Path pipe = SpecialFiles.fifo(dataDir().resolve("pipe"));
		assertTimeoutPreemptively(BOUND, () -> {
			assertNotADocument("pipe");
			assertThat(this.client.delete("pipe").statusCode()).isEqualTo(404);
			HttpResponse<String> put = this.client.put("pipe", "x".getBytes(StandardCharsets.UTF_8));
			assertThat(put.statusCode()).as(put.body()).isEqualTo(409);
			assertThat(put.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		});
		assertThat(Files.isRegularFile(pipe, LinkOption.NOFOLLOW_LINKS)).isFalse();
		assertThat(pipe).exists();
	}

	@Test
	void directoryIsNotADocumentAndPutOnItIsAConflict() throws Exception {
		Path directory = Files.createDirectory(dataDir().resolve("folder"));
		assertNotADocument("folder");
		assertThat(this.client.delete("folder").statusCode()).isEqualTo(404);
		HttpResponse<String> put = this.client.put("folder", "x".getBytes(StandardCharsets.UTF_8));
		assertThat(put.statusCode()).as(put.body()).isEqualTo(409);
		assertThat(put.body()).doesNotContain(root.toString());
		assertThat(directory).isDirectory();
	}

	/**
	 * A neighbour swaps a pipe and a regular file under one name as fast as it can while documents
	 * are read: a GET may find either, but none waits for the pipe's writer.
	 */
	@Test
	void pipeSwappedInBetweenTheCheckAndTheOpenNeverHoldsARequest() throws Exception {
		Path name = dataDir().resolve("swapped.txt");
		Path regular = Files.writeString(dataDir().resolve(".regular"), "regular content");
		PlantedDocuments.writeMetadata(dataDir(), "swapped.txt", new DocumentMetadata(15,
				PlantedDocuments.sha256("regular content".getBytes(StandardCharsets.UTF_8)), "text/plain"));
		Path pipe = SpecialFiles.fifo(dataDir().resolve(".pipe"));
		AtomicBoolean swapping = new AtomicBoolean(true);
		Thread swapper = new Thread(() -> {
			try {
				while (swapping.get()) {
					Files.move(regular, name, StandardCopyOption.ATOMIC_MOVE);
					Files.move(name, regular, StandardCopyOption.ATOMIC_MOVE);
					Files.move(pipe, name, StandardCopyOption.ATOMIC_MOVE);
					Files.move(name, pipe, StandardCopyOption.ATOMIC_MOVE);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		swapper.start();
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
				for (int i = 0; i < 100; i++) {
					long start = System.nanoTime();
					HttpResponse<byte[]> get = this.client.get("swapped.txt");
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
					assertThat(get.statusCode()).isIn(200, 404);
					if (get.statusCode() == 200) {
						assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("regular content");
					}
				}
			});
		}
		finally {
			swapping.set(false);
			swapper.join();
		}
		assertThat(swapper.isAlive()).isFalse();
	}

	private void assertNotADocument(String name) throws Exception {
		HttpResponse<byte[]> get = this.client.get(name);
		assertThat(get.statusCode()).isEqualTo(404);
		assertThat(get.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.client.listedNames()).doesNotContain(name);
	}

}
