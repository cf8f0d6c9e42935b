package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.atomicfile.OrphanReaper;
import dev.atomicfile.TempFileNames;

/**
 * One reaping pass over a directory of 100,000 entries of which 1,000 are orphaned temp files of
 * dead writers: the library's {@link OrphanReaper} against a hand-written {@link DirectoryStream}
 * loop that deletes the same files by name alone, interleaved pass by pass ({@link PairClock}: the
 * {@code rawNs}/{@code libraryNs} counters are what to compare; the primary score mixes both).
 * Building the directory and recreating the orphans before each pass are not timed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 6)
@Measurement(iterations = 30)
public class ReaperBenchmark {

	static final int ENTRIES = 100_000;

	static final int ORPHANS = 1_000;

	/**
	 * A directory already holding the {@link #ENTRIES} minus {@link #ORPHANS} ordinary files, built
	 * once by {@link Suite} for all forks: building it takes longer than the passes themselves.
	 */
	static final String SHARED_DIRECTORY = "atomicfile.bench.reap.dir";

	/** Fills {@code directory} with the ordinary files that every pass scans past; returns it. */
	static Path createEntries(Path directory) throws IOException {
		for (int i = 0; i < ENTRIES - ORPHANS; i++) {
			Files.createFile(directory.resolve(String.format("doc-%06d.json", i)));
		}
		return directory;
	}

	/** One pass, by the library or the raw loop in turn (each pair in random order). */
	@Benchmark
	public long pass(Directory directory, PairClock clock) throws IOException {
		int way = clock.nextWay();
		long start = System.nanoTime();
		long deleted = (way == PairClock.RAW) ? raw(directory.path) : directory.reaper.reap(directory.path).reaped();
		clock.record(way, System.nanoTime() - start);
		directory.deleted = deleted;
		return deleted;
	}

	/** The hand-written floor: one streaming pass, a name check, a delete. */
	static long raw(Path directory) throws IOException {
		long deleted = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				if (TempFileNames.isTempFileName(entry.getFileName().toString())) {
					Files.delete(entry);
					deleted++;
				}
			}
		}
		return deleted;
	}

	/** The big directory; its orphans are recreated before every pass. */
	@State(Scope.Benchmark)
	public static class Directory {

		final OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ZERO).build();

		final List<String> orphanNames = new ArrayList<>();

		Path path;

		long deleted;

		/** Set when the directory is shared between forks: then it is neither built nor deleted here. */
		private boolean shared;

		@Setup(Level.Trial)
		public void create() throws IOException {
			String given = System.getProperty(SHARED_DIRECTORY);
			this.shared = given != null;
			this.path = this.shared ? Path.of(given) : createEntries(BenchFiles.newDirectory("reap"));
			// Well-formed names of a dead writer (pid 4242, its nonce, thread 1): minAge is zero, so
			// each one is judged by its free lock, the path every real orphan takes.
			for (int i = 0; i < ORPHANS; i++) {
				this.orphanNames.add(String.format("doc-%06d.json.tmp.af-4242-0badcafe-1-%d", i * 97, i));
			}
		}

		@Setup(Level.Invocation)
		public void recreateOrphans() throws IOException {
			for (String name : this.orphanNames) {
				Files.createFile(this.path.resolve(name));
			}
			this.deleted = -1;
		}

		@TearDown(Level.Invocation)
		public void checkAllOrphansDeleted() {
			if (this.deleted != ORPHANS) {
				throw new IllegalStateException("A pass deleted " + this.deleted + " of " + ORPHANS + " orphans");
			}
		}

		@TearDown(Level.Trial)
		public void delete() throws IOException {
			if (!this.shared) {
				BenchFiles.deleteRecursively(this.path);
			}
		}

	}

}
