package dev.atomicfile.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Time spent and operations done per way in the current iteration, for the JMH counter states that
 * expose them ({@link InterleavedWriteBenchmark.WayClock}, {@link PairClock}). Also deals the ways:
 * each cycle holds every way once, in a fresh random order, so no way always follows the same other
 * one.
 */
abstract class WayTimes {

	private final long[] nanos;

	private final long[] operations;

	private final int[] order;

	private final SplittableRandom random;

	private int position;

	WayTimes(int ways, long seed) {
		this.nanos = new long[ways];
		this.operations = new long[ways];
		this.order = new int[ways];
		for (int i = 0; i < ways; i++) {
			this.order[i] = i;
		}
		this.random = new SplittableRandom(seed);
		this.position = ways;
	}

	@Setup(Level.Iteration)
	public void reset() {
		Arrays.fill(this.nanos, 0);
		Arrays.fill(this.operations, 0);
	}

	int nextWay() {
		if (this.position == this.order.length) {
			for (int i = this.order.length - 1; i > 0; i--) {
				int j = this.random.nextInt(i + 1);
				int swap = this.order[i];
				this.order[i] = this.order[j];
				this.order[j] = swap;
			}
			this.position = 0;
		}
		return this.order[this.position++];
	}

	void record(int way, long elapsed) {
		record(way, elapsed, 1);
	}

	/** For a timed step that did several operations (a burst of writes by many threads). */
	void record(int way, long elapsed, long operations) {
		this.nanos[way] += elapsed;
		this.operations[way] += operations;
	}

	long nanos(int way) {
		return this.nanos[way];
	}

	long operations(int way) {
		return this.operations[way];
	}

}
