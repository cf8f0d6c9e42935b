package dev.atomicfile.benchmarks;

import java.util.Arrays;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Interleaves the raw floor and the library invocation by invocation (each pair in random order)
 * and sums, per thread and iteration, the time each spent and the operations each did; JMH reports
 * the public methods, summed over threads, and {@code report.py} turns them into ratios.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairClock {

	static final int RAW = 0;

	static final int LIBRARY = 1;

	private final long[] nanos = new long[2];

	private final long[] operations = new long[2];

	private final InterleavedWriteBenchmark.Shuffler shuffler = new InterleavedWriteBenchmark.Shuffler(2,
			Thread.currentThread().getId());

	@Setup(Level.Iteration)
	public void reset() {
		Arrays.fill(this.nanos, 0);
		Arrays.fill(this.operations, 0);
	}

	int nextWay() {
		return this.shuffler.next();
	}

	void record(int way, long elapsed) {
		this.nanos[way] += elapsed;
		this.operations[way]++;
	}

	public long rawNs() {
		return this.nanos[RAW];
	}

	public long rawOps() {
		return this.operations[RAW];
	}

	public long libraryNs() {
		return this.nanos[LIBRARY];
	}

	public long libraryOps() {
		return this.operations[LIBRARY];
	}

}
