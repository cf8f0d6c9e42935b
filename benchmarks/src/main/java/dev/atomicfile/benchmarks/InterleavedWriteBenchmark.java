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

import org.springframework.context.ConfigurableApplicationContext;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;

/**
 * Every way of replacing a file, interleaved write by write in one JVM: {@code Files.write} in
 * place, the raw sequence, the raw sequence with the library's lock, the library without and with a
 * listener, and the Spring bean with Micrometer. Each cycle runs every way once, in a fresh random
 * order; each write is timed on its own and summed per way in the auxiliary counters
 * ({@code <way>Ns}, {@code <way>Ops}). A burst of load from another process on this shared machine
 * then slows every way alike, so the ratios between them stay meaningful, which they do not when
 * the ways run minutes apart as separate benchmarks ({@link WriteBenchmark}). Each way replaces its
 * own existing 0640 target in one shared directory.
 *
 * <p>The primary score (all writes per second) mixes the ways and means nothing on its own;
 * {@code report.py} turns the counters into per-way throughput and ratios.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 4, time = 1500, timeUnit = TimeUnit.MILLISECONDS)
public class InterleavedWriteBenchmark {

	@Benchmark
	public void interleaved(Ways ways, WayClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		ways.write(way);
		clock.record(way, System.nanoTime() - start);
	}

	/** The ways to replace a file, each with its own target, at one durability and payload. */
	@State(Scope.Thread)
	public static class Ways {

		static final int FILES_WRITE = 0;

		static final int RAW = 1;

		static final int RAW_LOCKED = 2;

		static final int LIBRARY = 3;

		static final int LIBRARY_LISTENER = 4;

		static final int SPRING_BEAN = 5;

		static final int COUNT = 6;

		@Param({ "4096", "65536", "1048576" })
		public int payloadBytes;

		@Param({ "NONE", "FILE", "FULL" })
		public Durability durability;

		private final Path[] targets = new Path[COUNT];

		private Path directory;

		private byte[] bytes;

		private AtomicFileWriter library;

		private AtomicFileWriter listened;

		private ConfigurableApplicationContext spring;

		private AtomicFileWriter springBean;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.directory = BenchFiles.newDirectory("interleaved");
			this.bytes = BenchFiles.payload(this.payloadBytes);
			for (int way = 0; way < COUNT; way++) {
				this.targets[way] = BenchFiles.existingTarget(this.directory.resolve("state-" + way + ".json"),
						new byte[100]);
			}
			this.library = AtomicFileWriter.builder().durability(this.durability).build();
			this.listened = AtomicFileWriter.builder()
				.durability(this.durability)
				.listener(new WriteBenchmark.CountingListener())
				.build();
			this.spring = BootApplication.start(this.durability);
			this.springBean = this.spring.getBean(AtomicFileWriter.class);
		}

		void write(int way) throws IOException {
			Path target = this.targets[way];
			switch (way) {
				case FILES_WRITE -> Files.write(target, this.bytes);
				case RAW -> RawSequence.write(target, this.bytes, this.durability);
				case RAW_LOCKED -> RawSequence.writeLocked(target, this.bytes, this.durability);
				case LIBRARY -> this.library.write(target, this.bytes);
				case LIBRARY_LISTENER -> this.listened.write(target, this.bytes);
				case SPRING_BEAN -> this.springBean.write(target, this.bytes);
				default -> throw new IllegalArgumentException("No way " + way);
			}
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			if (this.spring != null) {
				this.spring.close();
			}
			BenchFiles.verifyTargetsAndDelete(this.directory, this.targets, this.bytes);
		}

	}

	/** The counters JMH reports, one pair per way; see {@link WayTimes}. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class WayClock extends WayTimes {

		public WayClock() {
			super(Ways.COUNT, 0x5EED);
		}

		public long filesWriteNs() {
			return nanos(Ways.FILES_WRITE);
		}

		public long filesWriteOps() {
			return operations(Ways.FILES_WRITE);
		}

		public long rawNs() {
			return nanos(Ways.RAW);
		}

		public long rawOps() {
			return operations(Ways.RAW);
		}

		public long rawLockedNs() {
			return nanos(Ways.RAW_LOCKED);
		}

		public long rawLockedOps() {
			return operations(Ways.RAW_LOCKED);
		}

		public long libraryNs() {
			return nanos(Ways.LIBRARY);
		}

		public long libraryOps() {
			return operations(Ways.LIBRARY);
		}

		public long libraryListenerNs() {
			return nanos(Ways.LIBRARY_LISTENER);
		}

		public long libraryListenerOps() {
			return operations(Ways.LIBRARY_LISTENER);
		}

		public long springBeanNs() {
			return nanos(Ways.SPRING_BEAN);
		}

		public long springBeanOps() {
			return operations(Ways.SPRING_BEAN);
		}

	}

}
