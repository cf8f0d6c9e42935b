package dev.atomicfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.CommitFiles;
import dev.atomicfile.testsupport.CommitFiles.Target;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.GenerationPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a committing child JVM ({@link CommitChildMain} in its loop) with SIGKILL at random instants,
 * {@code atomicfile.commit.kills} times (200 by default; CI raises it): after each kill, recovery and
 * a reaper pass as at the next start, every target holds the content of one and the same commit, at
 * least the last one the child reported done and at most the one after it, whole; the new file each
 * commit creates exists exactly for the commits that happened; no temp and no record is left.
 *
 * <p>Each round draws (seeded; {@code -Datomicfile.commit.seed} repeats a run) 2 to 20 targets with
 * payloads from bytes to MiB, spread over two directories and, as root, a third on a tmpfs (another
 * file system: a commit spanning two file systems), a quarter of them absent before the first commit,
 * a durability level and an fsync parallelism.
 */
class CommitCrashTest {

	private static final Durability[] LEVELS = Durability.values();

	/**
	 * Size classes of {@link GenerationPayload}, weighted towards the small: 0 and 1 often, 3 (0.5 to
	 * 1.5 MB) rarely; 4 (2 to 4 MB) never, to keep 200 kills within a minute or two.
	 */
	private static final int[] SIZE_CLASSES = { 0, 0, 0, 1, 1, 1, 2, 2, 3 };

	@TempDir
	Path scratch;

	@Test
	void killedCommitterLeavesEveryTargetOfOneCommitAfterRecovery() throws Exception {
		int kills = Integer.getInteger("atomicfile.commit.kills", 200);
		long seed = Long.getLong("atomicfile.commit.seed", System.nanoTime());
		SplittableRandom random = new SplittableRandom(seed);
		Path disk = Files.createDirectory(this.scratch.resolve("disk"));
		Path tmpfs = null;
		if (ChildJvm.isRoot()) {
			tmpfs = Files.createDirectory(this.scratch.resolve("tmpfs"));
			Commands.mountTmpfs(tmpfs, "256m");
		}
		int rolledForwardByRecovery = 0;
		int rolledBack = 0;
		int inFlightCommitted = 0;
		long started = System.nanoTime();
		try {
			for (int kill = 0; kill < kills; kill++) {
				String context = "seed " + seed + " (-Datomicfile.commit.seed), kill " + kill;
				Round round = Round.draw(random, kill, disk, tmpfs);
				try {
					killMidLoop(round, random, context + " " + round);
					CommitFiles.Recovered recovered = CommitFiles.settle(round.directories(), context);
					long commit = round.verdict(context + " " + round);
					rolledForwardByRecovery += (int) recovered.completed();
					rolledBack += (int) recovered.rolledBack();
					inFlightCommitted += (commit > round.acknowledged) ? 1 : 0;
				}
				finally {
					round.delete();
				}
			}
		}
		finally {
			if (tmpfs != null) {
				Commands.umount(tmpfs);
			}
		}
		System.out.printf("CommitCrashTest: %d kills in %d s (%s), seed %d: %d found the commit in flight done, "
				+ "recovery rolled %d forward and %d back%n", kills, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
				(tmpfs != null) ? "a directory on a tmpfs" : "not root: no second file system", seed, inFlightCommitted,
				rolledForwardByRecovery, rolledBack);
	}

