package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.atomicfile.ReaperRules.EntryType;
import dev.atomicfile.ReaperRules.LockState;
import dev.atomicfile.ReaperRules.NameKind;
import dev.atomicfile.ReaperRules.Verdict;

import static dev.atomicfile.ReaperFixtures.orphanName;
import static dev.atomicfile.ReaperFixtures.ownProcessName;
import static dev.atomicfile.ReaperFixtures.unlockedOrphanName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict on one entry from its facts alone, without a file: which names are whose, when a
 * directory is looked into, when a lock is tested, and what each age and lock state decides.
 */
class ReaperRulesTest {

	private static final Duration MIN_AGE = Duration.ofSeconds(10);

	private static final Duration MAX_AGE = Duration.ofHours(1);

	private static final Duration YOUNG = Duration.ofSeconds(1);

	private static final Duration PAST_MIN_AGE = Duration.ofMinutes(5);

	private static final Duration PAST_MAX_AGE = Duration.ofHours(2);

	private final ReaperRules rules = new ReaperRules(MIN_AGE, MAX_AGE, List.of("*.tmp", "*.tmp.*", "db*"));

	@Test
	void classifiesTempNamesByProcessAndVariantWhateverThePatterns() {
		assertThat(kind(orphanName("data.json"), null)).isEqualTo(NameKind.LOCKED_TEMP);
		assertThat(kind(unlockedOrphanName("data.json"), null)).isEqualTo(NameKind.UNLOCKED_TEMP);
		assertThat(kind(ownProcessName("data.json"), null)).isEqualTo(NameKind.OWN_PROCESS_TEMP);
		assertThat(kind(TempFileNames.unlockedVariant(ownProcessName("data.json")), null))
			.isEqualTo(NameKind.OWN_PROCESS_TEMP);
		// Every one of these matches an extra pattern too; the temp format wins.
		assertThat(List.of(orphanName("db"), orphanName("db2"), unlockedOrphanName("x.tmp"), ownProcessName("db")))
			.allSatisfy((name) -> assertThat(kind(name, null)).isNotEqualTo(NameKind.EXTRA_MATCH));
	}

	@Test
	void classifiesOtherNamesByTheExtraPatterns() {
		assertThat(kind("index.tmp", null)).isEqualTo(NameKind.EXTRA_MATCH);
		assertThat(kind("data.json.tmp.4242.1.2", null)).isEqualTo(NameKind.EXTRA_MATCH);
		assertThat(kind("db2", null)).isEqualTo(NameKind.EXTRA_MATCH);
		assertThat(kind("data.json", null)).isEqualTo(NameKind.OTHER);
		assertThat(kind(TempFileNames.LOCK_FILE_NAME, null)).isEqualTo(NameKind.OTHER);
		assertThat(new ReaperRules(MIN_AGE, MAX_AGE, List.of()).classify(Path.of("index.tmp"), null))
			.isEqualTo(NameKind.OTHER);
	}

	@Test
	void inFileModeCountsOnlyTheFilesOwnTempsAndDotSiblings() {
		assertThat(kind(orphanName("db"), "db")).isEqualTo(NameKind.LOCKED_TEMP);
		assertThat(kind(unlockedOrphanName("db"), "db")).isEqualTo(NameKind.UNLOCKED_TEMP);
		assertThat(kind(ownProcessName("db"), "db")).isEqualTo(NameKind.OWN_PROCESS_TEMP);
		assertThat(kind("db.tmp", "db")).isEqualTo(NameKind.EXTRA_MATCH);
		assertThat(kind("db.old.tmp", "db")).isEqualTo(NameKind.EXTRA_MATCH);
		assertThat(kind("db.", "db")).isEqualTo(NameKind.EXTRA_MATCH);
		// A neighbour's temps and files, whatever the patterns ("db*" matches them all).
		assertThat(List.of(orphanName("db2"), unlockedOrphanName("db2"), orphanName("db.x"), "db2.tmp", "db2", "db",
				"dbtmp.tmp"))
			.allSatisfy((name) -> assertThat(kind(name, "db")).as(name).isEqualTo(NameKind.OTHER));
	}

	@ParameterizedTest
	@EnumSource(LockState.class)
	void neverOpensOrDeletesThisProcesssTempsHoweverOldOrWhateverTheirLock(LockState lock) {
		for (EntryType type : EnumSet.complementOf(EnumSet.of(EntryType.OTHER))) {
			assertThat(judge(NameKind.OWN_PROCESS_TEMP, type, PAST_MAX_AGE, lock)).as("%s", type)
				.isEqualTo(Verdict.KEEP_LIVE);
		}
	}

	@ParameterizedTest
	@EnumSource(NameKind.class)
	void neverOpensOrDeletesLinksFifosAndDevices(NameKind kind) {
		assertThat(judge(kind, EntryType.OTHER, PAST_MAX_AGE, LockState.FREE)).isEqualTo(Verdict.SKIP);
	}

