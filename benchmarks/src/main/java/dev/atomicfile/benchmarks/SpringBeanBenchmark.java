package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

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
 * The {@link AtomicFileWriter} bean of a minimal Spring Boot application with actuator, so that
 * Boot creates a {@code SimpleMeterRegistry} and the starter's Micrometer counters are attached:
 * the writer users actually get. Compare with {@link WriteBenchmark#library} (same settings, no
 * listener) at the same durability and payload.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 700, timeUnit = TimeUnit.MILLISECONDS)
public class SpringBeanBenchmark {

	@Benchmark
	public void springBean(WriteBenchmark.Target target, App app) throws IOException {
		app.writer.write(target.file, target.bytes);
	}

	/** The running application; started and closed outside the measurement. */
	@State(Scope.Benchmark)
	public static class App {

		@Param({ "NONE", "FILE", "FULL" })
		public Durability durability;

		ConfigurableApplicationContext context;

		AtomicFileWriter writer;

		@Setup(Level.Trial)
		public void start() throws IOException {
			this.context = BootApplication.start(this.durability);
			this.writer = this.context.getBean(AtomicFileWriter.class);
		}

		@TearDown(Level.Trial)
		public void stop() {
			if (this.context != null) {
				this.context.close();
			}
		}

	}

}