	/**
	 * Starts the committing child, waits for 1 or 2 commits to be reported and kills it after a random
	 * part of one commit's duration.
	 */
	private void killMidLoop(Round round, SplittableRandom random, String context) throws Exception {
		int awaited = random.nextInt(1, 3);
		double jitter = random.nextDouble(1.25);
		List<String> args = new ArrayList<>(List.of("loop", round.level.name(), String.valueOf(round.parallelism), "1"));
		round.targets.forEach((target) -> args.add(target.argument()));
		Process child = ChildJvm.start(CommitChildMain.class, args.toArray(String[]::new));
		// A stuck child ends the round with a failure instead of hanging the build.
		CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES).execute(child::destroyForcibly);
		BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		try {
			long previous = System.nanoTime();
			long interval = 1;
			for (int i = 0; i < awaited; i++) {
				round.accept(lines.readLine(), context);
				long now = System.nanoTime();
				interval = now - previous;
				previous = now;
			}
			// Jitter, not synchronisation: the child is committing already; this only spreads the kills.
			long deadline = System.nanoTime() + (long) (jitter * interval);
			while (System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
		}
		finally {
			// Through the handle: Process.destroyForcibly would also close the pipe with the last lines.
			child.toHandle().destroyForcibly();
			child.waitFor();
		}
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			round.accept(line, context);
		}
	}

	/** One round's layout, drawn from the seed, and what its child reported. */
	private static final class Round {

		final List<Path> directories;

		final List<Target> targets;

		final Durability level;

		/** 0: the default. */
		final int parallelism;

		long acknowledged;

		private Round(List<Path> directories, List<Target> targets, Durability level, int parallelism) {
			this.directories = directories;
			this.targets = targets;
			this.level = level;
			this.parallelism = parallelism;
		}

		static Round draw(SplittableRandom random, int kill, Path disk, Path tmpfs) throws IOException {
			List<Path> directories = new ArrayList<>();
			directories.add(Files.createDirectories(disk.resolve(kill + "-a")));
			directories.add(Files.createDirectories(disk.resolve(kill + "-b")));
			if (tmpfs != null) {
				directories.add(Files.createDirectories(tmpfs.resolve(kill + "-c")));
			}
			int files = random.nextInt(2, 21);
			List<Target> targets = new ArrayList<>();
			for (int i = 0; i < files; i++) {
				// The first targets cover every directory; the rest fall anywhere.
				Path directory = directories.get((i < directories.size()) ? i : random.nextInt(directories.size()));
				targets.add(new Target(i, SIZE_CLASSES[random.nextInt(SIZE_CLASSES.length)],
						directory.resolve("target-" + i + ".bin")));
			}
			// A quarter are new: the first commit creates them.
			CommitFiles.writeInitial(targets.stream().filter((target) -> random.nextInt(4) != 0).toList());
			return new Round(directories, targets, LEVELS[random.nextInt(LEVELS.length)],
					new int[] { 0, 1, 2, 4 }[random.nextInt(4)]);
		}

		List<Path> directories() {
			return this.directories;
		}

		/** Takes one line of the child's: {@code committed <c> … end}; a line cut short by the kill is no report. */
		void accept(String line, String context) {
			assertThat(line).as("%s: the child's report", context).isNotNull();
			String[] words = line.split(" ");
			if (words.length == 5 && words[0].equals("committed") && words[4].equals("end")) {
				long commit = Long.parseLong(words[1]);
				assertThat(commit).as("%s: reports in order", context).isEqualTo(this.acknowledged + 1);
				this.acknowledged = commit;
			}
		}

		/**
		 * Every target holds one commit's content: the last one reported done or the one in flight
		 * (which may have completed, by itself or by recovery), and the new files exist for exactly
		 * the commits up to it.
		 */
		long verdict(String context) throws IOException {
			String reported = context + ", last commit reported done " + this.acknowledged;
			assertThat(this.acknowledged).as("%s: the kill came after a reported commit", reported).isPositive();
			Map<Target, Long> state = CommitFiles.state(this.targets, reported);
			assertThat(state.values().stream().distinct()).as("%s: commits the targets hold: %s", reported, state)
				.hasSize(1);
			long commit = state.values().iterator().next();
			assertThat(commit).as("%s: the targets' commit", reported)
				.isBetween(this.acknowledged, this.acknowledged + 1);
			for (long c = 1; c <= commit + 1; c++) {
				Target fresh = CommitChildMain.freshTarget(this.targets, c);
				assertThat(fresh.commit(reported)).as("%s: %s", reported, fresh).isEqualTo((c <= commit) ? c : -1);
			}
			return commit;
		}

		void delete() throws IOException {
			for (Path directory : this.directories) {
				try (Stream<Path> entries = Files.list(directory)) {
					for (Path entry : entries.toList()) {
						Files.delete(entry);
					}
				}
				Files.delete(directory);
			}
		}

		@Override
		public String toString() {
			return "(" + this.targets.size() + " targets in " + this.directories.size() + " directories, "
					+ this.level + ", fsyncParallelism " + ((this.parallelism == 0) ? "default" : this.parallelism) + ")";
		}

	}

}
