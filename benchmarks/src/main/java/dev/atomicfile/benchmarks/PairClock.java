package dev.atomicfile.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Interleaves the raw floor and the library invocation by invocation (each pair in random order)
 * and sums, per thread and iteration, the time each spent and the operations each did; JMH reports
 * the public fields, summed over threads, and {@code report.py} turns them into ratios.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairClock {

	static final int RAW = 0;

	static final int LIBRARY = 1;

	public long rawNs;

	public long rawOps;

	public long libraryNs;

	public long libraryOps;

	private final InterleavedWriteBenchmark.Shuffler shuffler = new InterleavedWriteBenchmark.Shuffler(2,
			Thread.currentThread().getId());

	@Setup(Level.Iteration)
	public void reset() {
		this.rawNs = 0;
		this.rawOps = 0;
		this.libraryNs = 0;
		this.libraryOps = 0;
	}

	int nextWay() {
		return this.shuffler.next();
	}

	void record(int way, long nanos) {
		if (way == RAW) {
			this.rawNs += nanos;
			this.rawOps++;
		}
		else {
			this.libraryNs += nanos;
			this.libraryOps++;
		}
	}

}
