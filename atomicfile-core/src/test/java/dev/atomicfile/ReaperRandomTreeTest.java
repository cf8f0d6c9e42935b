package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.TreeSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random trees of orphans (locked, unlocked and this process's own), live temp files,
 * lookalike names, legacy names, nested directories, {@code writeFile} temp directories (dead,
 * live, empty, unlocked, this process's own, and temp-named ones the writer never makes) and
 * symbolic links inside and outside the root. After each pass exactly
 * the reapable orphans are gone, everything else under the root is byte-identical, nothing outside
 * the root changed, and the report counts what the tree holds. Reproduce one tree with
 * {@code -Datomicfile.random.seed=<seed> -Datomicfile.random.trees=1}.
 */
class ReaperRandomTreeTest {

	private static final int TREES = Integer.getInteger("atomicfile.random.trees", 200);

	private static final long FIRST_SEED = Long.getLong("atomicfile.random.seed", new SplittableRandom().nextLong());

	private static final List<String> LEGACY_PATTERNS = List.of("*.tmp.[0-9]*", "index.faiss.tmp");

	/** A real file name that the legacy pattern {@code *.tmp.[0-9]*} matches too. */
	private static final String LEGACY_LOOKING = "v.tmp.3";

	/** Target names for orphans and live writes: metacharacters, a name matching a legacy pattern, a long one. */
	private static final List<String> TARGETS = List.of("data.json", "data[v2].json", "a*b?.bin", LEGACY_LOOKING, "x.tmp",
			".hidden", "name with spaces", "é".repeat(100) + ".long");

	/** Names that are not ours, and whether a legacy pattern matches them. */
	private static final Map<String, Boolean> LOOKALIKES = Map.ofEntries(Map.entry("x.tmp", false),
			Map.entry("x.tmp.", false), Map.entry("x.tmpfoo", false), Map.entry(".tmp.1.2.3", true),
			Map.entry("x.tmp.1.2.3", true), Map.entry("x.tmp.af-", false), Map.entry("x.tmp.af-1-zzzzzzzz-1-1", false),
			Map.entry("x.tmp.af-1-deadbeef-1-1\n", false), Map.entry("x.tmp.af-1-deadbeef-1", false),
			Map.entry(".tmp.af-1-deadbeef-1-1", false), Map.entry("x.tmp.af-1-deadbeef-1-1.bak", false),
			Map.entry("index.faiss.tmp", true), Map.entry("index.faiss.tmp.bak", false),
			Map.entry("data[v2].json", false), Map.entry("a*b?c", false), Map.entry("[", false), Map.entry("*", false),
			Map.entry("?", false), Map.entry("x.tmp.af-1-deadbeef-1-1.tmp.5.6.7", true));

	private static final List<Duration> AGES = List.of(Duration.ZERO, PAST_MIN_AGE, PAST_MAX_AGE);

	private static final Duration MAX_AGE = Duration.ofHours(1);

	private static ReaperChild liveWriter;

	private static final AtomicFileWriter localWriter = AtomicFileWriter.builder().durability(Durability.NONE).build();

	@TempDir
	Path temp;

	@BeforeAll
	static void startLiveWriter() throws IOException {
		liveWriter = ReaperChild.start(List.of(), ReaperWriterMain.class);
	}

	@AfterAll
	static void stopLiveWriter() throws InterruptedException {
		liveWriter.close();
	}

	static LongStream seeds() {
		return LongStream.range(0, TREES).map((i) -> FIRST_SEED + i);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void reapsExactlyTheReapableOrphansAndNothingElse(long seed) throws Exception {
		Tree tree = new Tree(seed, this.temp);
		try {
			tree.build();
			Map<String, String> rootBefore = TreeSnapshot.of(tree.root);
			Map<String, String> outsideBefore = TreeSnapshot.of(tree.outside);

			ReapReport report = tree.reaper().reap(tree.reapPath);

			String context = "seed " + seed + " (" + tree + ")";
			Map<String, String> expected = new HashMap<>(rootBefore);
			for (Path orphan : tree.reapable) {
				String gone = tree.root.relativize(orphan).toString();
				expected.keySet().removeIf((entry) -> entry.equals(gone) || entry.startsWith(gone + "/"));
			}
			assertThat(TreeSnapshot.of(tree.root)).as(context).isEqualTo(expected);
			assertThat(TreeSnapshot.of(tree.outside)).as(context).isEqualTo(outsideBefore);
			assertThat(report.reaped()).as(context + ": reaped").isEqualTo(tree.reapable.size());
			assertThat(report.keptLive()).as(context + ": keptLive").isEqualTo(tree.expectedLive);
			assertThat(report.keptYoung()).as(context + ": keptYoung").isEqualTo(tree.expectedYoung);
			assertThat(report.failed()).as(context + ": failed (temp-named directories not ours)")
				.isEqualTo(tree.expectedFailed);
		}
		finally {
			tree.finishLiveWrites();
		}
	}

	/** One random tree and what a pass over it must do. */
	private static final class Tree {

		private final long seed;

		private final SplittableRandom random;

		final Path root;

		final Path outside;

		final boolean recursive;

		final boolean fileMode;

		final Duration minAge;

		final boolean legacyPatterns;

		Path reapPath;

		final List<Path> reapable = new ArrayList<>();

		long expectedLive;

		long expectedYoung;

		long expectedFailed;

		private int counter;

		private final List<String> childWrites = new ArrayList<>();

		private final List<String> childLocks = new ArrayList<>();

		private final List<ReaperBlockedWrite> localWrites = new ArrayList<>();

		private final Set<Path> childTargets = new HashSet<>();

		private final Set<Path> localTargets = new HashSet<>();

		private String fileModeTarget;

		Tree(long seed, Path temp) {
			this.seed = seed;
			this.random = new SplittableRandom(seed);
			this.root = temp.resolve("root");
			this.outside = temp.resolve("outside");
			this.recursive = this.random.nextBoolean();
			this.fileMode = this.random.nextInt(4) == 0;
			this.minAge = this.random.nextBoolean() ? Duration.ZERO : Duration.ofMinutes(1);
			this.legacyPatterns = !this.fileMode && this.random.nextBoolean();
		}

		OrphanReaper reaper() {
			return OrphanReaper.builder()
				.minAge(this.minAge)
				.maxAge(MAX_AGE)
				.recursive(this.recursive)
				.extraPatterns(this.legacyPatterns ? LEGACY_PATTERNS : List.of())
				.build();
		}

		void build() throws Exception {
			Files.createDirectories(this.outside.resolve("sub"));
			ReaperFixtures.orphanOf(this.outside, pick(TARGETS), PAST_MAX_AGE);
			ReaperFixtures.orphanOf(this.outside.resolve("sub"), pick(TARGETS), PAST_MAX_AGE);
			ReaperFixtures.file(this.outside.resolve("x.tmp.1.2.3"), "legacy outside", PAST_MAX_AGE);
			Files.createDirectory(this.root);
			this.reapPath = this.root;
			if (this.fileMode) {
				this.fileModeTarget = pick(TARGETS);
				this.reapPath = ReaperFixtures.file(this.root.resolve(this.fileModeTarget), "target", Duration.ZERO);
			}
			fill(this.root, 0, true);
		}

		/** Fills {@code directory}; {@code inScope}: a pass reaches its files. */
		private void fill(Path directory, int depth, boolean inScope) throws Exception {
			int entries = this.random.nextInt(2, 9);
			for (int i = 0; i < entries; i++) {
				switch (this.random.nextInt(10)) {
					case 0, 1 -> deadOrphan(directory, inScope);
					case 2 -> lookalike(directory, inScope);
					case 3 -> legacy(directory, inScope);
					case 4 -> subdirectory(directory, depth, inScope, "dir" + (this.counter++));
					case 5 -> tempDirectory(directory, depth, inScope);
					case 6 -> links(directory);
					case 7 -> liveInChild(directory, inScope);
					case 8 -> liveInThisJvm(directory, inScope);
					default -> plain(directory, inScope);
				}
			}
		}

		private void deadOrphan(Path directory, boolean inScope) throws IOException {
			String target = tempTarget();
			Duration age = pick(AGES);
			boolean counted = inScope && ownedByPass(directory, target);
			switch (this.random.nextInt(4)) {
				case 0 -> {
					Path unlocked = ReaperFixtures.file(directory.resolve(ReaperFixtures.unlockedOrphanName(target)),
							"unlocked", age);
					expectByAge(counted, unlocked, age, MAX_AGE);
				}
				case 1 -> {
					// This process's own: a leftover for the next process, never opened by this one.
					ReaperFixtures.file(directory.resolve(ReaperFixtures.ownProcessName(target)), "own", age);
					expectLive(counted);
				}
				default -> expectByAge(counted, ReaperFixtures.orphanOf(directory, target, age), age, this.minAge);
			}
		}

		/** A directory in temp format: what {@code writeFile} leaves behind, or one it never makes. */
		private void tempDirectory(Path directory, int depth, boolean inScope) throws Exception {
			String target = tempTarget();
			Duration age = pick(AGES);
			boolean counted = inScope && ownedByPass(directory, target);
			switch (this.random.nextInt(6)) {
				case 0 -> {
					// Content but no lock file: not the writer's; only its content may be reaped.
					Path foreign = Files.createDirectory(directory.resolve(ReaperFixtures.orphanName(target)));
					ReaperFixtures.file(foreign.resolve("data"), "not ours", age);
					if (depth < 3) {
						fill(foreign, depth + 1, inScope && this.recursive && !this.fileMode);
					}
					this.expectedFailed += counted ? 1 : 0;
				}
				case 1 -> {
					Path dead = ReaperFixtures.tempDirectory(directory, ReaperFixtures.orphanName(target), target, age);
					// Links inside a dead directory go with it; their targets stay.
					Path sub = Files.createDirectory(dead.resolve("sub"));
					Files.createSymbolicLink(sub.resolve("to-outside"), this.outside);
					Files.createSymbolicLink(sub.resolve("to-root"), this.root);
					expectByAge(counted, ReaperFixtures.ageWithEntries(dead, age), age, this.minAge);
				}
				case 2 -> expectByAge(counted, ReaperFixtures.tempDirectory(directory,
						ReaperFixtures.unlockedOrphanName(target), target, age), age, MAX_AGE);
				case 3 -> expectByAge(counted,
						ReaperFixtures.age(Files.createDirectory(directory.resolve(ReaperFixtures.orphanName(target))), age),
						age, this.minAge);
				case 4 -> {
					Path live = ReaperFixtures.tempDirectory(directory, ReaperFixtures.orphanName(target), target,
							this.random.nextBoolean() ? PAST_MIN_AGE : PAST_MAX_AGE);
					String id = this.seed + "-" + (this.counter++);
					ReaperLivenessTest.hold(liveWriter, id, live.resolve(TempFileNames.LOCK_FILE_NAME));
					this.childLocks.add(id);
					expectLive(counted);
				}
				default -> {
					ReaperFixtures.tempDirectory(directory, ReaperFixtures.ownProcessName(target), target, age);
					expectLive(counted);
				}
			}
		}

		/** The target of a temp name: in file mode, often the reaped file itself. */
		private String tempTarget() {
			return (this.fileMode && this.random.nextBoolean()) ? this.fileModeTarget : pick(TARGETS);
		}

		private void expectByAge(boolean counted, Path orphan, Duration age, Duration limit) {
			if (!counted) {
				return;
			}
			if (age.compareTo(limit) >= 0) {
				this.reapable.add(orphan);
			}
			else {
				this.expectedYoung++;
			}
		}

		private void expectLive(boolean counted) {
			this.expectedLive += counted ? 1 : 0;
		}

		private void plain(Path directory, boolean inScope) throws IOException {
			String name = pick(TARGETS);
			foreign(directory, name, name.equals(LEGACY_LOOKING), inScope);
		}

		private void lookalike(Path directory, boolean inScope) throws IOException {
			String name = pick(new ArrayList<>(LOOKALIKES.keySet()));
			foreign(directory, name, LOOKALIKES.get(name), inScope);
		}

		private void legacy(Path directory, boolean inScope) throws IOException {
			String name = this.random.nextBoolean() ? "index.faiss.tmp"
					: pick(TARGETS) + ".tmp." + this.random.nextInt(1, 99999) + "." + this.random.nextInt(1, 999999)
							+ "." + this.random.nextLong(1, Long.MAX_VALUE);
			foreign(directory, name, true, inScope);
		}

		/** A file not in the writer's format; only a legacy pattern can make it reapable. */
		private void foreign(Path directory, String name, boolean matchesLegacyPattern, boolean inScope)
				throws IOException {
			Path file = directory.resolve(name);
			if (Files.exists(file)) {
				return;
			}
			Duration age = pick(AGES);
			ReaperFixtures.file(file, "foreign " + name, age);
			expectByAge(inScope && matchesLegacyPattern && this.legacyPatterns, file, age, MAX_AGE);
		}

		private void subdirectory(Path directory, int depth, boolean inScope, String name) throws Exception {
			if (depth >= 3) {
				return;
			}
			Path sub = Files.createDirectory(directory.resolve(name));
			fill(sub, depth + 1, inScope && this.recursive && !this.fileMode);
		}

		private void links(Path directory) throws IOException {
			String suffix = "-" + (this.counter++);
			Files.createSymbolicLink(directory.resolve("to-root" + suffix), this.root);
			Files.createSymbolicLink(directory.resolve("to-outside" + suffix), this.outside);
			Path outsideOrphan = ReaperFixtures.orphanOf(this.outside, pick(TARGETS), PAST_MAX_AGE);
			Files.createSymbolicLink(directory.resolve(ReaperFixtures.orphanName(pick(TARGETS))), outsideOrphan);
			Files.createSymbolicLink(directory.resolve("index.faiss.tmp" + suffix.replace('-', '.')),
					this.outside.resolve("x.tmp.1.2.3"));
			Files.createSymbolicLink(directory.resolve(ReaperFixtures.orphanName(pick(TARGETS))),
					this.outside.resolve("missing"));
		}

		private void liveInChild(Path directory, boolean inScope) throws Exception {
			if (this.childWrites.size() >= 2) {
				return;
			}
			String target = liveTarget(directory, this.childTargets);
			String id = this.seed + "-" + (this.counter++);
			Path temp = ReaperLivenessTest.begin(liveWriter, id, directory.resolve(target));
			this.childWrites.add(id);
			// Safe from this JVM: the lock is the child's. Aged past minAge, so only the lock protects it.
			ReaperFixtures.age(temp, this.random.nextBoolean() ? PAST_MIN_AGE : PAST_MAX_AGE);
			expectLive(inScope && ownedByPass(directory, target));
		}

		private void liveInThisJvm(Path directory, boolean inScope) throws IOException {
			if (this.localWrites.size() >= 2) {
				return;
			}
			String target = liveTarget(directory, this.localTargets);
			this.localWrites.add(ReaperBlockedWrite.start(localWriter, directory.resolve(target), "head", "tail"));
			expectLive(inScope && ownedByPass(directory, target));
		}

		/** A target no other write of that JVM has in flight: its temp must be told apart from theirs. */
		private String liveTarget(Path directory, Set<Path> inFlight) {
			String target = (this.fileMode && this.random.nextBoolean()) ? this.fileModeTarget
					: "live-" + (this.counter++) + "-" + pick(TARGETS.subList(0, 7));
			if (!inFlight.add(directory.resolve(target))) {
				return liveTarget(directory, inFlight);
			}
			return target;
		}

		/** In file mode, only the target's own temps in its own directory count. */
		private boolean ownedByPass(Path directory, String target) {
			return !this.fileMode || (directory.equals(this.root) && target.equals(this.fileModeTarget));
		}

		void finishLiveWrites() throws Exception {
			try {
				for (String id : this.childWrites) {
					ReaperLivenessTest.finish(liveWriter, id);
				}
				for (String id : this.childLocks) {
					ReaperLivenessTest.release(liveWriter, id);
				}
			}
			finally {
				for (ReaperBlockedWrite write : this.localWrites) {
					write.finish();
					assertThat(write.target()).as("seed " + this.seed).hasContent("headtail");
				}
			}
		}

		private <T> T pick(List<T> choices) {
			return choices.get(this.random.nextInt(choices.size()));
		}

		@Override
		public String toString() {
			return (this.fileMode ? "file mode on " + this.fileModeTarget : "directory mode") + ", recursive="
					+ this.recursive + ", minAge=" + this.minAge + ", legacyPatterns=" + this.legacyPatterns;
		}

	}

}
