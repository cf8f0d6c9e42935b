package dev.atomicfile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Trees far deeper than a call stack or {@code PATH_MAX} allow: 6,000 nested directories, whose
 * innermost paths are about 12,000 bytes long. A recursive pass reaches an orphan at the bottom,
 * and a dead writer's temp directory holding such a tree is removed whole, links in it unfollowed.
 * The trees are built and checked by {@code python3} one level at a time, relative to its working
 * directory, as no whole path of them could be passed to the kernel.
 */
class ReaperDeepTreeTest {

	private static final int DEPTH = 6_000;

	/**
	 * {@code build <dir> <depth> <file> <epoch-seconds> [<link-target>]}: a chain of directories
	 * {@code d} with {@code file} (and a link to {@code link-target}) at the bottom;
	 * {@code bottom <dir> <depth>}: prints the names at the bottom, or {@code MISSING}.
	 */
	private static final String SCRIPT = """
import os, sys
mode, top, depth = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.chdir(top)
for _ in range(depth):
    if mode == "build":
        os.mkdir("d")
    elif not os.path.isdir("d"):
        print("MISSING")
        sys.exit(0)
    os.chdir("d")
if mode == "build":
    with open(sys.argv[4], "w") as f:
        f.write("partial")
    os.utime(sys.argv[4], (float(sys.argv[5]), float(sys.argv[5])))
    if len(sys.argv) > 6:
        os.symlink(sys.argv[6], "link")
else:
    print("\\n".join(sorted(os.listdir("."))))
""";

	@TempDir
	Path temp;

	Path root;

	Path outside;

	private Path script;

	@BeforeEach
	void createDirectories() throws IOException {
		// Each level of a walk holds its directory open: two descriptors per level.
		long maxDescriptors = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getMaxFileDescriptorCount();
		assumeTrue(maxDescriptors > 2L * DEPTH + 1_000, "needs " + (2 * DEPTH + 1_000) + " file descriptors");
		this.root = Files.createDirectory(this.temp.resolve("root"));
		this.outside = Files.createDirectory(this.temp.resolve("outside"));
		ReaperFixtures.file(this.outside.resolve("precious"), "precious", PAST_MIN_AGE);
		this.script = Files.writeString(this.temp.resolve("deep-tree.py"), SCRIPT);
	}

	@AfterEach
	void removeDeepTrees() throws Exception {
		// JUnit deletes by whole paths, which fail past PATH_MAX; rm works relative to descriptors.
		if (this.root != null) {
			Commands.run("rm", "-rf", this.root.toString());
		}
	}

	@Test
	void reapsAnOrphanAtTheBottomOfATreeSixThousandLevelsDeep() throws Exception {
		String orphan = ReaperFixtures.orphanName("data.json");
		build(this.root, orphan);
		List<OrphanReaped> events = new ArrayList<>();

		ReapReport report = OrphanReaper.builder().recursive(true).listener(new AtomicFileListener() {
			@Override
			public void onOrphanReaped(OrphanReaped event) {
				events.add(event);
			}
		}).build().reap(this.root);

		assertThat(report.failed()).isZero();
		assertThat(report.reaped()).isEqualTo(1);
		assertThat(report.scanned()).isEqualTo(DEPTH + 1);
		assertThat(events).singleElement()
			.satisfies((event) -> assertThat(event.file().getNameCount())
				.isEqualTo(this.root.toRealPath().getNameCount() + DEPTH + 1));
		assertThat(bottom(this.root)).as("the bottom directory, now empty").isEmpty();
	}

	@Test
	void removesADeadWritersDirectoryHoldingATreeSixThousandLevelsDeep() throws Exception {
		Path dead = ReaperFixtures.tempDirectory(this.root, ReaperFixtures.orphanName("data.json"), "data.json",
				PAST_MIN_AGE);
		build(dead, "chunk", this.outside.toString());
		ReaperFixtures.ageWithEntries(dead, PAST_MIN_AGE);
		Map<String, String> outsideBefore = TreeSnapshot.of(this.outside);

		ReapReport report = OrphanReaper.builder().build().reap(this.root);

		assertThat(report.failed()).isZero();
		assertThat(report.reaped()).isEqualTo(1);
		assertThat(report.bytesReclaimed()).as("the producer's file and the chunk at the bottom")
			.isEqualTo("partial content of data.json".length() + "partial".length());
		assertThat(dead).doesNotExist();
		assertThat(TreeSnapshot.of(this.outside)).isEqualTo(outsideBefore);
	}

	@Test
	void commitRecoveryWalksATreeSixThousandLevelsDeepAndReportsTheRecordItCannotReach() throws Exception {
		// No commit can leave a record there (its paths would pass PATH_MAX), but a tree moved deeper
		// can: recovery walks it without recursion, and reports the record instead of acting blindly.
		build(this.root, ".atomicfile-commit-1-0badf00d-1-1");
		Files.writeString(this.root.resolve(".atomicfile-commit-1-0badf00d-1-2"), "torn");

		RecoveryReport report = CommitRecovery.builder().build().recover(this.root);

		assertThat(report.records()).isEqualTo(2);
		assertThat(report.rolledBack()).as("the torn record at the top").isEqualTo(1);
		assertThat(report.failed()).as("the record past PATH_MAX").isEqualTo(1);
		assertThat(this.root.resolve(".atomicfile-commit-1-0badf00d-1-2")).doesNotExist();
		assertThat(bottom(this.root)).containsExactly(".atomicfile-commit-1-0badf00d-1-1");
	}

	/** A chain of {@link #DEPTH} directories below {@code top}, {@code file} (and a link) at the bottom. */
	private void build(Path top, String file, String... linkTarget) throws Exception {
		long epoch = Instant.now().minus(PAST_MIN_AGE).getEpochSecond();
		List<String> command = new ArrayList<>(List.of("python3", this.script.toString(), "build", top.toString(),
				String.valueOf(DEPTH), file, String.valueOf(epoch)));
		command.addAll(List.of(linkTarget));
		Commands.run(command.toArray(String[]::new));
		assertThat(bottom(top)).contains(file);
	}

	private List<String> bottom(Path top) throws Exception {
		String listing = Commands.run("python3", this.script.toString(), "bottom", top.toString(),
				String.valueOf(DEPTH));
		assertThat(listing).doesNotContain("MISSING");
		return listing.lines().filter((line) -> !line.isEmpty()).toList();
	}

}