	@Test
	void judgesALockedTempFileByMinAgeThenByItsLock() {
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, YOUNG, LockState.UNTESTED))
			.as("young: not even opened").isEqualTo(Verdict.KEEP_YOUNG);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, MIN_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.TEST_LOCK);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, PAST_MIN_AGE, LockState.FREE))
			.isEqualTo(Verdict.DELETE);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, PAST_MAX_AGE, LockState.HELD))
			.as("alive however old").isEqualTo(Verdict.KEEP_LIVE);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, PAST_MAX_AGE, LockState.FAILED))
			.isEqualTo(Verdict.FAILED);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, PAST_MIN_AGE, LockState.UNSUPPORTED))
			.as("no locks: maxAge").isEqualTo(Verdict.KEEP_YOUNG);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.REGULAR_FILE, MAX_AGE, LockState.UNSUPPORTED))
			.isEqualTo(Verdict.DELETE);
	}

	@ParameterizedTest
	@EnumSource(LockState.class)
	void judgesAnUnlockedTempByMaxAgeAloneWithoutATest(LockState lock) {
		for (EntryType type : List.of(EntryType.REGULAR_FILE, EntryType.LOCKED_DIRECTORY)) {
			assertThat(judge(NameKind.UNLOCKED_TEMP, type, PAST_MIN_AGE, lock)).as("%s", type)
				.isEqualTo(Verdict.KEEP_YOUNG);
			assertThat(judge(NameKind.UNLOCKED_TEMP, type, MAX_AGE, lock)).as("%s", type).isEqualTo(Verdict.DELETE);
		}
	}

	@Test
	void looksIntoATempNamedDirectoryOfAnotherProcessBeforeJudgingIt() {
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.DIRECTORY, YOUNG, LockState.UNTESTED))
			.isEqualTo(Verdict.INSPECT);
		assertThat(judge(NameKind.UNLOCKED_TEMP, EntryType.DIRECTORY, PAST_MAX_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.INSPECT);
	}

	@Test
	void judgesATempDirectoryWithALockFileByThatLock() {
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.LOCKED_DIRECTORY, YOUNG, LockState.UNTESTED))
			.isEqualTo(Verdict.KEEP_YOUNG);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.LOCKED_DIRECTORY, PAST_MIN_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.TEST_LOCK);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.LOCKED_DIRECTORY, PAST_MIN_AGE, LockState.FREE))
			.isEqualTo(Verdict.DELETE);
		assertThat(judge(NameKind.LOCKED_TEMP, EntryType.LOCKED_DIRECTORY, PAST_MAX_AGE, LockState.HELD))
			.isEqualTo(Verdict.KEEP_LIVE);
	}

	@Test
	void deletesAnEmptyTempDirectoryOnceMinAgeOldWithoutATest() {
		for (NameKind kind : List.of(NameKind.LOCKED_TEMP, NameKind.UNLOCKED_TEMP)) {
			assertThat(judge(kind, EntryType.EMPTY_DIRECTORY, YOUNG, LockState.UNTESTED)).isEqualTo(Verdict.KEEP_YOUNG);
			assertThat(judge(kind, EntryType.EMPTY_DIRECTORY, MIN_AGE, LockState.UNTESTED)).isEqualTo(Verdict.DELETE);
		}
	}

	@ParameterizedTest
	@EnumSource(value = NameKind.class, names = { "LOCKED_TEMP", "UNLOCKED_TEMP" })
	void neverDeletesATempNamedDirectoryWithContentButNoLockFile(NameKind kind) {
		for (LockState lock : LockState.values()) {
			assertThat(judge(kind, EntryType.FOREIGN_DIRECTORY, PAST_MAX_AGE, lock)).isEqualTo(Verdict.NOT_OURS);
		}
	}

	@Test
	void judgesExtraMatchesByMaxAgeAndEntersOtherDirectories() {
		assertThat(judge(NameKind.EXTRA_MATCH, EntryType.REGULAR_FILE, PAST_MIN_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.KEEP_YOUNG);
		assertThat(judge(NameKind.EXTRA_MATCH, EntryType.REGULAR_FILE, MAX_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.DELETE);
		assertThat(judge(NameKind.EXTRA_MATCH, EntryType.DIRECTORY, PAST_MAX_AGE, LockState.UNTESTED))
			.as("a directory matching a pattern is entered, never deleted").isEqualTo(Verdict.DESCEND);
		assertThat(judge(NameKind.OTHER, EntryType.DIRECTORY, PAST_MAX_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.DESCEND);
		assertThat(judge(NameKind.OTHER, EntryType.REGULAR_FILE, PAST_MAX_AGE, LockState.FREE))
			.isEqualTo(Verdict.SKIP);
	}

	@Test
	void tellsWhichFileNamesAPassTakesForTempFiles() {
		assertThat(List.of(orphanName("a"), unlockedOrphanName("a"), ownProcessName("a"), "x.tmp", "x.tmp.1", "db",
				"db.json"))
			.allSatisfy((name) -> assertThat(this.rules.isTempFileName(name)).as(name).isTrue());
		assertThat(List.of("data.json", "x.tmpx", "", ".", "..", "a/b", "/x.tmp", "sub/x.tmp", "x.tmpaf-1-deadbeef-1-1",
				TempFileNames.LOCK_FILE_NAME, "nul\u0000.tmp"))
			.allSatisfy((name) -> assertThat(this.rules.isTempFileName(name)).as(name).isFalse());
	}

	private NameKind kind(String name, String targetName) {
		return this.rules.classify(Path.of(name), targetName);
	}

	private Verdict judge(NameKind kind, EntryType type, Duration age, LockState lock) {
		return this.rules.judge(kind, type, age, lock);
	}

}
