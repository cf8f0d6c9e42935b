package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;

/**
 * {@link Durability#FULL} writes of 4 KiB by 1, 4 and 16 threads, each replacing its own files in
 * one shared directory: does total throughput grow as the file system batches journal commits, and
 * does the library scale like the raw sequence? Each thread interleaves raw and library writes
 * ({@link PairClock}); the primary score is all writes of all threads per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConcurrentWriteBenchmark {

	private static final int PAYLOAD_BYTES = 4096;

	@Benchmark
	@Threads(1)
	public void threads01(OwnFiles files, Shared shared, PairClock clock) throws IOException {
		write(files, shared, clock);
	}

	@Benchmark
	@Threads(4)
	public void threads04(OwnFiles files, Shared shared, PairClock clock) throws IOException {
		write(files, shared, clock);
	}

	@Benchmark
	@Threads(16)
	public void threads16(OwnFiles files, Shared shared, PairClock clock) throws IOException {
		write(files, shared, clock);
	}

	private static void write(OwnFiles files, Shared shared, PairClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		if (way == PairClock.RAW) {
			RawSequence.write(files.raw, shared.bytes, Durability.FULL);
		}
		else {
			shared.writer.write(files.library, shared.bytes);
		}
		clock.record(way, System.nanoTime() - start);
	}

	/** The directory all threads write in, and the one writer they share, as an application would. */
	@State(Scope.Benchmark)
	public static class Shared {

		final AtomicInteger threads = new AtomicInteger();

		final byte[] bytes = BenchFiles.payload(PAYLOAD_BYTES);

		Path directory;

		AtomicFileWriter writer;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.directory = BenchFiles.newDirectory("concurrent");
			this.writer = AtomicFileWriter.builder().durability(Durability.FULL).build();
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			BenchFiles.deleteRecursively(this.directory);
		}

	}

	/** Each thread's own existing 0640 targets, one per way. */
	@State(Scope.Thread)
	public static class OwnFiles {

		Path raw;

		Path library;

		@Setup(Level.Trial)
		public void create(Shared shared) throws IOException {
			int thread = shared.threads.incrementAndGet();
			this.raw = BenchFiles.existingTarget(shared.directory.resolve("raw-" + thread + ".json"), new byte[100]);
			this.library = BenchFiles.existingTarget(shared.directory.resolve("library-" + thread + ".json"),
					new byte[100]);
		}

		@TearDown(Level.Trial)
		public void verify(Shared shared) throws IOException {
			BenchFiles.verifyTarget(this.raw, shared.bytes);
			BenchFiles.verifyTarget(this.library, shared.bytes);
		}

	}

}
