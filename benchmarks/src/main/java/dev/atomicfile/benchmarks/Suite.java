package dev.atomicfile.benchmarks;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the whole suite for a shared, noisy machine and collects every fork in one JMH JSON file,
 * which {@code report.py} turns into the tables of BENCHMARKS.md.
 *
 * <p>Noise from other processes (builds, tests, their fsyncs in the same journal) moves absolute
 * numbers by tens of percent within seconds, so the ways that are compared never run as separate
 * benchmarks minutes apart: each benchmark interleaves them write by write (or pass by pass) in one
 * fork ({@link InterleavedWriteBenchmark}, {@link ConcurrentWriteBenchmark}, {@link ReaperBenchmark},
 * {@link CommitBenchmark}, {@link CommitParallelismBenchmark}, {@link DirectorySyncBenchmark},
 * {@link ObservationWriteBenchmark}).
 * Forks are spread over rounds: each round runs every benchmark once, so a long burst of load
 * costs one fork of each rather than all forks of one.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.atomicfile.benchmarks.Suite [--rounds 3]
 *     [--out benchmarks/target/results.json] [--dir /tmp] [--only REGEX] [--quick]
 * </pre>
 * Warm-up and measurement times are the benchmarks' own annotations; {@code --quick} shrinks them to
 * a smoke test.
 */
public final class Suite {

	private static final String PACKAGE = "dev.atomicfile.benchmarks.";

	private static final String[] PAYLOADS = { "4096", "65536", "1048576" };

	private static final String[] DURABILITIES = { "NONE", "FILE", "FULL" };

