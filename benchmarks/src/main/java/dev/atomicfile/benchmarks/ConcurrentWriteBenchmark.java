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
 * {@link Durability#FULL} writes of 4 KiB by 1, 4 and 16 threads, each replacing its own file in one
 * shared directory: does total throughput grow as the file system batches journal commits, and does
 * the library scale like the raw sequence? Scores are total operations per second of all threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 700, timeUnit = TimeUnit.MILLISECONDS)
public class ConcurrentWriteBenchmark {

	private static final int PAYLOAD_BYTES = 4096;

	@Benchmark
	@Threads(1)
	public void library01(OwnFile file, Shared shared) throws IOException {
		shared.writer.write(file.file, shared.bytes);
	}

	@Benchmark
	@Threads(4)
	public void library04(OwnFile file, Shared shared) throws IOException {
		shared.writer.write(file.file, shared.bytes);
	}

	@Benchmark
	@Threads(16)
	public void library16(OwnFile file, Shared shared) throws IOException {
		shared.writer.write(file.file, shared.bytes);
	}

	@Benchmark
	@Threads(1)
	public void raw01(OwnFile file, Shared shared) throws IOException {
		RawSequence.write(file.file, shared.bytes, Durability.FULL);
	}

	@Benchmark
	@Threads(4)
	public void raw04(OwnFile file, Shared shared) throws IOException {
		RawSequence.write(file.file, shared.bytes, Durability.FULL);
	}

	@Benchmark
	@Threads(16)
	public void raw16(OwnFile file, Shared shared) throws IOException {
		RawSequence.write(file.file, shared.bytes, Durability.FULL);
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

	/** Each thread's own existing 0640 target. */
	@State(Scope.Thread)
	public static class OwnFile {

		Path file;

		@Setup(Level.Trial)
		public void create(Shared shared) throws IOException {
			String name = "state-" + shared.threads.incrementAndGet() + ".json";
			this.file = BenchFiles.existingTarget(shared.directory.resolve(name), new byte[100]);
		}

		@TearDown(Level.Trial)
		public void verify(Shared shared) throws IOException {
			BenchFiles.verifyTarget(this.file, shared.bytes);
		}

	}

}
