package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.atomicfile.AtomicFileWriter;

/**
 * The targets of the commit benchmarks: per way its own directory of existing 0640 files, so that
 * each way's directory fsync covers its own renames only, and the checks that every way left
 * exactly its targets, holding the payload, behind.
 */
final class Batches {

	final byte[] bytes = BenchFiles.payload(CommitBenchmark.PAYLOAD_BYTES);

	Path[][] targets;

	private Path directory;

	void create(String prefix, int ways, int files) throws IOException {
		this.directory = BenchFiles.newDirectory(prefix);
		this.targets = new Path[ways][files];
		for (int way = 0; way < ways; way++) {
			Path wayDirectory = Files.createDirectory(this.directory.resolve("way-" + way));
			for (int i = 0; i < files; i++) {
				this.targets[way][i] = BenchFiles.existingTarget(wayDirectory.resolve(String.format("doc-%03d.bin", i)),
						new byte[100]);
			}
		}
	}

	/** Replaces every target all or nothing, the way an application would call it. */
	static void commit(AtomicFileWriter writer, Path[] targets, byte[] bytes) throws IOException {
		writer.commit((batch) -> {
			for (Path target : targets) {
				batch.write(target, bytes);
			}
		});
	}

	/** Fails the trial if a target misses the payload or its mode, or anything else was left. */
	void verifyAndDelete() throws IOException {
		if (this.directory == null) {
			return;
		}
		try {
			for (Path[] wayTargets : this.targets) {
				for (Path target : wayTargets) {
					BenchFiles.verifyTarget(target, this.bytes);
				}
				try (var entries = Files.list(wayTargets[0].getParent())) {
					if (entries.count() != wayTargets.length) {
						throw new IllegalStateException("Temp files or records were left in " + wayTargets[0].getParent());
					}
				}
			}
		}
		finally {
			// A failed check (or a --quick run too short for every way) must not leave 700 files in /tmp.
			BenchFiles.deleteRecursively(this.directory);
		}
	}

}
