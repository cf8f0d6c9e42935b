package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.atomicfile.CommitLeftovers.Point;
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
import static dev.atomicfile.CommitFixtures.temps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reaper and commits: a temp that a valid record in its directory names is never deleted, not
 * by a pass with zero ages, not by one aimed at the target itself, even though its committer is
 * dead and nobody holds its lock; once recovery has settled the commit, what is left is the
 * reaper's. Records themselves are never reaped, whatever extra patterns say, valid or torn.
 */
class CommitReaperTest {

	private static final byte[] OLD = "old content\n".getBytes(StandardCharsets.UTF_8);

	/** Both ages zero: only the record stands between a dead committer's temp and its deletion. */
	private final OrphanReaper eager = OrphanReaper.builder()
		.minAge(Duration.ZERO)
		.maxAge(Duration.ZERO)
		.recursive(true)
		.build();

	@TempDir
	Path root;

	private Path left;

	private Path right;

	private List<Path> targets;

	private Map<Path, byte[]> before;

	@BeforeEach
	void twoDirectoriesThreeTargets() throws IOException {
		this.left = Files.createDirectory(this.root.resolve("left"));
		this.right = Files.createDirectories(this.root.resolve("right").resolve("nested"));
		this.targets = List.of(Files.write(this.left.resolve("one.txt"), OLD), this.left.resolve("two.txt"),
				Files.write(this.right.resolve("three.txt"), OLD));
		this.before = contents(this.targets);
	}

	@AfterEach
	void nothingLeft() throws IOException {
		assertNothingLeft(this.root);
	}

	@Test
	void tempsOfADeadCommitterPastItsCommitPointSurviveEveryPassUntilRecoverySettlesThem() throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(4), "g", this.targets);
		assertThat(temps(this.root)).as("the two temps not yet renamed").hasSize(2);
		Map<String, String> leftovers = TreeSnapshot.of(this.root);

		ReapReport tree = this.eager.reap(this.root);
		ReapReport leftOnly = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build().reap(this.left);
		ReapReport rightOnly = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build().reap(this.right);
		for (Path target : this.targets) {
			// Aimed at one file, a pass judges exactly that file's temps.
			OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build().reap(target);
		}

		assertThat(List.of(tree, leftOnly, rightOnly)).allSatisfy((report) -> {
			assertThat(report.reaped()).as("reaped in %s", report).isZero();
			assertThat(report.failed()).as("failed in %s", report).isZero();
		});
		assertThat(TreeSnapshot.of(this.root)).as("nothing deleted").isEqualTo(leftovers);

		assertThat(CommitRecovery.builder().build().recover(this.root).completed()).isEqualTo(1);
		assertContents(after);
		assertThat(this.eager.reap(this.root).reaped()).as("nothing left for the reaper").isZero();
	}

	@Test
	void tempsOfATornRecordAreTheReapersOnceRecoveryHasDeletedTheRecord() throws Exception {
		List<Path> sameDirectory = List.of(this.targets.get(0), this.targets.get(1));
		CommitLeftovers.commitKilledAt(Point.directorySync(this.left), "g", sameDirectory);
		Path record = records(this.root).get(0);
		byte[] bytes = Files.readAllBytes(record);
		Files.write(record, java.util.Arrays.copyOf(bytes, bytes.length / 2));

		ReapReport first = this.eager.reap(this.root);
		assertThat(record).as("a record, even a torn one, is never reaped").exists();
		assertThat(first.failed()).isZero();

		RecoveryReport recovered = CommitRecovery.builder().build().recover(this.root);
		assertThat(record).doesNotExist();
		assertThat(recovered.completed()).isZero();

		ReapReport second = this.eager.reap(this.root);
		assertThat(first.reaped() + second.reaped()).as("both dead temps reaped, before or after recovery")
			.isEqualTo(2);
		assertContents(this.before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", ".atomicfile-commit*", ".*", "*-1", "*[0-9]" })
	void recordsAreNeverReapedNorTakenForTempsWhateverTheExtraPatterns(String pattern) throws Exception {
		Map<Path, byte[]> after = CommitLeftovers.commitKilledAt(Point.rename(3), "g", this.targets);
		List<Path> records = records(this.root);
		assertThat(records).hasSize(2);
		// A torn record beside them: not a valid record, still a record's name.
		Path torn = Files.writeString(this.left.resolve(CommitFixtures.RECORD_PREFIX + "1-0badf00d-1-1"), "torn");
		ReaperFixtures.age(torn, ReaperFixtures.PAST_MAX_AGE);
		OrphanReaper reaper = OrphanReaper.builder()
			.minAge(Duration.ZERO)
			.maxAge(Duration.ZERO)
			.recursive(true)
			.extraPatterns(List.of(pattern))
			.build();
		for (Path record : records) {
			assertThat(reaper.isTempFileName(record.getFileName().toString())).as("%s a temp for %s", record, pattern)
				.isFalse();
		}
		assertThat(reaper.isTempFileName(torn.getFileName().toString())).isFalse();

		ReapReport report = reaper.reap(this.root);

		assertThat(records).allSatisfy((record) -> assertThat(record).exists());
		assertThat(torn).hasContent("torn");
		assertThat(temps(this.root)).as("temps the records name").hasSize(3);
		assertThat(report.failed()).isZero();
		Files.delete(torn);
		assertThat(CommitRecovery.builder().build().recover(this.root).completed()).isEqualTo(1);
		assertContents(after);
	}

	@Test
	void liveCommittersTempsAndRecordsSurviveAZeroAgeReaper() throws Exception {
		try (CommitLeftovers.Stopped committer = CommitLeftovers.commitStoppedAt(Point.rename(3), "g",
				this.targets)) {
			Map<String, String> frozen = TreeSnapshot.of(this.root);
			ReapReport report = this.eager.reap(this.root);
			assertThat(report.reaped()).isZero();
			assertThat(TreeSnapshot.of(this.root)).isEqualTo(frozen);
			assertThat(committer.resume()).isEqualTo("g\tDONE");
			assertContents(committer.newContents());
		}
	}

}
