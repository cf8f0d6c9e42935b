package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.atomicfile.CommitLeftovers.Point;
import dev.atomicfile.CommitRecovered.Outcome;
import dev.atomicfile.testsupport.CommitRecordingListener;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.atomicfile.CommitFixtures.assertContents;
import static dev.atomicfile.CommitFixtures.assertNothingLeft;
import static dev.atomicfile.CommitFixtures.contents;
import static dev.atomicfile.CommitFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CommitRecovery} on real leftovers of a committer killed (SIGKILL) or frozen (SIGSTOP) in
 * another JVM at a chosen system call, some of them then damaged on purpose: past the commit point
 * it completes every target, before it (a replica missing) it rolls back, a torn or corrupt record
 * is deleted and changes nothing, a live committer's and this process's records are left alone,
 * and what it cannot settle safely (a replica's directory gone, a temp that is not what the record
 * says) it leaves exactly as it found it. Each commit spans two directories and three targets,
 * two of them existing.
 */
class CommitRecoveryTest {

	private static final byte[] OLD = "old content\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path root;

	private Path left;

	private Path right;

	private List<Path> targets;

	private Map<Path, byte[]> before;

	private final CommitRecordingListener listener = new CommitRecordingListener();

	private final CommitRecovery recovery = CommitRecovery.builder().listener(this.listener).build();

	@BeforeEach
	void twoDirectoriesThreeTargets() throws IOException {
		this.left = Files.createDirectory(this.root.resolve("left"));
		this.right = Files.createDirectories(this.root.resolve("right").resolve("nested"));
		Path one = Files.write(this.left.resolve("one.txt"), OLD);
		Path two = this.left.resolve("two.txt");
		Path three = Files.write(this.right.resolve("three.txt"), OLD);
		this.targets = List.of(one, two, three);
		this.before = contents(this.targets);
	}

	@AfterEach
	void nothingLeft() throws IOException {
		assertNothingLeft(this.root);
	}

	@ParameterizedTest(name = "killed at rename {0}")
	@ValueSource(ints = { 3, 4, 5 })
	void completesACommitKilledAtAnyOfItsTargetRenames(int rename) throws Exception {
		// Renames 1 and 2 put the two replicas in place; 3 to 5 are the targets'.
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(rename), "g", this.targets);
		assertThat(records(this.root)).as("a replica in each directory").hasSize(2);
		long renamed = this.targets.stream().filter((target) -> isNew(target, after)).count();
		assertThat(renamed).as("targets renamed before the kill").isEqualTo(rename - 3);

		RecoveryReport report = this.recovery.recover(this.root);

		assertThat(report.pathExists()).isTrue();
		assertThat(report.records()).isBetween(1L, 2L);
		assertCounts(report, 1, 0, 0, 0);
		assertContents(after);
		assertThat(this.listener.recovered()).singleElement().satisfies((event) -> {
			assertThat(event.outcome()).isEqualTo(Outcome.COMPLETED);
			assertThat(normalized(event.targets())).containsExactlyInAnyOrderElementsOf(normalized(this.targets));
			assertThat(event.record().getFileName().toString()).startsWith(CommitFixtures.RECORD_PREFIX);
			assertThat(event.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
		});
	}

	@Test
	void rollsBackACommitKilledBetweenItsTwoReplicaRenames() throws Exception {
		CommitLeftovers.commitKilledAt(Point.rename(2), "g", this.targets);
		assertThat(records(this.root)).as("only the first replica in place").hasSize(1);
		assertContents(this.before);

		RecoveryReport report = this.recovery.recover(this.root);

		assertThat(report.records()).isEqualTo(1);
		assertCounts(report, 0, 1, 0, 0);
		assertContents(this.before);
		assertThat(records(this.root)).isEmpty();
		assertThat(this.listener.recovered()).singleElement()
			.satisfies((event) -> assertThat(event.outcome()).isEqualTo(Outcome.ROLLED_BACK));
		// The second replica's own temp is no record's: an orphan for the reaper, like any dead temp.
		reapEverything();
		assertContents(this.before);
	}

