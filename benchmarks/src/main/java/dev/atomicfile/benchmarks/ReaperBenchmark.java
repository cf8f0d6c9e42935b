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
import dev.atomicfile.ReapReport;

/**
 * One reaping pass over a directory of 100,000 entries of which 1,000 are orphaned temp files of
 * dead writers: the library's {@link OrphanReaper} against a hand-written {@link DirectoryStream}
 * loop that deletes the same files by name alone. Building the directory and recreating the orphans
 * before each pass are not timed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
public class ReaperBenchmark {

	static final int ENTRIES = 100_000;

	static final int ORPHANS = 1_000;

	/** What a hand-written loop checks: the library's temp marker. */
	private static final String MARKER = ".tmp.af-";

	@Benchmark
	public ReapReport library(Directory directory) {
		ReapReport report = directory.reaper.reap(directory.path);
		directory.deleted = report.reaped();
		return report;
	}

	@Benchmark
	public int raw(Directory directory) throws IOException {
		int deleted = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.path)) {
			for (Path entry : entries) {
				if (entry.getFileName().toString().contains(MARKER)) {
					Files.delete(entry);
					deleted++;
				}
			}
		}
		directory.deleted = deleted;
		return deleted;
	}

	/** The big directory; its orphans are recreated before every pass. */
	@State(Scope.Benchmark)
	public static class Directory {

		final OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ZERO).build();

		final List<String> orphanNames = new ArrayList<>();

		Path path;

		long deleted;

		@Setup(Level.Trial)
		public void create() throws IOException {
			this.path = BenchFiles.newDirectory("reap");
			for (int i = 0; i < ENTRIES - ORPHANS; i++) {
				Files.createFile(this.path.resolve(String.format("doc-%06d.json", i)));
			}
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
			BenchFiles.deleteRecursively(this.path);
		}

	}

}
