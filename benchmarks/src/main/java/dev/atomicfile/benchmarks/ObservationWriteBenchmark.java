package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
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
import dev.atomicfile.autoconfigure.AtomicFileMetrics;
import dev.atomicfile.autoconfigure.AtomicFileRoots;
import dev.atomicfile.autoconfigure.AtomicFileWriterActivity;
import dev.atomicfile.autoconfigure.ObservedAtomicFileWriter;

/**
 * What observing a write costs, interleaved write by write in one JVM as in
 * {@link InterleavedWriteBenchmark}: the writer with the Micrometer counters (as the auto-configured
 * one has them), the same wrapped in {@link ObservedAtomicFileWriter} without a registry (it only
 * counts the writes in flight), and wrapped with a real {@link ObservationRegistry} whose
 * {@link DefaultMeterObservationHandler} records the {@code atomicfile.write} timer in a
 * {@link SimpleMeterRegistry}, as Spring Boot's is with Actuator. The target directory is a
 * configured root, so the {@code root} key is looked up for real. {@code report.py} gives each way's
 * rate and the ratios to the plain writer.
 *
 * <p>The warm-up is longer than {@link InterleavedWriteBenchmark}'s: at a few thousand FULL writes a
 * second, a third of them observed, two seconds leave Micrometer's code interpreted or C1-compiled,
 * and the measurement would then show the JIT's progress (a first iteration 40 µs slower per write,
 * the fourth 10 µs) rather than what a running application pays.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 4, time = 1500, timeUnit = TimeUnit.MILLISECONDS)
public class ObservationWriteBenchmark {

	@Benchmark
	public void interleaved(Ways ways, WayClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		ways.write(way);
		clock.record(way, System.nanoTime() - start);
	}

	/** The three writers, each with its own target, at one durability and payload. */
	@State(Scope.Thread)
	public static class Ways {

		static final int PLAIN = 0;

		static final int COUNTED = 1;

		static final int OBSERVED = 2;

		static final int COUNT = 3;

		@Param({ "4096" })
		public int payloadBytes;

		@Param({ "FULL" })
		public Durability durability;

		private final Path[] targets = new Path[COUNT];

		private final AtomicFileWriter[] writers = new AtomicFileWriter[COUNT];

		private Path directory;

		private byte[] bytes;

		private SimpleMeterRegistry meters;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.directory = BenchFiles.newDirectory("observation");
			this.bytes = BenchFiles.payload(this.payloadBytes);
			for (int way = 0; way < COUNT; way++) {
				this.targets[way] = BenchFiles.existingTarget(this.directory.resolve("state-" + way + ".json"),
						new byte[100]);
			}
			this.meters = new SimpleMeterRegistry();
			AtomicFileMetrics metrics = new AtomicFileMetrics();
			metrics.bindTo(this.meters);
			AtomicFileWriter plain = AtomicFileWriter.builder().durability(this.durability).listener(metrics).build();
			AtomicFileRoots roots = new AtomicFileRoots(List.of(this.directory));
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
			this.writers[PLAIN] = plain;
			this.writers[COUNTED] = new ObservedAtomicFileWriter(plain, this.durability, roots,
					new AtomicFileWriterActivity(), ObservationRegistry.NOOP, List.of());
			this.writers[OBSERVED] = new ObservedAtomicFileWriter(plain, this.durability, roots,
					new AtomicFileWriterActivity(), observations, List.of());
			requireObserved();
		}

		/** Without this proof a broken wiring would silently measure no observation. */
		private void requireObserved() throws IOException {
			this.writers[OBSERVED].write(this.directory.resolve("probe"), new byte[1]);
			Files.delete(this.directory.resolve("probe"));
			Timer timer = this.meters.find("atomicfile.write").tag("root", this.directory.getFileName().toString())
				.timer();
			if (timer == null || timer.count() != 1) {
				throw new IllegalStateException("atomicfile.write is not timed in " + this.meters + ": " + timer);
			}
		}

		void write(int way) throws IOException {
			this.writers[way].write(this.targets[way], this.bytes);
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			BenchFiles.verifyTargetsAndDelete(this.directory, this.targets, this.bytes);
		}

	}

	/** The counters JMH reports, one pair per way; see {@link WayTimes}. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class WayClock extends WayTimes {

		public WayClock() {
			super(Ways.COUNT, 0x0B5E);
		}

		public long plainNs() {
			return nanos(Ways.PLAIN);
		}

		public long plainOps() {
			return operations(Ways.PLAIN);
		}

		public long countedNs() {
			return nanos(Ways.COUNTED);
		}

		public long countedOps() {
			return operations(Ways.COUNTED);
		}

		public long observedNs() {
			return nanos(Ways.OBSERVED);
		}

		public long observedOps() {
			return operations(Ways.OBSERVED);
		}

	}

}
