package dev.atomicfile.benchmarks;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;

/**
 * A {@link Durability#FULL} commit of 100 files of 4 KiB by writers that differ only in
 * {@code fsyncParallelism} (1, 4, 16, 64), interleaved commit by commit in one JVM: the evidence for
 * {@link AtomicFileWriter.Builder#DEFAULT_FSYNC_PARALLELISM}. Counters as in
 * {@link CommitBenchmark}: one operation is one commit.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 4, time = 3)
public class CommitParallelismBenchmark {

	static final int FILES = 100;

	/** The {@code fsyncParallelism} of each way, in way order. */
	static final int[] PARALLELISM = { 1, 4, 16, 64 };

	@Benchmark
	public void interleaved(Writers writers, WayClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		writers.commit(way);
		clock.record(way, System.nanoTime() - start);
	}

	/** One writer and one directory of targets per parallelism. */
	@State(Scope.Thread)
	public static class Writers {

		private final Batches batches = new Batches();

		private final AtomicFileWriter[] writers = new AtomicFileWriter[PARALLELISM.length];

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.batches.create("parallelism", PARALLELISM.length, FILES);
			for (int way = 0; way < PARALLELISM.length; way++) {
				this.writers[way] = AtomicFileWriter.builder()
					.durability(Durability.FULL)
					.fsyncParallelism(PARALLELISM[way])
					.build();
			}
		}

		void commit(int way) throws IOException {
			Path[] targets = this.batches.targets[way];
			Batches.commit(this.writers[way], targets, this.batches.bytes);
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			this.batches.verifyAndDelete();
		}

	}

	/** The counters JMH reports, one pair per parallelism; see {@link WayTimes}. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class WayClock extends WayTimes {

		public WayClock() {
			super(PARALLELISM.length, 0xF5);
		}

		public long parallelism01Ns() {
			return nanos(0);
		}

		public long parallelism01Ops() {
			return operations(0);
		}

		public long parallelism04Ns() {
			return nanos(1);
		}

		public long parallelism04Ops() {
			return operations(1);
		}

		public long parallelism16Ns() {
			return nanos(2);
		}

		public long parallelism16Ops() {
			return operations(2);
		}

		public long parallelism64Ns() {
			return nanos(3);
		}

		public long parallelism64Ops() {
			return operations(3);
		}

	}

}
