package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one way of {@link CommitBenchmark} in a plain loop, for {@code strace}: which system calls a
 * batch makes and where its time goes. Between the warm-up and the measured batches it looks up the
 * path {@code /atomicfile-trace-start}, after them {@code /atomicfile-trace-end}, so a trace can be cut
 * at those {@code statx}/{@code newfstatat} calls and JVM start-up, warm-up and clean-up left out
 * ({@code benchmarks/strace_summary.py} does). Other JVM threads (GC, JIT) stay in the trace.
 *
 * <pre>
 * strace -f -tt -T -o /tmp/commit.trace java -cp benchmarks/target/benchmarks.jar \
 *     dev.atomicfile.benchmarks.TraceCommit commit 100 20 /tmp
 * python3 benchmarks/strace_summary.py /tmp/commit.trace 20
 * </pre>
 * Arguments: the way ({@code filesWrite noFsync sequential rawBatch rawProtocol commit commitNone}),
 * files per batch, measured batches, directory.
 */
public final class TraceCommit {

	static final List<String> WAYS = List.of("filesWrite", "noFsync", "sequential", "rawBatch", "rawProtocol",
			"commit", "commitNone");

	private TraceCommit() {
	}

	public static void main(String[] args) throws IOException {
		int way = WAYS.indexOf(args[0]);
		if (way < 0) {
			throw new IllegalArgumentException("No way " + args[0] + "; one of " + WAYS);
		}
		int batches = Integer.parseInt(args[2]);
		System.setProperty("atomicfile.bench.dir", args[3]);
		CommitBenchmark.Ways ways = new CommitBenchmark.Ways();
		ways.files = Integer.parseInt(args[1]);
		ways.create();
		try {
			// Every way once, so that the end-of-run check finds every target written.
			for (int other = 0; other < WAYS.size(); other++) {
				ways.write(other);
			}
			for (int i = 0; i < batches; i++) {
				ways.write(way);
			}
			Files.exists(Path.of("/atomicfile-trace-start"));
			long start = System.nanoTime();
			for (int i = 0; i < batches; i++) {
				ways.write(way);
			}
			long elapsed = System.nanoTime() - start;
			Files.exists(Path.of("/atomicfile-trace-end"));
			System.out.printf("%s: %d batches of %d files, %.2f ms per batch, %.0f files/s%n", args[0], batches,
					ways.files, elapsed / 1e6 / batches, (double) batches * ways.files / elapsed * 1e9);
		}
		catch (IOException | RuntimeException ex) {
			try {
				ways.delete();
			}
			catch (IOException | RuntimeException cleanup) {
				// The check of the targets fails after any failed batch: report the failure itself.
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
		ways.delete();
	}

}
