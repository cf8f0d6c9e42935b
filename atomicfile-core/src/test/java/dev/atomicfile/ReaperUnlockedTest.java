package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.StraceLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A temp whose writer could not lock it ({@code <name>.tmp.afu-…}) is judged by {@code maxAge}
 * alone: a free lock does not make it dead before then, a held one does not keep it after, and
 * the reaper never even opens it, as {@code strace} on a child JVM's pass shows.
 */
class ReaperUnlockedTest {

	@TempDir
	Path directory;

	@TempDir
	Path traces;

	@Test
	void keepsAnUnlockedTempUntilMaxAgeThoughNobodyHoldsItsLock() throws Exception {
		Path young = ReaperFixtures.file(this.directory.resolve(ReaperFixtures.unlockedOrphanName("a.json")), "afu",
				PAST_MIN_AGE);
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ZERO).build();

		ReapReport before = reaper.reap(this.directory);
		assertThat(before.keptYoung()).isEqualTo(1);
		assertThat(young).exists();

		ReaperFixtures.age(young, PAST_MAX_AGE);
		ReapReport after = reaper.reap(this.directory);
		assertThat(after.reaped()).isEqualTo(1);
		assertThat(young).doesNotExist();
	}

	@Test
	void deletesAnUnlockedTempPastMaxAgeThoughAProcessHoldsItsLock() throws Exception {
		Path old = ReaperFixtures.file(this.directory.resolve(ReaperFixtures.unlockedOrphanName("a.json")), "afu",
				PAST_MAX_AGE);
		try (ReaperChild holder = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			ReaperLivenessTest.hold(holder, "1", old);

			ReapReport report = OrphanReaper.builder().build().reap(this.directory);

			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.keptLive()).isZero();
			assertThat(old).doesNotExist();
		}
	}

	@Test
	void neverOpensAnUnlockedTemp() throws Exception {
		String unlocked = ReaperFixtures.unlockedOrphanName("a.json");
		String locked = ReaperFixtures.orphanName("b.json");
		ReaperFixtures.file(this.directory.resolve(unlocked), "afu", PAST_MIN_AGE);
		ReaperFixtures.file(this.directory.resolve(locked), "af", PAST_MIN_AGE);
		Path trace = this.traces.resolve("strace.out");
		List<String> strace = List.of("strace", "-f", "-qq", "-s", "512", "-o", trace.toString(), "-e",
				"trace=open,openat,openat2");

		try (ReaperChild reaper = ReaperChild.start(strace, ReaperMain.class, this.directory.toString(), "0",
				String.valueOf(Duration.ofHours(1).toMillis()), "false")) {
			ReapReport report = ReaperMain.parse(this.directory, reaper.awaitLine("REPORT\t"));
			assertThat(reaper.process().waitFor()).as("exit status of strace and the reaper").isZero();
			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.keptYoung()).isEqualTo(1);
		}

		List<StraceLog.Call> opens = StraceLog.read(trace).calls();
		assertThat(opens).as("the dead locked temp was opened for its lock test, so the trace sees opens")
			.anySatisfy((call) -> assertThat(call.paths()).contains(locked));
		assertThat(opens).noneSatisfy((call) -> assertThat(call.paths()).contains(unlocked));
	}

}
