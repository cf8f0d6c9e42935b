package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.atomicfile.CommitFixtures.leftovers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random commits. Single rounds: 1 to 30 targets, 0 B to 300 KiB each, in 1 to 4 nested
 * directories, new and existing, staged from bytes, strings and streams, through the lambda or
 * the handle, at every durability, some abandoned by a callback that throws halfway: each commit
 * is all or nothing. Concurrent rounds: 4 to 8 threads commit overlapping subsets of one set of
 * targets (some commits failing): afterwards every target holds one complete version of a commit
 * that succeeded and staged it (or its first content if none did), no failed commit is visible
 * anywhere, and the outcome is explained by one order of the commits in which each target holds
 * the last one that staged it ("last commit wins for all its targets"); in particular, of two
 * commits sharing targets, never does one win some shared targets and the other the rest.
 *
 * <p>{@code -Datomicfile.commit.rounds=N} (default 100; concurrent rounds are a quarter),
 * {@code -Datomicfile.commit.seed=S} (default: the clock). Every failure message names seed and
 * round.
 */
class CommitRandomizedTest {

	private static final int ROUNDS = Integer.getInteger("atomicfile.commit.rounds", 100);

	private static final long SEED = Long.getLong("atomicfile.commit.seed", System.nanoTime());

	private static final int MAX_SIZE = 300 * 1024;

	@TempDir
	static Path temp;

	static IntStream rounds() {
		return IntStream.range(0, ROUNDS);
	}

	static IntStream concurrentRounds() {
		return IntStream.range(0, Math.max(1, ROUNDS / 4));
	}

	@ParameterizedTest(name = "round {0}")
	@MethodSource("rounds")
	void everyCommitIsAllOrNothing(int round) throws Exception {
		SplittableRandom random = random(round, 1);
		String where = where(round);
		Path base = Files.createDirectory(temp.resolve("single-" + round));
		List<Path> directories = directories(random, base);
		int count = random.nextInt(1, 31);
		Map<Path, byte[]> before = new LinkedHashMap<>();
		Map<Path, byte[]> after = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			Path target = directories.get(random.nextInt(directories.size())).resolve("t" + i + ".bin");
			byte[] old = random.nextBoolean() ? bytes(random, random.nextInt(2048)) : null;
			if (old != null) {
				Files.write(target, old);
			}
			before.put(target, old);
			after.put(target, bytes(random, size(random)));
		}
		int failAt = (random.nextInt(10) < 3) ? random.nextInt(count) : -1;
		boolean lambda = random.nextBoolean();
		Durability durability = Durability.values()[random.nextInt(Durability.values().length)];
		long methods = random.nextLong();
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(durability).build();
		String plan = where + ": " + count + " targets in " + directories.size() + " directories, "
				+ (lambda ? "lambda" : "handle") + ", " + durability + ", fail at " + failAt;

		Throwable thrown = null;
		try {
			if (lambda) {
				writer.commit((batch) -> stage(batch, after, failAt, methods));
			}
			else {
				try (CommitBatch batch = writer.newBatch()) {
					stage(batch, after, failAt, methods);
					batch.commit();
				}
			}
		}
		catch (Throwable ex) {
			thrown = ex;
		}

