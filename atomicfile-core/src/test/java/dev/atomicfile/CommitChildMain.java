package dev.atomicfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.atomicfile.testsupport.CommitFiles;
import dev.atomicfile.testsupport.CommitFiles.Target;

/**
 * A child JVM that commits the targets of a crash or fault test ({@link CommitFiles.Target}s), for
 * the tests to kill it or fail its system calls from outside.
 *
 * <p>Arguments: {@code <mode> <durability> <fsyncParallelism, 0 for the default> <mode argument>
 * <target>...}, each target as {@link Target#argument()}.
 * <ul>
 * <li>{@code loop <first>}: commits {@code first}, {@code first + 1}, … endlessly; commit {@code c}
 * gives every target its commit-{@code c} payload and creates one new file,
 * {@link #freshTarget(List, long)}, and once it returns the child prints
 * {@code committed <c> <nanoseconds it took> <System.nanoTime() when it returned> end} (or dies of
 * the exception);</li>
 * <li>{@code once <warm-up directory>}: makes two commits of the same shape in subdirectories of the
 * warm-up directory (classes loaded, code paths run once: what the traced commit does is the
 * commit's own work), prints {@code READY <thread id>} (the committing thread's Linux id, for
 * strace to attach to), waits for a line on its standard input, prints {@code BEGIN}, makes commit 1
 * and prints {@code END ok} or {@code END failed incomplete=<true|false> <exception>}.</li>
 * </ul>
 * Even targets are staged from a byte array, odd ones streamed in chunks; even commits go through
 * {@link AtomicFileWriter#commit(CommitContent)}, odd ones through {@link AtomicFileWriter#newBatch()}.
 */
public final class CommitChildMain {

	private CommitChildMain() {
	}

	public static void main(String[] args) throws Exception {
		AtomicFileWriter.Builder builder = AtomicFileWriter.builder().durability(Durability.valueOf(args[1]));
		int parallelism = Integer.parseInt(args[2]);
		if (parallelism > 0) {
			builder.fsyncParallelism(parallelism);
		}
		AtomicFileWriter writer = builder.build();
		List<Target> targets = new ArrayList<>();
		for (int i = 4; i < args.length; i++) {
			targets.add(Target.parse(i - 4, args[i]));
		}
		if (args[0].equals("loop")) {
			for (long commit = Long.parseLong(args[3]);; commit++) {
				List<Target> all = new ArrayList<>(targets);
				all.add(freshTarget(targets, commit));
				long start = System.nanoTime();
				commit(writer, all, commit);
				long returned = System.nanoTime();
				System.out.println("committed " + commit + " " + (returned - start) + " " + returned + " end");
			}
		}
		once(writer, targets, Path.of(args[3]));
	}

	/**
	 * The file commit {@code commit} of a loop creates: {@code fresh-<commit>.bin}, in the directory
	 * of target {@code commit % targets}; it proves that a commit's new files appear with it.
	 */
	public static Target freshTarget(List<Target> targets, long commit) {
		Path directory = targets.get((int) (commit % targets.size())).path().getParent();
		return new Target(targets.size(), 0, directory.resolve("fresh-" + commit + ".bin"));
	}

	private static void once(AtomicFileWriter writer, List<Target> targets, Path warmUp) throws Exception {
		List<Path> directories = CommitFiles.directories(targets);
		List<Target> rehearsal = new ArrayList<>();
		for (Target target : targets) {
			Path directory = warmUp.resolve(String.valueOf(directories.indexOf(target.path().getParent())));
			Files.createDirectories(directory);
			rehearsal.add(new Target(target.index(), target.sizeClass(), directory.resolve(target.path().getFileName())));
		}
		// Once to create the files, once to replace them: both paths have run before the traced commit.
		commit(writer, rehearsal, 1);
		commit(writer, rehearsal, 2);
		System.out.println("READY " + Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName());
		String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
		if (go == null) {
			return;
		}
		System.out.println("BEGIN");
		try {
			commit(writer, targets, 1);
			System.out.println("END ok");
		}
		catch (IOException | RuntimeException ex) {
			System.out.println("END failed incomplete=" + (ex instanceof IncompleteCommitException) + " "
					+ String.valueOf(ex).replace('\n', ' ') + " (cause: " + String.valueOf(ex.getCause()).replace('\n', ' ')
					+ ")");
		}
	}

	private static void commit(AtomicFileWriter writer, List<Target> targets, long commit) throws IOException {
		if (commit % 2 == 0) {
			writer.commit((batch) -> stage(batch, targets, commit));
		}
		else {
			try (CommitBatch batch = writer.newBatch()) {
				stage(batch, targets, commit);
				batch.commit();
			}
		}
	}

	private static void stage(CommitBatch batch, List<Target> targets, long commit) throws IOException {
		for (Target target : targets) {
			byte[] payload = target.payload(commit);
			if (target.index() % 2 == 0) {
				batch.write(target.path(), payload);
			}
			else {
				batch.write(target.path(), (out) -> {
					// Odd-sized chunks: the writer's buffer boundaries fall inside them.
					for (int offset = 0; offset < payload.length; offset += 65_537) {
						out.write(payload, offset, Math.min(65_537, payload.length - offset));
					}
				});
			}
		}
	}

}
