package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;
import dev.atomicfile.WriteSucceeded;

/**
 * One thread replacing one existing 0640 file, over and over: the in-place {@code Files.write}
 * users have today, the raw atomic sequence (the floor), the same with the library's lock, and the
 * library without and with a listener. The Spring-configured bean is in {@link SpringBeanBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 700, timeUnit = TimeUnit.MILLISECONDS)
public class WriteBenchmark {

	@Benchmark
	public void filesWrite(Target target) throws IOException {
		Files.write(target.file, target.bytes);
	}

	@Benchmark
	public void raw(Target target, Writers writers) throws IOException {
		RawSequence.write(target.file, target.bytes, writers.durability);
	}

	@Benchmark
	public void rawLocked(Target target, Writers writers) throws IOException {
		RawSequence.writeLocked(target.file, target.bytes, writers.durability);
	}

	@Benchmark
	public void library(Target target, Writers writers) throws IOException {
		writers.plain.write(target.file, target.bytes);
	}

	@Benchmark
	public void libraryListener(Target target, Writers writers) throws IOException {
		writers.listened.write(target.file, target.bytes);
	}

	/** An existing target of mode 0640 in a fresh directory, and the payload to write into it. */
	@State(Scope.Thread)
	public static class Target {

		@Param({ "4096", "65536", "1048576" })
		public int payloadBytes;

		Path directory;

		Path file;

		byte[] bytes;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.directory = BenchFiles.newDirectory("write");
			this.bytes = BenchFiles.payload(this.payloadBytes);
			this.file = BenchFiles.existingTarget(this.directory.resolve("state.json"), new byte[100]);
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			BenchFiles.verifyTarget(this.file, this.bytes);
			try (var entries = Files.list(this.directory)) {
				if (entries.count() != 1) {
					throw new IllegalStateException("Temp files were left in " + this.directory);
				}
			}
			BenchFiles.deleteRecursively(this.directory);
		}

	}

	/** The library's writers at one durability level. */
	@State(Scope.Thread)
	public static class Writers {

		@Param({ "NONE", "FILE", "FULL" })
		public Durability durability;

		AtomicFileWriter plain;

		AtomicFileWriter listened;

		final CountingListener listener = new CountingListener();

		@Setup(Level.Trial)
		public void build() {
			this.plain = AtomicFileWriter.builder().durability(this.durability).build();
			this.listened = AtomicFileWriter.builder().durability(this.durability).listener(this.listener).build();
		}

	}

	/** The cheapest useful listener: counts writes, as a metrics adapter would. */
	static final class CountingListener implements AtomicFileListener {

		final LongAdder writes = new LongAdder();

		@Override
		public void onWrite(WriteSucceeded event) {
			this.writes.increment();
		}

	}

}