	private Suite() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		Map<String, String> options = parse(args);
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		Path out = Path.of(options.getOrDefault("out", "benchmarks/target/results.json"));
		String directory = options.getOrDefault("dir", "/tmp");
		Pattern only = Pattern.compile(options.getOrDefault("only", ".*"));
		boolean quick = options.containsKey("quick");
		List<List<Run>> cells = cells().stream()
			.map((cell) -> cell.stream().filter((run) -> only.matcher(run.toString()).find()).toList())
			.filter((cell) -> !cell.isEmpty())
			.toList();
		List<RunResult> results = new ArrayList<>();
		List<Run> failures = new ArrayList<>();
		long start = System.nanoTime();
		System.setProperty("atomicfile.bench.dir", directory);
		boolean reaping = cells.stream().flatMap(List::stream).anyMatch((run) -> run.benchmark().startsWith("Reaper"));
		Path reapDirectory = reaping ? ReaperBenchmark.createEntries(BenchFiles.newDirectory("reap")) : null;
		try {
			String[] jvmArgs = { "-Datomicfile.bench.dir=" + directory,
					"-D" + ReaperBenchmark.SHARED_DIRECTORY + "=" + reapDirectory };
			runRounds(rounds, cells, reaping ? jvmArgs : new String[] { jvmArgs[0] }, quick, out, results, failures,
					start);
		}
		finally {
			BenchFiles.deleteRecursively(reapDirectory);
		}
		System.out.printf("%d runs in %.0f s, JSON in %s%n", results.size(), (System.nanoTime() - start) / 1e9, out);
		if (!failures.isEmpty()) {
			System.out.println("FAILED: " + failures);
			System.exit(1);
		}
	}

	private static void runRounds(int rounds, List<List<Run>> cells, String[] jvmArgs, boolean quick, Path out,
			List<RunResult> results, List<Run> failures, long start) throws IOException {
		for (int round = 0; round < rounds; round++) {
			for (List<Run> cell : cells) {
				List<Run> ordered = new ArrayList<>(cell);
				Collections.rotate(ordered, -round);
				for (Run run : ordered) {
					RunResult result;
					try {
						result = executeWhenFree(run, jvmArgs, quick);
					}
					catch (RunnerException ex) {
						// One broken benchmark must not cost the rest of a ten-minute run.
						failures.add(run);
						System.out.printf("round %d/%d FAILED %s: %s (rerun it with org.openjdk.jmh.Main to see why)%n",
								round + 1, rounds, run, ex.getMessage());
						continue;
					}
					results.add(result);
					System.out.printf("round %d/%d %6.0fs  %-70s %12.3f %s%n", round + 1, rounds,
							(System.nanoTime() - start) / 1e9, run, result.getPrimaryResult().getScore(),
							result.getPrimaryResult().getScoreUnit());
				}
			}
			write(results, out);
		}
	}

	/**
	 * Runs {@code run}, waiting while another JMH run on this machine holds JMH's lock: two runs at
	 * once would measure each other, and failing every fork at once would waste the whole suite.
	 */
	private static RunResult executeWhenFree(Run run, String[] jvmArgs, boolean quick) throws RunnerException {
		boolean told = false;
		while (true) {
			try {
				return run.execute(jvmArgs, quick);
			}
			catch (RunnerException ex) {
				if (ex.getMessage() == null || !ex.getMessage().contains("Unable to acquire the JMH lock")) {
					throw ex;
				}
				if (!told) {
					System.out.println("waiting: another JMH run holds " + System.getProperty("java.io.tmpdir")
							+ "/jmh.lock");
					told = true;
				}
				try {
					Thread.sleep(10_000);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	/**
	 * The runs, grouped in cells that are run back to back. Every benchmark interleaves the ways it
	 * compares inside its own fork; the cells only keep related forks close in time.
	 */
	static List<List<Run>> cells() {
		List<List<Run>> cells = new ArrayList<>();
		for (String payload : PAYLOADS) {
			List<Run> cell = new ArrayList<>();
			for (String durability : DURABILITIES) {
				cell.add(new Run("InterleavedWriteBenchmark.interleaved",
						Map.of("payloadBytes", payload, "durability", durability)));
			}
			cells.add(cell);
		}
		cells.add(List.of(new Run("ConcurrentWriteBenchmark.threads01", Map.of()),
				new Run("ConcurrentWriteBenchmark.threads04", Map.of()),
				new Run("ConcurrentWriteBenchmark.threads16", Map.of())));
		cells.add(List.of(new Run("ReaperBenchmark.pass", Map.of())));
		cells.add(List.of(new Run("CommitBenchmark.interleaved", Map.of("files", "100")),
				new Run("CommitBenchmark.interleaved", Map.of("files", "2")),
				new Run("CommitParallelismBenchmark.interleaved", Map.of()),
				new Run("DirectorySyncBenchmark.burst", Map.of())));
		cells.add(List.of(new Run("ObservationWriteBenchmark.interleaved", Map.of())));
		return cells;
	}

	private static void write(List<RunResult> results, Path out) throws IOException {
		Path parent = out.toAbsolutePath().getParent();
		Files.createDirectories(parent);
		Path partial = parent.resolve(out.getFileName() + ".part");
		try (PrintStream stream = new PrintStream(new FileOutputStream(partial.toFile()), false,
				StandardCharsets.UTF_8)) {
			ResultFormatFactory.getInstance(ResultFormatType.JSON, stream).writeOut(results);
		}
		Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("Unexpected argument " + args[i]);
			}
			String name = args[i].substring(2);
			if (name.equals("quick")) {
				options.put(name, "true");
			}
			else if (i + 1 < args.length) {
				options.put(name, args[++i]);
			}
			else {
				throw new IllegalArgumentException("--" + name + " needs a value");
			}
		}
		return options;
	}

	/** One benchmark method with fixed parameters, run as one fork. */
	record Run(String benchmark, Map<String, String> params) {

		RunResult execute(String[] jvmArgs, boolean quick) throws RunnerException {
			ChainedOptionsBuilder options = new OptionsBuilder().include("^" + Pattern.quote(PACKAGE + this.benchmark) + "$")
				.forks(1)
				.jvmArgsAppend(jvmArgs)
				.verbosity(VerboseMode.SILENT);
			this.params.forEach(options::param);
			if (quick) {
				options.warmupIterations(0).measurementIterations(2).measurementTime(TimeValue.milliseconds(100));
			}
			return new Runner(options.build()).runSingle();
		}

		@Override
		public String toString() {
			return this.benchmark + new java.util.TreeMap<>(this.params);
		}

	}

}
