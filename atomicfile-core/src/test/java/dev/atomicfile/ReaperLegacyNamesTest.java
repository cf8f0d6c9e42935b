package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.testsupport.ReaperChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static dev.atomicfile.ReaperFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temp files of writers that hold no lock (a Python helper's {@code <name>.tmp.<pid>.<tid>.<ns>},
 * fixed names like {@code index.faiss.tmp}) are matched by {@code extraPatterns} and judged by
 * {@code maxAge} alone: a free lock proves nothing about a writer that never locks.
 */
class ReaperLegacyNamesTest {

	private static final List<String> LEGACY_PATTERNS = List.of("*.tmp.[0-9]*", "index.faiss.tmp");

	/** minAge zero: a legacy file must still wait for maxAge. */
	private final OrphanReaper reaper = OrphanReaper.builder()
		.minAge(Duration.ZERO)
		.maxAge(Duration.ofHours(1))
		.extraPatterns(LEGACY_PATTERNS)
		.build();

	@TempDir
	Path directory;

	@Test
	void reapsTheReferenceHelpersTempFilesOnceOlderThanMaxAge() throws Exception {
		Path old = file(this.directory.resolve("data.json.tmp.4242.139872.1718000000123456789"), "x", PAST_MAX_AGE);
		Path recent = file(this.directory.resolve("data.json.tmp.4243.139873.1718000000123456790"), "x",
				PAST_MIN_AGE);
		Path fresh = file(this.directory.resolve("model[v2].bin.tmp.1.1.1"), "x", Duration.ZERO);

		ReapReport report = this.reaper.reap(this.directory);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(report.keptYoung()).isEqualTo(2);
		assertThat(old).doesNotExist();
		assertThat(recent).exists();
		assertThat(fresh).exists();
	}

	@Test
	void reapsFixedSuffixTempFilesOnceOlderThanMaxAge() throws Exception {
		Path young = file(this.directory.resolve("index.faiss.tmp"), "x", PAST_MIN_AGE);
		Path lookalike = file(this.directory.resolve("index.faiss.tmp.bak"), "x", PAST_MAX_AGE);

		ReapReport first = this.reaper.reap(this.directory);
		assertThat(first.reaped()).isZero();
		assertThat(first.keptYoung()).isEqualTo(1);
		assertThat(young).exists();

		ReaperFixtures.age(young, PAST_MAX_AGE);
		ReapReport second = this.reaper.reap(this.directory);
		assertThat(second.reaped()).isEqualTo(1);
		assertThat(young).doesNotExist();
		assertThat(lookalike).exists();
	}

	@Test
	void fileModeReapsOnlyThatFilesLegacySiblings() throws Exception {
		Path target = file(this.directory.resolve("data.json"), "current", Duration.ZERO);
		Path own = file(this.directory.resolve("data.json.tmp.4242.139872.1718000000123456789"), "x", PAST_MAX_AGE);
		Path neighbours = file(this.directory.resolve("other.json.tmp.4242.139872.1718000000123456789"), "x",
				PAST_MAX_AGE);
		Path faiss = file(this.directory.resolve("index.faiss.tmp"), "x", PAST_MAX_AGE);

		ReapReport report = this.reaper.reap(target);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(own).doesNotExist();
		assertThat(neighbours).exists();
		assertThat(faiss).exists();
		assertThat(target).hasContent("current");
	}

	@Test
	void leavesLegacyNamesAloneWithoutExtraPatterns() throws Exception {
		Path legacy = file(this.directory.resolve("data.json.tmp.4242.139872.1718000000123456789"), "x", PAST_MAX_AGE);
		Path fixed = file(this.directory.resolve("index.faiss.tmp"), "x", PAST_MAX_AGE);

		ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).build().reap(this.directory);

		assertThat(report.reaped()).isZero();
		assertThat(legacy).exists();
		assertThat(fixed).exists();
	}

	@Test
	void judgesANameMatchingBothTheOwnFormatAndAPatternByLiveness() throws Exception {
		// "v.tmp.3.tmp.af-…" matches *.tmp.[0-9]* too; the liveness rule must win both ways.
		Path target = file(this.directory.resolve("v.tmp.3"), "old", Duration.ZERO);
		Path deadYoungerThanMaxAge = ReaperFixtures.orphanOf(this.directory, "v.tmp.3", PAST_MIN_AGE);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			Path liveOlderThanMaxAge = ReaperLivenessTest.begin(writer, "1", target);
			ReaperFixtures.age(liveOlderThanMaxAge, PAST_MAX_AGE);

			ReapReport report = this.reaper.reap(this.directory);

			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.keptLive()).isEqualTo(1);
			assertThat(deadYoungerThanMaxAge).doesNotExist();
			assertThat(liveOlderThanMaxAge).exists();
			ReaperLivenessTest.finish(writer, "1");
		}
		assertThat(target).hasContent(ReaperWriterMain.content("1"));
	}

}
