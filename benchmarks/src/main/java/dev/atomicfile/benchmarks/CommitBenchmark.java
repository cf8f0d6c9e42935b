package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;

/**
 * Every way of replacing the same {@code files} files of 4 KiB, interleaved batch by batch in one
 * JVM (as {@link InterleavedWriteBenchmark} does write by write): without any fsync ({@code Files.write}
 * in place, or the raw atomic replace at {@code NONE}), one {@link Durability#FULL} library write
 * after the other, the raw durable batches of {@link RawCommit}, and the library's
 * {@link AtomicFileWriter#commit commit} at {@code FULL} and at {@code NONE}. Each way replaces its
 * own existing 0640 targets in its own directory. One operation is a whole batch; the counters
 * ({@code <way>Ns}, {@code <way>Ops}) give each way's batches per second, which {@code report.py}
 * turns into files per second and ratios taken within each fork.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 4, time = 3)
public class CommitBenchmark {

	static final int PAYLOAD_BYTES = 4096;

	@Benchmark
	public void interleaved(Ways ways, WayClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		ways.write(way);
		clock.record(way, System.nanoTime() - start);
	}

	/** The ways to replace one batch of files, each with its own targets. */
	@State(Scope.Thread)
	public static class Ways {

		static final int FILES_WRITE = 0;

		static final int NO_FSYNC = 1;

		static final int SEQUENTIAL = 2;

		static final int RAW_BATCH = 3;

		static final int RAW_PROTOCOL = 4;

		static final int COMMIT = 5;

		static final int COMMIT_NONE = 6;

		static final int COUNT = 7;

		@Param({ "100", "2" })
		public int files;

		private final Batches batches = new Batches();

		private AtomicFileWriter full;

		private AtomicFileWriter none;

		private RawCommit raw;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.batches.create("commit", COUNT, this.files);
			this.full = AtomicFileWriter.builder().durability(Durability.FULL).build();
			this.none = AtomicFileWriter.builder().durability(Durability.NONE).build();
			this.raw = new RawCommit(AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM);
		}

		void write(int way) throws IOException {
			Path[] targets = this.batches.targets[way];
			byte[] bytes = this.batches.bytes;
			switch (way) {
				case FILES_WRITE -> {
					for (Path target : targets) {
						Files.write(target, bytes);
					}
				}
				case NO_FSYNC -> {
					for (Path target : targets) {
						RawSequence.write(target, bytes, Durability.NONE);
					}
				}
				case SEQUENTIAL -> {
					for (Path target : targets) {
						this.full.write(target, bytes);
					}
				}
				case RAW_BATCH -> this.raw.batch(targets, bytes);
				case RAW_PROTOCOL -> this.raw.protocol(targets, bytes);
				case COMMIT -> Batches.commit(this.full, targets, bytes);
				case COMMIT_NONE -> Batches.commit(this.none, targets, bytes);
				default -> throw new IllegalArgumentException("No way " + way);
			}
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			if (this.raw != null) {
				this.raw.close();
			}
			this.batches.verifyAndDelete();
		}

	}

	/** The counters JMH reports, one pair per way; see {@link WayTimes}. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class WayClock extends WayTimes {

		public WayClock() {
			super(Ways.COUNT, 0xC0FFEE);
		}

		public long filesWriteNs() {
			return nanos(Ways.FILES_WRITE);
		}

		public long filesWriteOps() {
			return operations(Ways.FILES_WRITE);
		}

		public long noFsyncNs() {
			return nanos(Ways.NO_FSYNC);
		}

		public long noFsyncOps() {
			return operations(Ways.NO_FSYNC);
		}

		public long sequentialNs() {
			return nanos(Ways.SEQUENTIAL);
		}

		public long sequentialOps() {
			return operations(Ways.SEQUENTIAL);
		}

		public long rawBatchNs() {
			return nanos(Ways.RAW_BATCH);
		}

		public long rawBatchOps() {
			return operations(Ways.RAW_BATCH);
		}

		public long rawProtocolNs() {
			return nanos(Ways.RAW_PROTOCOL);
		}

		public long rawProtocolOps() {
			return operations(Ways.RAW_PROTOCOL);
		}

		public long commitNs() {
			return nanos(Ways.COMMIT);
		}

		public long commitOps() {
			return operations(Ways.COMMIT);
		}

		public long commitNoneNs() {
			return nanos(Ways.COMMIT_NONE);
		}

		public long commitNoneOps() {
			return operations(Ways.COMMIT_NONE);
		}

	}

}
