package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;

/**
 * Single {@link Durability#FULL} writes of 4 KiB into one directory by 1 thread and by 16 threads,
 * library and raw, interleaved burst by burst in one JVM: does sharing directory fsyncs let 16
 * writers go several times faster than one? A burst is {@value #BURST_MILLIS} ms of writes by 1 or
 * 16 threads of a pool started beforehand, each thread replacing its own target again and again;
 * it is timed from the start until its last write returns, and counts its writes
 * ({@code <way>Ns}, {@code <way>Ops}). The raw sequence makes its own directory fsync per write, so
 * its 16-thread rate is what the file system's journal batching alone gives; the library's is that
 * plus the shared directory fsyncs. {@link ConcurrentWriteBenchmark} mixes raw and library writes
 * in every thread; here each burst runs one way alone, so the library's threads share with each
 * other only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 4, time = 3)
public class DirectorySyncBenchmark {

	static final int THREADS = 16;

	static final long BURST_MILLIS = 100;

	static final int LIBRARY_1 = 0;

	static final int LIBRARY_16 = 1;

	static final int RAW_1 = 2;

	static final int RAW_16 = 3;

	static final int COUNT = 4;

	@Benchmark
	public void burst(Writers writers, WayClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		long writes = writers.burst(way, start);
		clock.record(way, System.nanoTime() - start, writes);
	}

	/** The pool of writer threads, the shared library writer, and each thread's own targets. */
	@State(Scope.Thread)
	public static class Writers {

		private final byte[] bytes = BenchFiles.payload(CommitBenchmark.PAYLOAD_BYTES);

		private final Path[] library = new Path[THREADS];

		private final Path[] raw = new Path[THREADS];

		private Path directory;

		private AtomicFileWriter writer;

		private ThreadPoolExecutor pool;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.directory = BenchFiles.newDirectory("dirsync");
			for (int i = 0; i < THREADS; i++) {
				this.library[i] = BenchFiles.existingTarget(this.directory.resolve("library-" + i + ".json"),
						new byte[100]);
				this.raw[i] = BenchFiles.existingTarget(this.directory.resolve("raw-" + i + ".json"), new byte[100]);
			}
			this.writer = AtomicFileWriter.builder().durability(Durability.FULL).build();
			this.pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(THREADS);
			this.pool.prestartAllCoreThreads();
		}

		/** Runs one burst of the way's threads, all started at once, and returns their writes. */
		long burst(int way, long start) throws IOException {
			boolean isLibrary = way == LIBRARY_1 || way == LIBRARY_16;
			int threads = (way == LIBRARY_1 || way == RAW_1) ? 1 : THREADS;
			long deadline = start + TimeUnit.MILLISECONDS.toNanos(BURST_MILLIS);
			List<Future<Long>> tasks = new ArrayList<>(threads);
			for (int i = 0; i < threads; i++) {
				Path target = isLibrary ? this.library[i] : this.raw[i];
				tasks.add(this.pool.submit(() -> {
					long writes = 0;
					do {
						if (isLibrary) {
							this.writer.write(target, this.bytes);
						}
						else {
							RawSequence.write(target, this.bytes, Durability.FULL);
						}
						writes++;
					}
					while (System.nanoTime() - deadline < 0);
					return writes;
				}));
			}
			long writes = 0;
			for (Future<Long> task : tasks) {
				writes += RawCommit.await(task);
			}
			return writes;
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			if (this.pool != null) {
				this.pool.shutdownNow();
			}
			try {
				for (int i = 0; i < THREADS; i++) {
					BenchFiles.verifyTarget(this.library[i], this.bytes);
					BenchFiles.verifyTarget(this.raw[i], this.bytes);
				}
			}
			finally {
				// A failed check (or a --quick run too short for every way) must not leave files in /tmp.
				BenchFiles.deleteRecursively(this.directory);
			}
		}

	}

	/** The counters JMH reports, one pair per way; see {@link WayTimes}. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class WayClock extends WayTimes {

		public WayClock() {
			super(COUNT, 0xD1);
		}

		public long library01Ns() {
			return nanos(LIBRARY_1);
		}

		public long library01Ops() {
			return operations(LIBRARY_1);
		}

		public long library16Ns() {
			return nanos(LIBRARY_16);
		}

		public long library16Ops() {
			return operations(LIBRARY_16);
		}

		public long raw01Ns() {
			return nanos(RAW_1);
		}

		public long raw01Ops() {
			return operations(RAW_1);
		}

		public long raw16Ns() {
			return nanos(RAW_16);
		}

		public long raw16Ops() {
			return operations(RAW_16);
		}

	}

}
