package dev.atomicfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.atomicfile.testsupport.ReaperChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static dev.atomicfile.ReaperFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Extra patterns never decide about a name in the temp format, whichever way they would decide,
 * and reaping one file reaches only that file's own temps and its {@code <name>.} siblings, never
 * a neighbour's ({@code db} against {@code db2.tmp.af-…} live and dead, {@code db2.tmp} and
 * {@code db.tmp}). {@link OrphanReaper#isTempFileName} says exactly which names a pass takes.
 */
class ReaperExtraPatternsTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "*", "*.tmp.*", "*.tmp", "db*", "db2*" })
	void reapingAFileReachesOnlyItsOwnTempsAndDotSiblingsWhateverThePatterns(String pattern) throws Exception {
		Path db = file(this.directory.resolve("db"), "current", Duration.ZERO);
		Path db2 = file(this.directory.resolve("db2"), "neighbour", PAST_MAX_AGE);
		Path ownDead = ReaperFixtures.orphanOf(this.directory, "db", PAST_MIN_AGE);
		Path ownLegacy = file(this.directory.resolve("db.tmp"), "legacy", PAST_MAX_AGE);
		Path neighbourDead = ReaperFixtures.orphanOf(this.directory, "db2", PAST_MAX_AGE);
		Path neighbourLegacy = file(this.directory.resolve("db2.tmp"), "neighbour's legacy", PAST_MAX_AGE);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			Path neighbourLive = ReaperLivenessTest.begin(writer, "1", db2);
			ReaperFixtures.age(neighbourLive, PAST_MAX_AGE);

			ReapReport report = OrphanReaper.builder()
				.minAge(Duration.ZERO)
				.extraPatterns(List.of(pattern))
				.build()
				.reap(db);

			boolean legacyMatches = !pattern.equals("*.tmp.*") && !pattern.equals("db2*");
			assertThat(report.reaped()).isEqualTo(legacyMatches ? 2 : 1);
			assertThat(report.keptLive()).as("the neighbour's live temp is not even looked at").isZero();
			assertThat(ownDead).doesNotExist();
			assertThat(Files.exists(ownLegacy)).isEqualTo(!legacyMatches);
			assertThat(List.of(db, db2, neighbourDead, neighbourLegacy, neighbourLive))
				.allSatisfy((kept) -> assertThat(kept).exists());
			ReaperLivenessTest.finish(writer, "1");
		}
		assertThat(db2).hasContent(ReaperWriterMain.content("1"));
	}

	@Test
	void aPatternNeverDeletesATempThatItsOwnRuleKeeps() throws Exception {
		Path target = file(this.directory.resolve("data.json"), "old", Duration.ZERO);
		Path own = file(this.directory.resolve(ReaperFixtures.ownProcessName("data.json")), "own", PAST_MAX_AGE);
		Path unlockedYoung = file(this.directory.resolve(ReaperFixtures.unlockedOrphanName("data.json")), "afu",
				PAST_MIN_AGE);
		Path deadYoung = ReaperFixtures.orphanOf(this.directory, "data.json", Duration.ZERO);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			Path liveOld = ReaperLivenessTest.begin(writer, "1", target);
			ReaperFixtures.age(liveOld, PAST_MAX_AGE);

			// "*" would delete any file an hour old: the temp rules must win for every temp name.
			ReapReport report = OrphanReaper.builder()
				.minAge(Duration.ofMinutes(1))
				.extraPatterns(List.of("*"))
				.build()
				.reap(this.directory);

			assertThat(report.keptLive()).as("alive, and this process's own").isEqualTo(2);
			assertThat(report.keptYoung()).as("the target, the afu temp and the young dead temp").isEqualTo(3);
			assertThat(report.reaped()).isZero();
			assertThat(List.of(own, unlockedYoung, deadYoung, liveOld)).allSatisfy((kept) -> assertThat(kept).exists());
			ReaperLivenessTest.finish(writer, "1");
		}
	}

	@Test
	void aPatternNeverKeepsATempThatItsOwnRuleDeletes() throws Exception {
		// Past minAge but not maxAge: "*.tmp.*" alone would keep it an hour; its free lock says dead now.
		Path dead = ReaperFixtures.orphanOf(this.directory, "data.json", PAST_MIN_AGE);
		Path legacy = file(this.directory.resolve("data.json.tmp.42"), "legacy", PAST_MIN_AGE);

		ReapReport report = OrphanReaper.builder().extraPatterns(List.of("*.tmp.*")).build().reap(this.directory);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(report.keptYoung()).isEqualTo(1);
		assertThat(dead).doesNotExist();
		assertThat(legacy).exists();
	}

	@Test
	void tellsExactlyWhichNamesAPassTakesForTempFiles() throws Exception {
		OrphanReaper reaper = OrphanReaper.builder()
			.minAge(Duration.ZERO)
			.maxAge(Duration.ZERO)
			.extraPatterns(List.of("*.tmp.[0-9]*", "index.faiss.tmp"))
			.build();
		List<String> names = List.of(ReaperFixtures.orphanName("a.json"), ReaperFixtures.unlockedOrphanName("a.json"),
				"a.json.tmp.4242.1.2", "index.faiss.tmp", "a.json", "a.json.tmp", "index.faiss.tmp.bak",
				"a.json.tmp.af-1-zzzzzzzz-1-1", TempFileNames.LOCK_FILE_NAME, "x.tmp.af-1-deadbeef-1-1\n");
		for (String name : names) {
			file(this.directory.resolve(name), name, PAST_MAX_AGE);
		}

		reaper.reap(this.directory);

		Map<Boolean, List<String>> byDeletion = names.stream()
			.collect(Collectors.partitioningBy((name) -> !Files.exists(this.directory.resolve(name))));
		assertThat(byDeletion.get(true)).hasSize(4)
			.allSatisfy((name) -> assertThat(reaper.isTempFileName(name)).as(name).isTrue());
		assertThat(byDeletion.get(false))
			.allSatisfy((name) -> assertThat(reaper.isTempFileName(name)).as(name).isFalse());
		assertThat(reaper.isTempFileName(ReaperFixtures.ownProcessName("a.json")))
			.as("this process's own temps are temp names too, kept until the process is gone")
			.isTrue();
		assertThat(OrphanReaper.builder().build().isTempFileName("a.json.tmp.4242.1.2"))
			.as("no extra patterns, no legacy names").isFalse();
	}

}
