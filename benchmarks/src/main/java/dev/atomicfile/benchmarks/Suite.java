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
import java.util.concurrent.TimeUnit;
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
 * Runs the whole suite interleaved, for a shared, noisy machine: each round runs every benchmark
 * once (one fork each), and the benchmarks that are compared with one another run back to back, in
 * an order rotated from round to round. A burst of load from another process then hits a library
 * run and its raw floor alike, instead of all library runs of {@code -f 3}, which JMH runs minutes
 * away from the raw ones. One JMH JSON file collects every fork; {@code report.py} turns it into the
 * tables of BENCHMARKS.md.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.atomicfile.benchmarks.Suite [--rounds 3]
 *     [--out benchmarks/results.json] [--dir /tmp] [--only REGEX] [--quick]
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
		Path out = Path.of(options.getOrDefault("out", "benchmarks/results.json"));
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
		for (int round = 0; round < rounds; round++) {
			for (List<Run> cell : cells) {
				List<Run> ordered = new ArrayList<>(cell);
				Collections.rotate(ordered, -round);
				for (Run run : ordered) {
					RunResult result;
					try {
						result = run.execute(directory, quick);
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
		System.out.printf("%d runs in %.0f s, JSON in %s%n", results.size(), (System.nanoTime() - start) / 1e9, out);
		if (!failures.isEmpty()) {
			System.out.println("FAILED: " + failures);
			System.exit(1);
		}
	}

	/** The groups of benchmarks that are compared with one another, each run back to back. */
	static List<List<Run>> cells() {
		List<List<Run>> cells = new ArrayList<>();
		for (String payload : PAYLOADS) {
			for (String durability : DURABILITIES) {
				Map<String, String> params = Map.of("payloadBytes", payload, "durability", durability);
				List<Run> cell = new ArrayList<>();
				for (String method : List.of("raw", "rawLocked", "library", "libraryListener")) {
					cell.add(new Run("WriteBenchmark." + method, params));
				}
				cell.add(new Run("SpringBeanBenchmark.springBean", params));
				if (durability.equals("NONE")) {
					cell.add(new Run("WriteBenchmark.filesWrite", Map.of("payloadBytes", payload)));
				}
				cells.add(cell);
			}
		}
		for (String threads : List.of("01", "04", "16")) {
			cells.add(List.of(new Run("ConcurrentWriteBenchmark.raw" + threads, Map.of()),
					new Run("ConcurrentWriteBenchmark.library" + threads, Map.of())));
		}
		cells.add(List.of(new Run("ReaperBenchmark.raw", Map.of()), new Run("ReaperBenchmark.library", Map.of())));
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

		RunResult execute(String directory, boolean quick) throws RunnerException {
			ChainedOptionsBuilder options = new OptionsBuilder().include("^" + Pattern.quote(PACKAGE + this.benchmark) + "$")
				.forks(1)
				.jvmArgsAppend("-Datomicfile.bench.dir=" + directory)
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
