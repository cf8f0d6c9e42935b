package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serializeWrites}: writes to one path wait for each other, in arrival order; without it
 * they overlap. Each write holds its content callback open on a latch, so "overlap" is observed,
 * not inferred from timing.
 */
class WriterSerializedTest {

	@TempDir
	Path directory;

	@Test
	void writesToOnePathRunOneAtATimeInArrivalOrder() throws Exception {
		AtomicFileWriter writer = AtomicFileWriter.builder().serializeWrites(true).build();
		Path target = this.directory.resolve("counter");
		List<String> entered = new CopyOnWriteArrayList<>();
		CountDownLatch releaseFirst = new CountDownLatch(1);
		CompletableFuture<Void> first = write(writer, target, "first", entered, releaseFirst);
		Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> entered.contains("first"));
		CompletableFuture<Void> second = write(writer, target, "second", entered, null);
		Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> PathLocks.SHARED.queued(key(target)) == 1);
		CompletableFuture<Void> third = write(writer, target, "third", entered, null);
		Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> PathLocks.SHARED.queued(key(target)) == 2);
		assertThat(entered).as("the others wait while the first is in its callback").containsExactly("first");
		releaseFirst.countDown();
		CompletableFuture.allOf(first, second, third).get(30, TimeUnit.SECONDS);
		assertThat(entered).containsExactly("first", "second", "third");
		assertThat(target).hasContent("third");
		assertThat(PathLocks.SHARED.pathsInUse()).as("no lock kept once idle").isZero();
	}

	@Test
	void withoutItWritesToOnePathOverlap() throws Exception {
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		Path target = this.directory.resolve("counter");
		List<String> entered = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> first = write(writer, target, "first", entered, release);
		CompletableFuture<Void> second = write(writer, target, "second", entered, release);
		Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> entered.size() == 2);
		release.countDown();
		CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
		assertThat(Files.readString(target)).isIn("first", "second");
	}

	@Test
	void otherPathsDoNotWait() throws Exception {
		AtomicFileWriter writer = AtomicFileWriter.builder().serializeWrites(true).build();
		List<String> entered = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> first = write(writer, this.directory.resolve("a"), "a", entered, release);
		CompletableFuture<Void> second = write(writer, this.directory.resolve("b"), "b", entered, release);
		Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> entered.size() == 2);
		release.countDown();
		CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
	}

	private static Path key(Path target) {
		return target.toAbsolutePath().normalize();
	}

	private static CompletableFuture<Void> write(AtomicFileWriter writer, Path target, String content,
			List<String> entered, CountDownLatch release) {
		return CompletableFuture.runAsync(() -> {
			try {
				writer.write(target, (out) -> {
					entered.add(content);
					if (release != null) {
						try {
							release.await();
						}
						catch (InterruptedException ex) {
							throw new IOException(ex);
						}
					}
					out.write(content.getBytes(StandardCharsets.UTF_8));
				});
			}
			catch (IOException ex) {
				throw new RuntimeException(ex);
			}
		}, (task) -> new Thread(task).start());
	}

}
