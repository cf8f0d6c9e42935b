package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one way of {@link DirectorySyncBenchmark} in bursts for a while, for {@code strace}: how
 * many fsyncs a write costs when 16 threads share directory fsyncs, against the raw sequence's two.
 * Marks the measured bursts as {@link TraceCommit} does.
 *
 * <pre>
 * strace -f -tt -T -o /tmp/dirsync.trace java -cp benchmarks/target/benchmarks.jar \
 *     dev.atomicfile.benchmarks.TraceDirectorySync library16 30 /tmp
 * python3 benchmarks/strace_summary.py /tmp/dirsync.trace WRITES
 * </pre>
 * Arguments: the way ({@code library01 library16 raw01 raw16}), bursts of 100 ms, directory. It
 * prints the writes made, the number to divide the trace's counts by.
 */
public final class TraceDirectorySync {

	static final List<String> WAYS = List.of("library01", "library16", "raw01", "raw16");

	private TraceDirectorySync() {
	}

	public static void main(String[] args) throws IOException {
		int way = WAYS.indexOf(args[0]);
		if (way < 0) {
			throw new IllegalArgumentException("No way " + args[0] + "; one of " + WAYS);
		}
		int bursts = Integer.parseInt(args[1]);
		System.setProperty("atomicfile.bench.dir", args[2]);
		DirectorySyncBenchmark.Writers writers = new DirectorySyncBenchmark.Writers();
		writers.create();
		try {
			// Every way once, so that every thread's targets hold the payload for the final check.
			for (int other = 0; other < WAYS.size(); other++) {
				writers.burst(other, System.nanoTime());
			}
			Files.exists(Path.of("/atomicfile-trace-start"));
			long writes = 0;
			long start = System.nanoTime();
			for (int i = 0; i < bursts; i++) {
				writes += writers.burst(way, System.nanoTime());
			}
			long elapsed = System.nanoTime() - start;
			Files.exists(Path.of("/atomicfile-trace-end"));
			System.out.printf("%s: %d writes in %d bursts, %.0f writes/s%n", args[0], writes, bursts,
					writes / (elapsed / 1e9));
		}
		finally {
			writers.delete();
		}
	}

}