	@Test
	void findsNothingToDoForACommitKilledBeforeAnyReplicaWasInPlace() throws Exception {
		CommitLeftovers.commitKilledAt(Point.rename(1), "g", this.targets);
		assertThat(records(this.root)).isEmpty();
		Map<String, String> treeBefore = TreeSnapshot.of(this.root);

		RecoveryReport report = this.recovery.recover(this.root);

		assertThat(report.records()).isZero();
		assertCounts(report, 0, 0, 0, 0);
		assertThat(TreeSnapshot.of(this.root)).isEqualTo(treeBefore);
		reapEverything();
		assertContents(this.before);
	}

	@Test
	void completesACommitKilledAtItsCommitPointsDirectorySync() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.directorySync(this.right), "g", this.targets);
		assertThat(records(this.root)).as("every replica written before the commit point's sync").hasSize(2);
		assertContents(this.before);
		assertThat(CommitLeftovers.tempsIn(this.left, this.right)).hasSize(3);

		RecoveryReport report = this.recovery.recover(this.root);

		assertCounts(report, 1, 0, 0, 0);
		assertContents(after);
		assertThat(this.listener.recovered()).singleElement()
			.satisfies((event) -> assertThat(event.outcome()).isEqualTo(Outcome.COMPLETED));
	}

	@Test
	void recordsMatchTheFormatOfTheDesign() throws Exception {
		CommitLeftovers.commitKilledAt(Point.directorySync(this.right), "g", this.targets);
		List<CommitRecordFile> replicas = new ArrayList<>();
		for (Path record : records(this.root)) {
			replicas.add(CommitRecordFile.read(record));
		}
		assertThat(replicas).extracting(CommitRecordFile::directory).containsExactlyInAnyOrder(this.left, this.right);
		String id = replicas.get(0).id();
		for (CommitRecordFile replica : replicas) {
			assertThat(replica.header()).containsExactly("atomicfile-commit", "1");
			assertThat(replica.id()).isEqualTo(id);
			assertThat(replica.file().getFileName()).hasToString(CommitFixtures.RECORD_PREFIX + id);
			assertThat(replica.endChecksum()).as("end checksum of %s", replica.file())
				.isEqualTo(replica.checksumOfPreceding());
			assertThat(replica.afterEnd()).isIn("", "\n");
			assertThat(replica.replicas()).as("replicas of %s", replica.file()).contains(".").hasSize(2);
			assertThat(replica.replicaDirectories()).containsExactlyInAnyOrder(this.left, this.right);
			assertThat(replica.targets()).containsExactlyInAnyOrderElementsOf(this.targets);
			for (CommitRecordFile.Entry entry : replica.entries()) {
				assertThat(Path.of(entry.target()).isAbsolute()).as("%s relative", entry.target()).isFalse();
				Path temp = replica.temp(entry);
				assertThat(temp.getParent()).as("temp beside its target")
					.isEqualTo(replica.directory().resolve(entry.target()).normalize().getParent());
				assertThat(Files.size(temp)).as("size of %s", temp).isEqualTo(entry.size());
			}
		}
		// Every replica lists the replicas in the same order, each relative to itself.
		assertThat(replicas.get(0).replicaDirectories()).isEqualTo(replicas.get(1).replicaDirectories());
		assertThat(this.recovery.recover(this.root).completed()).isEqualTo(1);
	}

	@Test
	void recordEntriesCarryTheirTempsChecksumAsTheDesignSays() throws Exception {
		// DESIGN-11: "entry <target> <temp> <size> <crc32c hex>", and recovery verifies size and crc32c.
		CommitLeftovers.commitKilledAt(Point.directorySync(this.right), "g", this.targets);
		try {
			for (Path record : records(this.root)) {
				CommitRecordFile replica = CommitRecordFile.read(record);
				for (CommitRecordFile.Entry entry : replica.entries()) {
					assertThat(entry.crc()).as("crc32c of %s in %s", entry.temp(), record).isNotNull()
						.isEqualTo(CommitRecordFile.crc32c(replica.temp(entry)));
				}
			}
		}
		finally {
			this.recovery.recover(this.root);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "left", "right" })
	void rollsBackWhenTheReplicaOfOneDirectoryIsMissing(String missing) throws Exception {
		CommitLeftovers.commitKilledAt(Point.directorySync(this.right), "g", this.targets);
		// A crash before that replica's rename leaves exactly this: the commit point was never reached.
		Path gone = missing.equals("left") ? this.left : this.right;
		List<Path> replicas = records(gone);
		assertThat(replicas).hasSize(1);
		Files.delete(replicas.get(0));

		RecoveryReport report = this.recovery.recover(this.root);

		assertCounts(report, 0, 1, 0, 0);
		assertThat(report.records()).isEqualTo(1);
		assertContents(this.before);
		assertThat(this.listener.recovered()).singleElement().satisfies((event) -> {
			assertThat(event.outcome()).isEqualTo(Outcome.ROLLED_BACK);
			assertThat(normalized(event.targets())).containsExactlyInAnyOrderElementsOf(normalized(this.targets));
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "truncated", "no end line", "empty", "flipped byte", "bad end checksum", "garbage" })
	void tornOrCorruptRecordIsDeletedAndChangesNoTarget(String damage) throws Exception {
		List<Path> sameDirectory = List.of(this.targets.get(0), this.targets.get(1));
		CommitLeftovers.commitKilledAt(Point.directorySync(this.left), "g", sameDirectory);
		Path record = records(this.root).get(0);
		damage(record, damage);

		RecoveryReport report = this.recovery.recover(this.root);

		assertThat(record).as("a record that never was committed").doesNotExist();
		assertThat(report.records()).isEqualTo(1);
		assertThat(report.completed()).isZero();
		assertThat(report.keptLive()).isZero();
		assertThat(report.failed()).isZero();
		assertContents(this.before);
		assertThat(this.listener.recovered()).noneMatch((event) -> event.outcome() == Outcome.COMPLETED);
		// Its temps are unprotected orphans now: the reaper's to delete.
		reapEverything();
		assertContents(this.before);
	}

	@Test
	void oneCorruptReplicaOfTwoNeverLeavesAMix() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.directorySync(this.right), "g", this.targets);
		damage(records(this.right).get(0), "flipped byte");

		RecoveryReport report = this.recovery.recover(this.root);
		reapEverything();

		assertThat(report.completed()).isZero();
		Map<Path, byte[]> now = contents(this.targets);
		boolean allOld = this.targets.stream().allMatch((t) -> java.util.Arrays.equals(now.get(t), this.before.get(t)));
		boolean allNew = this.targets.stream().allMatch((t) -> java.util.Arrays.equals(now.get(t), after.get(t)));
		assertThat(allOld || allNew).as("all or nothing, %s", report).isTrue();
		if (!records(this.root).isEmpty()) {
			// Left for an operator (counted as failed): then nothing may have been touched.
			assertThat(report.failed()).isPositive();
			assertThat(allOld).isTrue();
			records(this.root).forEach(CommitRecoveryTest::deleteQuietly);
			CommitLeftovers.tempsIn(this.left, this.right).forEach(CommitRecoveryTest::deleteQuietly);
		}
	}

	@Test
	void missingReplicaDirectoryFailsAndTouchesNothingUntilItIsBack() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(5), "g", this.targets);
		Path away = this.root.resolve("moved-away");
		Files.move(this.root.resolve("right"), away);
		Map<String, String> leftBefore = TreeSnapshot.of(this.left);

		RecoveryReport report = this.recovery.recover(this.left);

		assertCounts(report, 0, 0, 0, 1);
		assertThat(TreeSnapshot.of(this.left)).isEqualTo(leftBefore);
		assertThat(this.listener.recovered()).isEmpty();

		Files.move(away, this.root.resolve("right"));
		RecoveryReport again = this.recovery.recover(this.left);
		assertCounts(again, 1, 0, 0, 0);
		assertContents(after);
	}

	@ParameterizedTest
	@ValueSource(strings = { "one byte longer", "one byte shorter", "empty" })
	void tempOfTheWrongSizeFailsAndTouchesNothing(String change) throws Exception {
		assertATempThatIsNotWhatTheRecordSaysFailsAndTouchesNothing(change);
	}

	@Test
	void tempOfTheRightSizeButOtherBytesFailsOnItsChecksumAndTouchesNothing() throws Exception {
		// DESIGN-11 has recovery verify each temp's crc32c, not only its size.
		assertATempThatIsNotWhatTheRecordSaysFailsAndTouchesNothing("same size, other bytes");
	}

	private void assertATempThatIsNotWhatTheRecordSaysFailsAndTouchesNothing(String change) throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.directorySync(this.right), "g", this.targets);
		CommitRecordFile record = CommitRecordFile.read(records(this.left).get(0));
		Path temp = record.temps().get(record.targets().indexOf(this.targets.get(2)));
		byte[] good = Files.readAllBytes(temp);
		byte[] bad = switch (change) {
			case "same size, other bytes" -> flipped(good, good.length / 2);
			case "one byte longer" -> java.util.Arrays.copyOf(good, good.length + 1);
			case "one byte shorter" -> java.util.Arrays.copyOf(good, good.length - 1);
			default -> new byte[0];
		};
		Files.write(temp, bad);
		Map<String, String> treeBefore = TreeSnapshot.of(this.root);

		RecoveryReport report = this.recovery.recover(this.root);

		assertThat(report.failed()).isPositive();
		assertThat(report.completed()).isZero();
		assertThat(report.rolledBack()).isZero();
		assertThat(TreeSnapshot.of(this.root)).isEqualTo(treeBefore);
		assertThat(this.listener.recovered()).isEmpty();

		Files.write(temp, good);
		assertCounts(this.recovery.recover(this.root), 1, 0, 0, 0);
		assertContents(after);
	}

	@Test
	void liveCommitterInAnotherJvmIsLeftAloneAndFinishesItself() throws Exception {
		try (CommitLeftovers.Stopped committer = CommitLeftovers.commitStoppedAt(Point.rename(4), "g",
				this.targets)) {
			assertThat(records(this.root)).hasSize(2);
			Map<String, String> treeBefore = TreeSnapshot.of(this.root);

			RecoveryReport report = this.recovery.recover(this.root);

			assertThat(report.keptLive()).as("%s", report).isPositive();
			assertThat(report.completed() + report.rolledBack() + report.failed()).isZero();
			assertThat(TreeSnapshot.of(this.root)).isEqualTo(treeBefore);
			assertThat(this.listener.recovered()).isEmpty();

			assertThat(committer.resume()).isEqualTo("g\tDONE");
			assertContents(committer.newContents());
		}
	}

	@Test
	void replicaLockedByAnotherRecovererIsLeftAloneUntilItsLockIsGone() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(4), "g", this.targets);
		Path replica = records(this.right).get(0);
		try (ReaperChild other = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			other.send("hold\th\t" + replica);
			other.awaitLine("h\tHELD");
			Map<String, String> treeBefore = TreeSnapshot.of(this.root);

			RecoveryReport report = this.recovery.recover(this.root);

			assertThat(report.keptLive()).as("%s", report).isPositive();
			assertThat(report.completed() + report.rolledBack() + report.failed()).isZero();
			assertThat(TreeSnapshot.of(this.root)).isEqualTo(treeBefore);

			other.send("release\th");
			other.awaitLine("h\tRELEASED");
		}
		assertCounts(this.recovery.recover(this.root), 1, 0, 0, 0);
		assertContents(after);
	}

	@Test
	void recordOfThisProcessIsKeptLiveWithoutBeingOpened() throws IOException {
		String ownId = TempFileNames.newSuffix().substring(".tmp.af-".length());
		// Not a valid record: had recovery opened it, it would have deleted it as torn.
		Path record = Files.writeString(this.left.resolve(CommitFixtures.RECORD_PREFIX + ownId), "torn");
		Map<String, String> treeBefore = TreeSnapshot.of(this.root);

		RecoveryReport report = this.recovery.recover(this.root);

		assertThat(report.records()).isEqualTo(1);
		assertThat(report.keptLive()).isEqualTo(1);
		assertThat(report.completed() + report.rolledBack() + report.failed()).isZero();
		assertThat(TreeSnapshot.of(this.root)).isEqualTo(treeBefore);
		Files.delete(record);
	}

	@Test
	void recoveringTwiceIsIdempotent() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(3), "g", this.targets);
		assertCounts(this.recovery.recover(this.root), 1, 0, 0, 0);
		Map<String, String> settled = TreeSnapshot.of(this.root);

		RecoveryReport again = this.recovery.recover(this.root);

		assertThat(again.records()).isZero();
		assertCounts(again, 0, 0, 0, 0);
		assertThat(TreeSnapshot.of(this.root)).isEqualTo(settled);
		assertContents(after);
		assertThat(this.listener.recovered()).hasSize(1);
	}

	@Test
	void recoveringARegularFileSettlesTheRecordsOfItsDirectory() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(5), "g", this.targets);

		RecoveryReport report = this.recovery.recover(this.targets.get(0));

		assertThat(report.pathExists()).isTrue();
		assertCounts(report, 1, 0, 0, 0);
		assertContents(after);
	}

	@Test
	void recoveringAMissingPathReportsItAndThrowsNothing() {
		Path missing = this.root.resolve("missing");
		RecoveryReport report = this.recovery.recover(missing);
		assertThat(report.path()).isEqualTo(missing);
		assertThat(report.pathExists()).isFalse();
		assertThat(report.records()).isZero();
		assertCounts(report, 0, 0, 0, 0);
		assertThat(report.succeeded()).isTrue();
		assertThat(missing).doesNotExist();
	}

	@Test
	void treeWithoutRecordsIsLeftExactlyAsItIs() {
		Map<String, String> treeBefore = TreeSnapshot.of(this.root);
		RecoveryReport report = this.recovery.recover(this.root);
		assertThat(report.pathExists()).isTrue();
		assertThat(report.records()).isZero();
		assertCounts(report, 0, 0, 0, 0);
		assertThat(TreeSnapshot.of(this.root)).isEqualTo(treeBefore);
	}

	private static void assertCounts(RecoveryReport report, long completed, long rolledBack, long keptLive,
			long failed) {
		assertThat(report).as("report").satisfies((r) -> {
			assertThat(r.completed()).as("completed in %s", r).isEqualTo(completed);
			assertThat(r.rolledBack()).as("rolled back in %s", r).isEqualTo(rolledBack);
			assertThat(r.keptLive()).as("kept live in %s", r).isEqualTo(keptLive);
			assertThat(r.failed()).as("failed in %s", r).isEqualTo(failed);
			assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
		});
	}

	/** A reaper pass over the whole tree that deletes every dead temp at once. */
	private void reapEverything() {
		OrphanReaper.builder().minAge(Duration.ZERO).recursive(true).build().reap(this.root);
	}

	private static boolean isNew(Path target, Map<Path, byte[]> after) {
		try {
			return Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), after.get(target));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static List<Path> normalized(List<Path> paths) {
		return paths.stream().map((path) -> path.toAbsolutePath().normalize()).toList();
	}

	private static void damage(Path record, String damage) throws IOException {
		byte[] bytes = Files.readAllBytes(record);
		String text = new String(bytes, StandardCharsets.UTF_8);
		byte[] damaged = switch (damage) {
			case "truncated" -> java.util.Arrays.copyOf(bytes, bytes.length / 2);
			case "no end line" -> text.substring(0, text.lastIndexOf("\nend\t") + 1).getBytes(StandardCharsets.UTF_8);
			case "empty" -> new byte[0];
			// Inside the first entry's target name: still parsable, the checksum no longer matches.
			case "flipped byte" -> flipped(bytes, text.indexOf("\nentry\t") + "\nentry\t".length());
			case "bad end checksum" -> {
				int at = text.lastIndexOf("\nend\t") + "\nend\t".length();
				yield flipped(bytes, at, (byte) (bytes[at] == '0' ? '1' : '0'));
			}
			default -> "atomicfile-commit\t1\nthis is not a record\n".getBytes(StandardCharsets.UTF_8);
		};
		Files.write(record, damaged);
	}

	private static byte[] flipped(byte[] bytes, int at) {
		return flipped(bytes, at, (byte) (bytes[at] == 'x' ? 'y' : 'x'));
	}

	private static byte[] flipped(byte[] bytes, int at, byte to) {
		byte[] copy = bytes.clone();
		copy[at] = to;
		return copy;
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
