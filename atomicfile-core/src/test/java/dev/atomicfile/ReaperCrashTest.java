package dev.atomicfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.TreeSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writer JVMs killed with SIGKILL mid-write leave orphans; the next pass after {@code minAge}
 * deletes every one of them, long before {@code maxAge}, and every target still holds its complete
 * old content.
 */
class ReaperCrashTest {

	private static final int WRITERS = Integer.getInteger("atomicfile.reaper.crash.writers", 4);

	/** Each writer JVM writes all of these at once; the long one gets a shortened temp name. */
	private static final List<String> TARGET_NAMES = List.of("state.json", "model[v2]*?.bin",
			"é".repeat(115) + "-long.dat");

	@TempDir
	Path directory;

	@Test
	void reapsEveryOrphanOfKilledWritersOnceMinAgeHasPassedAndLeavesTargetsIntact() throws Exception {
		Path nested = Files.createDirectory(this.directory.resolve("nested"));
		Map<Path, String> oldContent = new HashMap<>();
		List<ReaperChild> writers = new ArrayList<>();
		List<Path> orphans = new ArrayList<>();
		try {
			for (int i = 0; i < WRITERS; i++) {
				writers.add(ReaperChild.start(List.of(), ReaperWriterMain.class));
			}
			for (int i = 0; i < WRITERS; i++) {
				Path dir = (i % 2 == 0) ? this.directory : nested;
				for (String name : TARGET_NAMES) {
					Path target = dir.resolve(i + "-" + name);
					String content = ("complete old payload of " + target.getFileName() + "\n").repeat(2000);
					ReaperFixtures.file(target, content, Duration.ZERO);
					oldContent.put(target, content);
					orphans.add(ReaperLivenessTest.begin(writers.get(i), i + "/" + name, target));
				}
			}
			for (ReaperChild writer : writers) {
				writer.kill9();
			}
		}
		finally {
			for (ReaperChild writer : writers) {
				writer.close();
			}
		}
		assertThat(orphans).hasSize(WRITERS * TARGET_NAMES.size()).allSatisfy((orphan) -> assertThat(orphan).exists());
		assertThat(orphans).anySatisfy((orphan) -> assertThat(orphan.getFileName().toString()).contains("~"));

		OrphanReaper reaper = OrphanReaper.builder().recursive(true).build();
		ReapReport young = reaper.reap(this.directory);
		assertThat(young.keptYoung()).as("dead, but younger than minAge").isEqualTo(orphans.size());
		assertThat(young.reaped()).isZero();

		for (Path orphan : orphans) {
			ReaperFixtures.age(orphan, Duration.ofSeconds(11));
		}
		ReapReport report = reaper.reap(this.directory);

		assertThat(report.reaped()).isEqualTo(orphans.size());
		assertThat(report.keptLive() + report.keptYoung() + report.failed()).isZero();
		assertThat(orphans).allSatisfy((orphan) -> assertThat(orphan).doesNotExist());
		oldContent.forEach((target, content) -> assertThat(target).hasContent(content));
		assertThat(TreeSnapshot.of(this.directory)).hasSize(oldContent.size() + 1);
	}

}