		if (failAt < 0) {
			assertThat(thrown).as(plan).isNull();
			assertContents(after, plan);
		}
		else {
			assertThat(thrown).as(plan).isInstanceOf(CallbackFailure.class);
			assertContents(before, plan);
		}
		assertThat(leftovers(base)).as("temps and records left, %s", plan).isEmpty();
	}

	@ParameterizedTest(name = "round {0}")
	@MethodSource("concurrentRounds")
	void concurrentCommitsWithOverlappingTargetsLeaveOneOrderOfWholeCommits(int round) throws Exception {
		SplittableRandom random = random(round, 2);
		String where = where(round);
		Path base = Files.createDirectory(temp.resolve("concurrent-" + round));
		List<Path> directories = List.of(Files.createDirectory(base.resolve("a")),
				Files.createDirectories(base.resolve("b").resolve("c")));
		List<Path> pool = new ArrayList<>();
		Map<Path, byte[]> initial = new HashMap<>();
		for (int i = 0; i < 8; i++) {
			Path target = directories.get(i % 2).resolve("shared-" + i + ".txt");
			pool.add(target);
			if (random.nextBoolean()) {
				Files.write(target, content("initial", target));
				initial.put(target, content("initial", target));
			}
		}
		int threads = random.nextInt(4, 9);
		List<Plan> plans = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int commits = random.nextInt(3, 7);
			for (int c = 0; c < commits; c++) {
				List<Path> shuffled = new ArrayList<>(pool);
				for (int i = shuffled.size() - 1; i > 0; i--) {
					java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
				}
				List<Path> targets = List.copyOf(shuffled.subList(0, random.nextInt(2, 7)));
				boolean fails = random.nextInt(5) == 0;
				plans.add(new Plan(t, t + "-" + c, targets, fails ? random.nextInt(targets.size()) : -1));
			}
		}
		Durability durability = random.nextBoolean() ? Durability.NONE : Durability.FILE;
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(durability).build();
		Set<String> committed = ConcurrentHashMap.newKeySet();
		Map<String, Throwable> unexpected = new ConcurrentHashMap<>();

		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> running = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				running.add(executor.submit(() -> {
					start.await();
					for (Plan plan : plans) {
						if (plan.thread() == thread) {
							run(writer, plan, committed, unexpected);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> thread : running) {
				thread.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		String context = where + ", " + threads + " threads, " + durability;
		assertThat(unexpected).as("unexpected failures, %s", context).isEmpty();
		Map<String, Plan> byId = new HashMap<>();
		plans.forEach((plan) -> byId.put(plan.id(), plan));
		Map<Path, String> winners = new HashMap<>();
		for (Path target : pool) {
			String winner = winner(target, initial, context);
			winners.put(target, winner);
			List<String> candidates = plans.stream()
				.filter((plan) -> committed.contains(plan.id()) && plan.targets().contains(target))
				.map(Plan::id)
				.toList();
			if (candidates.isEmpty()) {
				assertThat(winner).as("%s untouched by any successful commit, %s", target, context).isEqualTo("initial");
			}
			else {
				assertThat(winner).as("%s holds a successful commit that staged it, %s", target, context)
					.isIn(candidates);
			}
		}
		assertPairwiseConsistent(committed, byId, winners, context);
		assertOneOrderExplainsEveryTarget(committed, byId, winners, context);
		assertThat(leftovers(base)).as("temps and records left, %s", context).isEmpty();
	}

	private static void run(AtomicFileWriter writer, Plan plan, Set<String> committed, Map<String, Throwable> unexpected) {
		try {
			writer.commit((batch) -> {
				for (int i = 0; i < plan.targets().size(); i++) {
					Path target = plan.targets().get(i);
					byte[] content = content(plan.id(), target);
					if (i == plan.failAt()) {
						batch.write(target, (out) -> {
							out.write(content, 0, content.length / 2);
							throw new CallbackFailure("planned failure of " + plan.id());
						});
					}
					batch.write(target, content);
				}
			});
			if (plan.failAt() >= 0) {
				unexpected.put(plan.id(), new AssertionError("commit " + plan.id() + " should have failed"));
			}
			committed.add(plan.id());
		}
		catch (CallbackFailure ex) {
			if (plan.failAt() < 0) {
				unexpected.put(plan.id(), ex);
			}
		}
		catch (Throwable ex) {
			unexpected.put(plan.id(), ex);
		}
	}

	/** The commit whose complete content {@code target} holds, or "initial". */
	private static String winner(Path target, Map<Path, byte[]> initial, String context) throws IOException {
		if (!Files.exists(target)) {
			assertThat(initial).as("%s vanished, %s", target, context).doesNotContainKey(target);
			return "initial";
		}
		byte[] bytes = Files.readAllBytes(target);
		String text = new String(bytes, StandardCharsets.UTF_8);
		String id = text.substring("commit ".length(), Math.max("commit ".length(), text.indexOf(' ', "commit ".length())));
		assertThat(bytes).as("%s holds one complete version (%s), %s", target, id, context)
			.isEqualTo(content(id, target));
		return id;
	}

	/** Of two successful commits sharing targets, one wins every shared target the two hold between them. */
	private static void assertPairwiseConsistent(Set<String> committed, Map<String, Plan> byId,
			Map<Path, String> winners, String context) {
		List<String> ids = List.copyOf(committed);
		for (int i = 0; i < ids.size(); i++) {
			for (int j = i + 1; j < ids.size(); j++) {
				Plan x = byId.get(ids.get(i));
				Plan y = byId.get(ids.get(j));
				Set<String> won = new HashSet<>();
				for (Path shared : x.targets()) {
					String winner = winners.get(shared);
					if (y.targets().contains(shared) && (winner.equals(x.id()) || winner.equals(y.id()))) {
						won.add(winner);
					}
				}
				assertThat(won).as("commits %s and %s each won some shared targets, %s", x.id(), y.id(), context)
					.hasSizeLessThanOrEqualTo(1);
			}
		}
	}

	/**
	 * Some order of the successful commits gives every target its winner as the last commit that
	 * staged it: each other commit that staged the target came before the winner. Such an order
	 * exists exactly when these "came before" edges have no cycle.
	 */
	private static void assertOneOrderExplainsEveryTarget(Set<String> committed, Map<String, Plan> byId,
			Map<Path, String> winners, String context) {
		Map<String, Set<String>> before = new HashMap<>();
		for (Map.Entry<Path, String> entry : winners.entrySet()) {
			if (!committed.contains(entry.getValue())) {
				continue;
			}
			for (String id : committed) {
				if (!id.equals(entry.getValue()) && byId.get(id).targets().contains(entry.getKey())) {
					before.computeIfAbsent(entry.getValue(), (key) -> new HashSet<>()).add(id);
				}
			}
		}
		Map<String, Integer> state = new HashMap<>();
		for (String id : committed) {
			List<String> cycle = cycleFrom(id, before, state, new ArrayList<>());
			assertThat(cycle).as("no order of the commits explains the targets (cycle %s; winners %s), %s", cycle,
					winners, context).isEmpty();
		}
	}

	/** Depth-first search; 1 = on the path, 2 = done. */
	private static List<String> cycleFrom(String id, Map<String, Set<String>> before, Map<String, Integer> state,
			List<String> path) {
		Integer seen = state.get(id);
		if (seen != null) {
			return (seen == 1) ? new ArrayList<>(path.subList(path.indexOf(id), path.size())) : List.of();
		}
		state.put(id, 1);
		path.add(id);
		for (String earlier : before.getOrDefault(id, Set.of())) {
			List<String> cycle = cycleFrom(earlier, before, state, path);
			if (!cycle.isEmpty()) {
				return cycle;
			}
		}
		path.remove(path.size() - 1);
		state.put(id, 2);
		return List.of();
	}

	/** Stages every target in order; the one at {@code failAt} throws halfway through its stream. */
	private static void stage(CommitBatch batch, Map<Path, byte[]> contents, int failAt, long methods)
			throws IOException {
		SplittableRandom random = new SplittableRandom(methods);
		int i = 0;
		for (Map.Entry<Path, byte[]> entry : contents.entrySet()) {
			Path target = entry.getKey();
			byte[] content = entry.getValue();
			if (i++ == failAt) {
				batch.write(target, (out) -> {
					out.write(content, 0, content.length / 2);
					throw new CallbackFailure("planned failure at " + target);
				});
			}
			switch (random.nextInt(3)) {
				case 0 -> batch.write(target, content);
				case 1 -> batch.writeString(target, new String(content, StandardCharsets.ISO_8859_1),
						StandardCharsets.ISO_8859_1);
				default -> batch.write(target, (out) -> {
					int offset = 0;
					while (offset < content.length) {
						int chunk = Math.min(content.length - offset, 1 + random.nextInt(100_000));
						out.write(content, offset, chunk);
						offset += chunk;
					}
				});
			}
		}
	}

	private static void assertContents(Map<Path, byte[]> expected, String plan) throws IOException {
		for (Map.Entry<Path, byte[]> entry : expected.entrySet()) {
			if (entry.getValue() == null) {
				assertThat(Files.exists(entry.getKey())).as("%s exists, %s", entry.getKey(), plan).isFalse();
			}
			else {
				byte[] actual = Files.readAllBytes(entry.getKey());
				assertThat(Arrays.equals(actual, entry.getValue()))
					.as("%s holds %s bytes, expected %s, %s", entry.getKey(), actual.length, entry.getValue().length, plan)
					.isTrue();
			}
		}
	}

	/** 1 to 4 directories, each at the round's base or inside an earlier one. */
	private static List<Path> directories(SplittableRandom random, Path base) throws IOException {
		List<Path> directories = new ArrayList<>();
		int count = random.nextInt(1, 5);
		for (int i = 0; i < count; i++) {
			Path parent = (directories.isEmpty() || random.nextBoolean()) ? base
					: directories.get(random.nextInt(directories.size()));
			directories.add(Files.createDirectory(parent.resolve("d" + i)));
		}
		return directories;
	}

	/** Mostly small, sometimes empty, now and then up to 300 KiB. */
	private static int size(SplittableRandom random) {
		int kind = random.nextInt(20);
		if (kind < 2) {
			return 0;
		}
		if (kind < 14) {
			return random.nextInt(1, 4096);
		}
		if (kind < 19) {
			return random.nextInt(4096, 64 * 1024);
		}
		return random.nextInt(64 * 1024, MAX_SIZE + 1);
	}

	private static byte[] bytes(SplittableRandom random, int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) random.nextInt(256);
		}
		return bytes;
	}

	/** What commit {@code id} gives {@code target}: names both, so that any mix-up shows. */
	private static byte[] content(String id, Path target) {
		return ("commit " + id + " of " + target.getFileName() + "\n" + ("payload of " + id + ";").repeat(40))
			.getBytes(StandardCharsets.UTF_8);
	}

	private static SplittableRandom random(int round, int kind) {
		return new SplittableRandom(SEED * 31 + round * 1_000_003L + kind);
	}

	private static String where(int round) {
		return "seed " + SEED + " round " + round + " (rerun with -Datomicfile.commit.seed=" + SEED + ")";
	}

	/** One planned commit of a concurrent round. */
	private record Plan(int thread, String id, List<Path> targets, int failAt) {
	}

	/** What a planned failing callback throws. */
	static final class CallbackFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		CallbackFailure(String message) {
			super(message);
		}

	}

}
