package dev.atomicfile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads replacing one file: every write atomic, none trampling another's temp file. */
class WriterConcurrencyTest {

	private static final int THREADS = 16;

	private static final int WRITES_PER_THREAD = 500;

	@TempDir
	Path directory;

	@Test
	void sixteenThreadsWritingOneTargetLeaveExactlyOneOfTheirPayloads() throws Exception {
		Path target = this.directory.resolve("shared.txt");
		RecordingListener listener = new RecordingListener();
		AtomicFileWriter writer = AtomicFileWriter.builder().listener(listener).build();
		Set<String> payloads = new HashSet<>();
		for (int thread = 0; thread < THREADS; thread++) {
			for (int write = 0; write < WRITES_PER_THREAD; write++) {
				payloads.add(payload(thread, write));
			}
		}
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<Void>> results = new ArrayList<>();
			for (int thread = 0; thread < THREADS; thread++) {
				int id = thread;
				Callable<Void> writes = () -> {
					start.await();
					for (int write = 0; write < WRITES_PER_THREAD; write++) {
						writer.writeString(target, payload(id, write));
					}
					return null;
				};
				results.add(executor.submit(writes));
			}
			start.countDown();
			for (Future<Void> result : results) {
				result.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(payloads).contains(Files.readString(target, StandardCharsets.UTF_8));
		assertThat(Directories.names(this.directory)).containsExactly("shared.txt");
		assertThat(listener.failures()).isEmpty();
		assertThat(listener.successes()).hasSize(THREADS * WRITES_PER_THREAD);
	}

	/** Distinct payloads of distinct lengths, so that a mix of two could never pass as one. */
	private static String payload(int thread, int write) {
		return ("thread " + thread + " write " + write + " ").repeat(1 + (thread * 7 + write) % 40);
	}

}
