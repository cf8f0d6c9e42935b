package dev.atomicfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.atomicfile.PowerCutTally.Outcome;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.CommitFiles;
import dev.atomicfile.testsupport.CommitFiles.Target;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.GenerationPayload;
import dev.atomicfile.testsupport.GenerationPayload.Content;
import dev.atomicfile.testsupport.LoopFileSystem;
import dev.atomicfile.testsupport.ShutdownSwitch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Simulated power cuts on real journaling file systems: what each {@link Durability} level leaves
 * on ext4 and XFS when the power goes at a random instant during a loop of writes. Root only (CI
 * runs it as root, with xfsprogs installed; a missing tool fails, it does not skip).
 *
 * <p>Each file system is a fresh small image on a loop device, made once and reused across cuts.
 * One cut: a child JVM ({@link PowerCutWriterMain}) replaces five files of sizes from bytes to MiB
 * in turn and reports every write that returns; after a random number of them, plus a random part
 * of a write's duration, the file system is shut down from outside the child with the "no log flush"
 * flag ({@link ShutdownSwitch}); the child is killed, the file system unmounted and mounted again
 * (the journal replays), and every file classified against the generations the child reported:
 * whole and at least as new as its last returned write, whole but older (a returned write lost),
 * empty, torn, or missing. A canary written without fsync just before the cut must have lost its
 * content, or the cut was not real: such a cut is counted apart, never as a pass.
 *
 * <ul>
 * <li>{@code FULL}: every file whole, and no write that returned lost;</li>
 * <li>{@code FILE}: every file whole; the last returned write may come back old;</li>
 * <li>{@code NONE}: measured, not asserted: how often a file came back empty, torn or old.</li>
 * </ul>
 * After every cut, as at the next start after a reboot, one reaper pass with the default ages (the
 * clock moved on by a minute: the machine came back) must see every temp that cut writes left as
 * dead and delete it, and leave every other file as it was.
 *
 * <p>Settings: {@code atomicfile.powercut.cuts} (cuts in all, spread over file systems, levels and commits;
 * 120 by default), {@code atomicfile.powercut.seed}, {@code atomicfile.powercut.filesystems}
 * ({@code ext4,xfs}; {@code btrfs} needs Linux 6.19 or later built with
 * {@code CONFIG_BTRFS_EXPERIMENTAL}). Run alone: {@code ./mvnw -B -ntp -q -pl
 * atomicfile-spring-boot-autoconfigure verify -Dtest=PowerCutTest -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Cuts during multi-file commits (issue 15, item 4) are a fourth group per file system, with
 * another child ({@link CommitChildMain}) and another rule ({@link #judgeCommits}): the child reports
 * each commit that returned; after the remount, {@link CommitRecovery} and the reaper pass, every
 * target holds the same commit, whole, and a commit that returned under {@code FULL} is not lost.
 */
class PowerCutTest {

	private static final int DEFAULT_CUTS = 120;

	/** FULL, FILE and NONE single writes, and FULL commits. */
	private static final int GROUPS_PER_FILE_SYSTEM = 4;

	private static final String COMMITS = "commits";

	private static final String DATA = "data";

	private static final String CANARY = "canary";

	/** How far the clock moves between the cut and the next start, for the reaper's ages. */
	private static final Duration REBOOT = Duration.ofMinutes(1);

	private static final Map<LoopFileSystem.Kind, LoopFileSystem> fileSystems = new EnumMap<>(
			LoopFileSystem.Kind.class);

	private static final Map<String, PowerCutTally> tallies = new LinkedHashMap<>();

	private static final long seed = longSetting("atomicfile.powercut.seed", System.nanoTime());

	private static long rounds;

	@TempDir
	static Path scratch;

	@BeforeAll
	static void rootAndTools() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "power cuts need root: loop devices, mount, the shutdown ioctl");
		List<String> tools = new ArrayList<>(List.of("python3", "losetup", "mount", "umount"));
		fileSystems().forEach((kind) -> tools.add(kind.mkfsProgram()));
		for (String tool : tools) {
			assertThat(onPath(tool)).as(tool + " is missing: .ci/run installs it (xfsprogs for mkfs.xfs, "
					+ "e2fsprogs for mkfs.ext4, util-linux and mount for losetup and mount)").isTrue();
		}
		System.out.printf("PowerCutTest: seed %d (-Datomicfile.powercut.seed), %d cuts on %s%n", seed, cutsInAll(),
				fileSystems());
	}

	@AfterAll
	static void summaryAndCleanUp() throws Exception {
		for (PowerCutTally tally : tallies.values()) {
			System.out.println("PowerCutTest " + tally);
		}
		List<Throwable> failures = new ArrayList<>();
		for (LoopFileSystem fileSystem : fileSystems.values()) {
			try {
				fileSystem.close();
			}
			catch (Exception | AssertionError ex) {
				failures.add(ex);
			}
		}
		fileSystems.clear();
		if (!failures.isEmpty()) {
			AssertionError failure = new AssertionError("Clean-up of the loop file systems failed");
			failures.forEach(failure::addSuppressed);
			throw failure;
		}
	}

	static Stream<Arguments> groups() {
		return fileSystems().stream()
			.flatMap((kind) -> Stream.of(Durability.FULL, Durability.FILE, Durability.NONE)
				.map((level) -> Arguments.of(kind, level)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("groups")
	void powerCutsLeaveWhatTheLevelPromises(LoopFileSystem.Kind kind, Durability level) throws Exception {
		runGroup(kind, level, level.name(), level.ordinal(), this::cutOnce);
	}

	static Stream<Arguments> commitGroups() {
		return fileSystems().stream().map(Arguments::of);
	}

	/**
	 * Cuts during multi-file commits (issue 15, item 4): a child commits 3 to 5 files in two
	 * directories at {@code FULL} in a loop ({@link CommitChildMain}); after the remount,
	 * {@link CommitRecovery} and a reaper pass as at the next start, every target holds the same
	 * commit, whole, at least the last one that returned before the cut, the new file each commit
	 * makes exists for exactly the commits up to it, and no temp or record is left.
	 */
	@ParameterizedTest(name = "{0} FULL commits")
	@MethodSource("commitGroups")
	void powerCutsDuringCommitsLeaveAllOrNothing(LoopFileSystem.Kind kind) throws Exception {
		runGroup(kind, Durability.FULL, "FULL commits", 1000, this::cutDuringCommit);
	}

	/** One round of a group: a cut and its verdict. */
	@FunctionalInterface
	private interface Round {

		PowerCutTally.Cut cut(LoopFileSystem fileSystem, Durability level, SplittableRandom random, String context)
				throws Exception;

	}

	/** @param salt the group's seed salt: the single-write groups keep the seeds they had before commits came */
	private void runGroup(LoopFileSystem.Kind kind, Durability level, String label, long salt, Round round)
			throws Exception {
		int groups = fileSystems().size() * GROUPS_PER_FILE_SYSTEM;
		int cuts = (cutsInAll() + groups - 1) / groups;
		SplittableRandom random = new SplittableRandom(seed * 31 + kind.ordinal() * 3L + salt);
		LoopFileSystem fileSystem = fileSystem(kind);
		Path data = fileSystem.mountPoint().resolve(DATA);
		PowerCutTally tally = tallies.computeIfAbsent(kind.label() + " " + label, PowerCutTally::new);
		List<String> violations = new ArrayList<>();
		for (int cut = 0; cut < cuts; cut++) {
			String context = "seed " + seed + ", " + kind.label() + " " + label + " cut " + cut;
			PowerCutTally.Cut result;
			try {
				result = round.cut(fileSystem, level, random, context);
			}
			catch (Exception | AssertionError ex) {
				// The next group must not inherit a file system that is still shut down.
				fileSystems.remove(kind).close();
				throw ex;
			}
			tally.add(result);
			violations.addAll(result.violations());
			repair(data);
		}
		assertThat(violations).as("what %d power cuts left on %s under %s", cuts, kind.label(), label).isEmpty();
		// Cuts that could not be judged come from other processes on a shared machine, never in CI.
		int judged = tally.judged();
		assertThat(judged).as("cuts judged, of %d (the others: see 'not judged' above)", cuts)
			.isGreaterThanOrEqualTo(cuts / 2);
		// The cut must really drop what is not durable, or every assertion above is empty.
		assertThat(tally.real()).as("cuts shown real by the canary, of %d judged (seed %d)", judged, seed)
			.isGreaterThanOrEqualTo(judged * 9 / 10);
	}

	/** One round: writes, a cut at a random instant, the remount, the verdict, a reaper pass. */
	private PowerCutTally.Cut cutOnce(LoopFileSystem fileSystem, Durability level, SplittableRandom random,
			String context) throws Exception {
		Path mountPoint = fileSystem.mountPoint();
		Path data = mountPoint.resolve(DATA);
		long firstGeneration = ++rounds * 1_000_000;
		boolean busy = random.nextBoolean();
		int writesBeforeCut = random.nextInt(GenerationPayload.FILES, 3 * GenerationPayload.FILES + 1);
		double jitter = random.nextDouble(1.25);
		String canaryContent = "canary " + context;
		Reported reported = new Reported();
		List<String> command = new ArrayList<>(
				List.of(data.toString(), level.name(), String.valueOf(firstGeneration)));
		if (busy) {
			command.add(mountPoint.resolve("bystander").toString());
		}
		if (!runAndCut(fileSystem, PowerCutWriterMain.class, command, reported, writesBeforeCut, jitter,
				data.resolve(CANARY), canaryContent, context)) {
			Files.createDirectory(data);
			repair(data);
			return PowerCutTally.Cut.NOT_JUDGED;
		}
		return judge(data, level, canaryContent, reported, busy, context);
	}

	/**
	 * Runs {@code mainClass} with {@code args} on {@code fileSystem}, cuts the power once it has
	 * reported {@code returnsBeforeCut} returns plus a random part ({@code jitter}) of one's
	 * duration, kills it, reads the rest of its reports and mounts the file system again.
	 * @return false when the file system could not be mounted again and was made fresh (empty)
	 */
	private static boolean runAndCut(LoopFileSystem fileSystem, Class<?> mainClass, List<String> args, Reports reported,
			int returnsBeforeCut, double jitter, Path canary, String canaryContent, String context) throws Exception {
		Path childErrors = scratch.resolve("child-errors.txt");
		try (ShutdownSwitch power = ShutdownSwitch.start(fileSystem.mountPoint(), canary)) {
			Process child = new ProcessBuilder(ChildJvm.command(List.of(), mainClass, args.toArray(new String[0])))
				.redirectError(childErrors.toFile())
				.start();
			// A stuck child ends the round instead of the build.
			CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES).execute(child::destroyForcibly);
			BufferedReader lines = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			try {
				power.awaitArmed();
				while (reported.returned() < returnsBeforeCut) {
					String line = lines.readLine();
					if (line == null || !reported.accept(line)) {
						throw new AssertionError(context + ": the child stopped before the cut: " + line + "\n"
								+ Files.readString(childErrors));
					}
				}
				// Jitter, not synchronisation: the child is writing; the cut lands anywhere in a write.
				long deadline = System.nanoTime() + (long) (jitter * reported.duration(reported.returned()));
				while (System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				reported.cut(power.cut(canaryContent));
			}
			finally {
				// Through the handle: Process.destroyForcibly would also close the pipe with the last lines.
				child.toHandle().destroyForcibly();
				child.waitFor();
			}
			// The rest: writes that returned before the cut, and any that returned after it began.
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				reported.accept(line);
			}
		}
		try {
			fileSystem.remount();
			return true;
		}
		catch (LoopFileSystem.HeldElsewhereException ex) {
			// Not this library's doing, and no evidence either way: a fresh file system, and the next cut.
			System.out.println("PowerCutTest: " + context + " not judged: " + ex.getMessage());
			fileSystem.makeFresh();
			return false;
		}
	}

	/** One round of commits: targets of its own, commits, a cut, the remount, recovery, the verdict. */
	private PowerCutTally.Cut cutDuringCommit(LoopFileSystem fileSystem, Durability level, SplittableRandom random,
			String context) throws Exception {
		long round = ++rounds;
		Path commits = fileSystem.mountPoint().resolve(COMMITS);
		List<Path> directories = List.of(commits.resolve("a"), commits.resolve("b"));
		for (Path directory : directories) {
			Files.createDirectories(directory);
		}
		List<Target> targets = new ArrayList<>();
		int files = random.nextInt(3, 6);
		for (int i = 0; i < files; i++) {
			targets.add(new Target(i, i % 4, directories.get(i % 2).resolve(round + "-" + i + ".bin")));
		}
		// Before: commit 0 of most targets, made durable by a FULL commit of the test's; the others new.
		List<Target> existing = targets.stream().filter((target) -> random.nextInt(4) != 0).toList();
		Map<Target, Long> before = new LinkedHashMap<>();
		targets.forEach((target) -> before.put(target, existing.contains(target) ? 0L : -1L));
		AtomicFileWriter.builder().durability(Durability.FULL).build().commit((batch) -> {
			for (Target target : existing) {
				batch.write(target.path(), target.payload(0));
			}
		});
		long first = round * 1_000_000;
		int commitsBeforeCut = random.nextInt(1, 4);
		double jitter = random.nextDouble(1.25);
		String canaryContent = "canary " + context;
		ReportedCommits reported = new ReportedCommits();
		List<String> args = new ArrayList<>(List.of("loop", level.name(), "0", String.valueOf(first)));
		targets.forEach((target) -> args.add(target.argument()));
		if (!runAndCut(fileSystem, CommitChildMain.class, args, reported, commitsBeforeCut, jitter,
				commits.resolve(CANARY), canaryContent, context)) {
			Path data = Files.createDirectory(fileSystem.mountPoint().resolve(DATA));
			repair(data);
			return PowerCutTally.Cut.NOT_JUDGED;
		}
		PowerCutTally.Cut verdict = judgeCommits(commits, directories, targets, before, first, canaryContent, reported,
				context);
		for (Path directory : directories) {
			for (String name : Directories.names(directory)) {
				Files.delete(directory.resolve(name));
			}
		}
		return verdict;
	}

	/**
	 * Recovers and reaps as at the next start, then judges: all of one commit (at least the last
	 * that returned before the cut: FULL) or, only if none had returned, all as before.
	 */
	private PowerCutTally.Cut judgeCommits(Path commits, List<Path> directories, List<Target> targets,
			Map<Target, Long> before, long first, String canaryContent, ReportedCommits reported, String context)
			throws IOException {
		List<String> violations = new ArrayList<>();
		Path canary = commits.resolve(CANARY);
		boolean real = !(Files.exists(canary) && Files.readString(canary).equals(canaryContent));
		Files.deleteIfExists(canary);
		int left = 0;
		for (Path directory : directories) {
			left += CommitFiles.leftovers(directory).size();
		}
		RecoveryReport recovered = CommitRecovery.builder().build().recover(commits);
		if (recovered.failed() != 0 || recovered.keptLive() != 0) {
			violations.add(context + ": recovery after the cut: " + recovered);
		}
		long reaped = 0;
		for (Path directory : directories) {
			backdate(directory, REBOOT);
			ReapReport report = OrphanReaper.builder().build().reap(directory);
			reaped += report.reaped();
			if (report.keptLive() != 0 || report.keptYoung() != 0 || report.failed() != 0) {
				violations.add(context + ": the reaper after the cut and the recovery: " + report);
			}
			if (!CommitFiles.leftovers(directory).isEmpty()) {
				violations.add(context + ": left in " + directory + ": " + CommitFiles.leftovers(directory));
			}
		}
		long lastBeforeCut = reported.lastReturned(reported.cut.notBefore());
		Map<Target, Long> held = new LinkedHashMap<>();
		List<Outcome> outcomes = new ArrayList<>();
		List<String> notWhole = new ArrayList<>();
		for (Target target : targets) {
			long commit;
			try {
				commit = target.commit(context);
			}
			catch (AssertionError torn) {
				violations.add(torn.getMessage());
				commit = -2;
			}
			held.put(target, commit);
			Outcome outcome = (commit == -2) ? Outcome.TORN : (commit == -1) ? Outcome.MISSING
					: (commit >= lastBeforeCut) ? Outcome.WHOLE_NEW : Outcome.WHOLE_OLD;
			outcomes.add(outcome);
			if (!outcome.whole()) {
				notWhole.add(target.path().getFileName() + " " + outcome.name().toLowerCase(Locale.ROOT));
			}
		}
		List<Long> commitsHeld = held.values().stream().distinct().toList();
		long commit = commitsHeld.get(0);
		String state = "targets hold " + held + " (before: " + before + "), last commit returned before the cut "
				+ lastBeforeCut + ", " + recovered + "; " + reported;
		if (commitsHeld.size() != 1 || commit < first) {
			violations.add(context + ": not all of one commit: " + state);
		}
		else if (commit < lastBeforeCut) {
			violations.add(context + ": a FULL commit that returned before the cut was lost: " + state);
		}
		else {
			for (long c = first; c <= commit + 1; c++) {
				Target fresh = CommitChildMain.freshTarget(targets, c);
				if (fresh.commit(context) != ((c <= commit) ? c : -1)) {
					violations.add(context + ": " + fresh + " holds commit " + fresh.commit(context) + ": " + state);
				}
			}
		}
		long lastReturned = reported.lastReturned(Long.MAX_VALUE);
		int lostAfterCut = (lastReturned > lastBeforeCut && commit < lastReturned) ? 1 : 0;
		return new PowerCutTally.Cut(true, real, false, outcomes, notWhole, reported.returnedAfterCut(), lostAfterCut,
				left, 0, reaped, violations);
	}

	/** Classifies what the cut left, then lets a reaper pass run as at the next start. */
	private PowerCutTally.Cut judge(Path data, Durability level, String canaryContent, Reported reported,
			boolean busy, String context) throws IOException {
		List<String> violations = new ArrayList<>();
		Path canary = data.resolve(CANARY);
		boolean real = !(Files.exists(canary) && Files.readString(canary).equals(canaryContent));
		List<Outcome> outcomes = new ArrayList<>();
		List<String> notWhole = new ArrayList<>();
		Map<String, byte[]> kept = new HashMap<>();
		int lostAfterCut = 0;
		for (int file = 0; file < GenerationPayload.FILES; file++) {
			Path path = data.resolve(GenerationPayload.fileName(file));
			Content found = null;
			if (Files.exists(path)) {
				byte[] content = Files.readAllBytes(path);
				kept.put(path.getFileName().toString(), content);
				found = GenerationPayload.read(file, content);
			}
			Outcome outcome = Outcome.of(found, reported.lastReturnedBeforeCut(file));
			outcomes.add(outcome);
			if (!outcome.whole()) {
				notWhole.add(describe(file, outcome, kept.get(path.getFileName().toString())));
			}
			long afterCut = reported.lastReturned(file);
			if (afterCut > reported.lastReturnedBeforeCut(file)
					&& Outcome.of(found, afterCut) != Outcome.WHOLE_NEW) {
				lostAfterCut++;
			}
			boolean broken = (level == Durability.FULL && outcome != Outcome.WHOLE_NEW)
					|| (level == Durability.FILE && !outcome.whole());
			if (broken) {
				violations.add(context + ": " + GenerationPayload.fileName(file) + " is " + outcome
						+ " (last write returned before the cut: generation " + reported.lastReturnedBeforeCut(file)
						+ "; " + reported + ")");
			}
		}
		if (Files.exists(canary)) {
			kept.put(CANARY, Files.readAllBytes(canary));
		}
		List<String> temps = new ArrayList<>();
		int tempDirectories = 0;
		for (String name : Directories.names(data)) {
			if (isTempName(name)) {
				temps.add(name);
				tempDirectories += Files.isDirectory(data.resolve(name), LinkOption.NOFOLLOW_LINKS) ? 1 : 0;
			}
			else if (!kept.containsKey(name)) {
				violations.add(context + ": unexpected entry " + name);
			}
		}
		ReapReport reaped = reapAsAtNextStart(data, temps, kept, context, violations);
		return new PowerCutTally.Cut(true, real, busy, outcomes, notWhole, reported.returnedAfterCut(), lostAfterCut,
				temps.size(), tempDirectories, reaped.reaped(), violations);
	}

	/** What a file that is not whole held, for the summary: torn how? */
	private static String describe(int file, Outcome outcome, byte @Nullable [] content) {
		String description = GenerationPayload.fileName(file) + " " + outcome.name().toLowerCase(Locale.ROOT);
		if (outcome != Outcome.TORN || content == null) {
			return description;
		}
		int zeros = 0;
		for (byte b : content) {
			zeros += (b == 0) ? 1 : 0;
		}
		return description + " (" + content.length + " bytes, " + zeros + " of them zero)";
	}

	/**
	 * The reaper pass of the next start: every temp a cut write left is dead (there is no writer
	 * after a reboot), so it must be deleted, whatever its lock test; nothing else may change.
	 */
	private ReapReport reapAsAtNextStart(Path data, List<String> temps, Map<String, byte[]> kept, String context,
			List<String> violations) throws IOException {
		backdate(data, REBOOT);
		ReapReport report = OrphanReaper.builder().build().reap(data);
		if (report.keptLive() != 0 || report.keptYoung() != 0 || report.failed() != 0) {
			violations.add(context + ": the reaper after the cut did not delete every temp as dead: " + report
					+ ", temps " + temps);
		}
		for (String name : Directories.names(data)) {
			if (isTempName(name)) {
				violations.add(context + ": temp " + name + " left after the reaper pass: " + report);
			}
		}
		for (Map.Entry<String, byte[]> entry : kept.entrySet()) {
			Path path = data.resolve(entry.getKey());
			if (!Files.exists(path) || !Arrays.equals(Files.readAllBytes(path), entry.getValue())) {
				violations.add(context + ": the reaper changed " + entry.getKey());
			}
		}
		return report;
	}

	/**
	 * Puts every file back to a whole payload (the NONE rounds leave empty and torn ones), so that
	 * each round starts from whole files, and removes the canary.
	 */
	private static void repair(Path data) throws IOException {
		Files.deleteIfExists(data.resolve(CANARY));
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		for (int file = 0; file < GenerationPayload.FILES; file++) {
			Path path = data.resolve(GenerationPayload.fileName(file));
			if (!Files.exists(path)
					|| GenerationPayload.read(file, Files.readAllBytes(path)).kind() != Content.Kind.WHOLE) {
				writer.write(path, GenerationPayload.of(file, 0));
			}
		}
	}

	private static boolean isTempName(String name) {
		for (int file = 0; file < GenerationPayload.FILES; file++) {
			if (TempFileNames.isTempNameOf(name, GenerationPayload.fileName(file))) {
				return true;
			}
		}
		return false;
	}

	/** The clock moved on while the machine was down: every entry is {@code by} older. */
	private static void backdate(Path directory, Duration by) throws IOException {
		FileTime then = FileTime.fromMillis(System.currentTimeMillis() - by.toMillis());
		try (Stream<Path> tree = Files.walk(directory)) {
			for (Path path : tree.toList()) {
				Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
					.setTimes(then, null, null);
			}
		}
	}

	/** The file system of {@code kind}, made fresh on first use, with whole files in its data directory. */
	private static LoopFileSystem fileSystem(LoopFileSystem.Kind kind) throws Exception {
		LoopFileSystem fileSystem = fileSystems.get(kind);
		if (fileSystem == null) {
			fileSystem = LoopFileSystem.create(kind, scratch);
			fileSystems.put(kind, fileSystem);
			Files.createDirectory(fileSystem.mountPoint().resolve(DATA));
			repair(fileSystem.mountPoint().resolve(DATA));
		}
		return fileSystem;
	}

	private static List<LoopFileSystem.Kind> fileSystems() {
		String names = setting("atomicfile.powercut.filesystems");
		return Arrays.stream(((names != null) ? names : "ext4,xfs").split(","))
			.map(String::strip)
			.map((name) -> LoopFileSystem.Kind.valueOf(name.toUpperCase(Locale.ROOT)))
			.toList();
	}

	private static int cutsInAll() {
		return (int) longSetting("atomicfile.powercut.cuts", DEFAULT_CUTS);
	}

	private static long longSetting(String name, long defaultValue) {
		String value = setting(name);
		return (value != null) ? Long.parseLong(value) : defaultValue;
	}

	/** A system property, or null when unset (Surefire passes an unset Maven property as blank). */
	private static String setting(String name) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank() || value.startsWith("${")) ? null : value.strip();
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH") + ":/usr/sbin:/sbin";
		return Arrays.stream(path.split(":"))
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, program)));
	}

	/** What the committing child said: every commit that returned, and when; and when the cut came. */
	private static final class ReportedCommits implements Reports {

		private final List<long[]> commits = new ArrayList<>();

		private long took = 1;

		ShutdownSwitch.Instant cut;

		@Override
		public boolean accept(String line) {
			String[] words = line.split(" ");
			// A line cut short by the kill has no "end": that commit is not known to have returned.
			if (words.length != 5 || !words[0].equals("committed") || !words[4].equals("end")) {
				return false;
			}
			this.commits.add(new long[] { Long.parseLong(words[1]), Long.parseLong(words[3]) });
			this.took = Long.parseLong(words[2]);
			return true;
		}

		@Override
		public int returned() {
			return this.commits.size();
		}

		@Override
		public long duration(int index) {
			return Math.max(1, this.took);
		}

		@Override
		public void cut(ShutdownSwitch.Instant cut) {
			this.cut = cut;
		}

		/** The last commit that returned before {@code before} (nanoTime), -1 if none. */
		long lastReturned(long before) {
			return this.commits.stream().filter((commit) -> commit[1] < before).mapToLong((commit) -> commit[0]).max()
				.orElse(-1);
		}

		int returnedAfterCut() {
			return (int) this.commits.stream().filter((commit) -> commit[1] >= this.cut.notBefore()).count();
		}

		@Override
		public String toString() {
			return describe(this.cut, "commits", this.commits.stream().map((commit) -> commit[0] + "@" + commit[1]));
		}

	}

	/** The cut's instant and what returned when ({@code <generation>@<nanoTime>}), for a violation's message. */
	private static String describe(ShutdownSwitch.Instant cut, String what, Stream<String> returns) {
		return "cut between " + cut.notBefore() + " and " + cut.notAfter() + ", " + what + " returned: "
				+ String.join(" ", returns.toList());
	}

	/** What a child said it did, as far as the cut needs to know. */
	private interface Reports {

		/** @return whether the line reports a write or commit that returned */
		boolean accept(String line);

		/** How many writes or commits were reported returned so far. */
		int returned();

		/** How long the write or commit after the {@code index}-th return may take, in nanoseconds. */
		long duration(int index);

		void cut(ShutdownSwitch.Instant cut);

	}

	/** What the child said: every write that returned, and when; and when the cut came. */
	private static final class Reported implements Reports {

		private final List<long[]> writes = new ArrayList<>();

		private final long[] durations = new long[GenerationPayload.FILES];

		ShutdownSwitch.Instant cut;

		int returned;

		@Override
		public boolean accept(String line) {
			String[] words = line.split(" ");
			// A line cut short by the kill has no "end": that write is not known to have returned.
			if (words.length != 6 || !words[0].equals("written") || !words[5].equals("end")) {
				return false;
			}
			int file = Integer.parseInt(words[1]);
			this.writes.add(new long[] { file, Long.parseLong(words[2]), Long.parseLong(words[4]) });
			this.durations[file] = Long.parseLong(words[3]);
			this.returned++;
			return true;
		}

		@Override
		public int returned() {
			return this.returned;
		}

		@Override
		public void cut(ShutdownSwitch.Instant cut) {
			this.cut = cut;
		}

		/** How long the previous write of the file that write number {@code index} replaces took. */
		@Override
		public long duration(int index) {
			return Math.max(1, this.durations[index % GenerationPayload.FILES]);
		}

		/**
		 * The generation of the last write of {@code file} that returned before the power went. The
		 * child runs on after the shutdown ioctl until it is killed, which a process cannot after a
		 * real power cut: a write that returns once the shutdown has begun (XFS's directory fsync
		 * returns success then, it does not check for a shut-down file system) is no evidence.
		 */
		long lastReturnedBeforeCut(int file) {
			return lastReturned(file, this.cut.notBefore());
		}

		long lastReturned(int file) {
			return lastReturned(file, Long.MAX_VALUE);
		}

		int returnedAfterCut() {
			return (int) this.writes.stream().filter((write) -> write[2] >= this.cut.notBefore()).count();
		}

		private long lastReturned(int file, long before) {
			return this.writes.stream()
				.filter((write) -> write[0] == file && write[2] < before)
				.mapToLong((write) -> write[1])
				.max()
				.orElse(-1);
		}

		@Override
		public String toString() {
			return describe(this.cut, "writes", this.writes.stream().map((write) -> write[1] + "@" + write[2]));
		}

	}

}
