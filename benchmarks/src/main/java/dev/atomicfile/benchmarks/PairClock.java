package dev.atomicfile.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Interleaves the raw floor and the library invocation by invocation (each pair in random order)
 * and sums, per thread and iteration, the time each spent and the operations each did; JMH reports
 * the public methods, summed over threads, and {@code report.py} turns them into ratios.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairClock extends WayTimes {

	static final int RAW = 0;

	static final int LIBRARY = 1;

	public PairClock() {
		super(2, Thread.currentThread().getId());
	}

	public long rawNs() {
		return nanos(RAW);
	}

	public long rawOps() {
		return operations(RAW);
	}

	public long libraryNs() {
		return nanos(LIBRARY);
	}

	public long libraryOps() {
		return operations(LIBRARY);
	}

}
