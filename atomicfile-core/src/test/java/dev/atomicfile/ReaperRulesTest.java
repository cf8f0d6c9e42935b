package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

	private final ReaperRules rules = new ReaperRules(Age.MIN_AGE.duration, Age.MAX_AGE.duration,
			List.of("*.tmp", "*.tmp.*", "db*"));

	@Test
	void classifiesTempNamesByProcessAndVariantWhateverThePatterns() {
		assertThat(kind(orphanName("data.json"), null)).isEqualTo(NameKind.LOCKED_TEMP);
		assertThat(kind(unlockedOrphanName("data.json"), null)).isEqualTo(NameKind.UNLOCKED_TEMP);
		assertThat(kind(ownProcessName("data.json"), null)).isEqualTo(NameKind.OWN_PROCESS_TEMP);
		assertThat(kind(ReaperFixtures.unlockedOwnProcessName("data.json"), null))
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
		ReaperRules withoutPatterns = new ReaperRules(Age.MIN_AGE.duration, Age.MAX_AGE.duration, List.of());
		assertThat(withoutPatterns.classify(Path.of("index.tmp"), null)).isEqualTo(NameKind.OTHER);
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
			assertThat(judge(NameKind.OWN_PROCESS_TEMP, type, Age.PAST_MAX_AGE, lock)).as("%s", type)
				.isEqualTo(Verdict.KEEP_LIVE);
		}
	}

	@ParameterizedTest
	@EnumSource(value = NameKind.class, names = { "LOCKED_TEMP", "EXTRA_MATCH", "OTHER" })
	void neverDeletesALinkUnlessItIsAStagedLinkNamedUnlocked(NameKind kind) {
		assertThat(judge(kind, EntryType.SYMBOLIC_LINK, Age.PAST_MAX_AGE, LockState.FREE)).isEqualTo(Verdict.SKIP);
	}

	@Test
	void aStagedLinkNamedUnlockedIsDeletedOnlyPastMaxAge() {
		assertThat(judge(NameKind.UNLOCKED_TEMP, EntryType.SYMBOLIC_LINK, Age.PAST_MAX_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.DELETE);
		assertThat(judge(NameKind.UNLOCKED_TEMP, EntryType.SYMBOLIC_LINK, Age.PAST_MIN_AGE, LockState.UNTESTED))
			.isEqualTo(Verdict.KEEP_YOUNG);
	}

	@ParameterizedTest
	@EnumSource(NameKind.class)
	void neverOpensOrDeletesLinksFifosAndDevices(NameKind kind) {
		assertThat(judge(kind, EntryType.OTHER, Age.PAST_MAX_AGE, LockState.FREE)).isEqualTo(Verdict.SKIP);
	}

	@ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
	@CsvSource(textBlock = """
			# A temp file of another process: young ones are not even opened; then the lock decides.
			LOCKED_TEMP,   REGULAR_FILE,      YOUNG,        UNTESTED,    KEEP_YOUNG
			LOCKED_TEMP,   REGULAR_FILE,      MIN_AGE,      UNTESTED,    TEST_LOCK
			LOCKED_TEMP,   REGULAR_FILE,      PAST_MIN_AGE, FREE,        DELETE
			LOCKED_TEMP,   REGULAR_FILE,      PAST_MAX_AGE, HELD,        KEEP_LIVE
			LOCKED_TEMP,   REGULAR_FILE,      PAST_MAX_AGE, FAILED,      FAILED
			# No locks on its file system: maxAge.
			LOCKED_TEMP,   REGULAR_FILE,      PAST_MIN_AGE, UNSUPPORTED, KEEP_YOUNG
			LOCKED_TEMP,   REGULAR_FILE,      MAX_AGE,      UNSUPPORTED, DELETE
			# A temp-named directory is looked into first, whatever its age.
			LOCKED_TEMP,   DIRECTORY,         YOUNG,        UNTESTED,    INSPECT
			UNLOCKED_TEMP, DIRECTORY,         PAST_MAX_AGE, UNTESTED,    INSPECT
			# One with a lock file is judged by that lock.
			LOCKED_TEMP,   LOCKED_DIRECTORY,  YOUNG,        UNTESTED,    KEEP_YOUNG
			LOCKED_TEMP,   LOCKED_DIRECTORY,  PAST_MIN_AGE, UNTESTED,    TEST_LOCK
			LOCKED_TEMP,   LOCKED_DIRECTORY,  PAST_MIN_AGE, FREE,        DELETE
			LOCKED_TEMP,   LOCKED_DIRECTORY,  PAST_MAX_AGE, HELD,        KEEP_LIVE
			# An empty one (killed before its lock file) once minAge old, without a test, either variant.
			LOCKED_TEMP,   EMPTY_DIRECTORY,   YOUNG,        UNTESTED,    KEEP_YOUNG
			LOCKED_TEMP,   EMPTY_DIRECTORY,   MIN_AGE,      UNTESTED,    DELETE
			UNLOCKED_TEMP, EMPTY_DIRECTORY,   YOUNG,        UNTESTED,    KEEP_YOUNG
			UNLOCKED_TEMP, EMPTY_DIRECTORY,   MIN_AGE,      UNTESTED,    DELETE
			# Extra matches by maxAge; a directory matching a pattern is entered, never deleted.
			EXTRA_MATCH,   REGULAR_FILE,      PAST_MIN_AGE, UNTESTED,    KEEP_YOUNG
			EXTRA_MATCH,   REGULAR_FILE,      MAX_AGE,      UNTESTED,    DELETE
			EXTRA_MATCH,   DIRECTORY,         PAST_MAX_AGE, UNTESTED,    DESCEND
			OTHER,         DIRECTORY,         PAST_MAX_AGE, UNTESTED,    DESCEND
			OTHER,         REGULAR_FILE,      PAST_MAX_AGE, FREE,        SKIP
			""")
	void judgesEachEntryByItsFacts(NameKind kind, EntryType type, Age age, LockState lock, Verdict expected) {
		assertThat(judge(kind, type, age, lock)).isEqualTo(expected);
	}

	@ParameterizedTest
	@EnumSource(LockState.class)
	void judgesAnUnlockedTempByMaxAgeAloneWithoutATest(LockState lock) {
		for (EntryType type : List.of(EntryType.REGULAR_FILE, EntryType.LOCKED_DIRECTORY)) {
			assertThat(judge(NameKind.UNLOCKED_TEMP, type, Age.PAST_MIN_AGE, lock)).as("%s", type)
				.isEqualTo(Verdict.KEEP_YOUNG);
			assertThat(judge(NameKind.UNLOCKED_TEMP, type, Age.MAX_AGE, lock)).as("%s", type).isEqualTo(Verdict.DELETE);
		}
	}

	@ParameterizedTest
	@EnumSource(value = NameKind.class, names = { "LOCKED_TEMP", "UNLOCKED_TEMP" })
	void neverDeletesATempNamedDirectoryWithContentButNoLockFile(NameKind kind) {
		for (LockState lock : LockState.values()) {
			assertThat(judge(kind, EntryType.FOREIGN_DIRECTORY, Age.PAST_MAX_AGE, lock))
				.isEqualTo(Verdict.NOT_OURS);
		}
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

	/** The ages the rules tell apart, with minAge 10 s and maxAge 1 h. */
	enum Age {

		YOUNG(Duration.ofSeconds(1)), MIN_AGE(Duration.ofSeconds(10)), PAST_MIN_AGE(Duration.ofMinutes(5)),
		MAX_AGE(Duration.ofHours(1)), PAST_MAX_AGE(Duration.ofHours(2));

		final Duration duration;

		Age(Duration duration) {
			this.duration = duration;
		}

	}

	private NameKind kind(String name, String targetName) {
		return this.rules.classify(Path.of(name), targetName);
	}

	private Verdict judge(NameKind kind, EntryType type, Age age, LockState lock) {
		return this.rules.judge(kind, type, age.duration, lock);
	}

}
