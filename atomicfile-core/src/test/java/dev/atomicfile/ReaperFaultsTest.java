package dev.atomicfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.ReaperNoLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static dev.atomicfile.ReaperFixtures.orphanOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real faults under a reaper: a directory it may not read, a system where file locks fail (a
 * seccomp filter, see {@link ReaperNoLocks}), so ownership cannot be determined, and a read-only
 * file system, where the lock test must open for reading alone.
 */
class ReaperFaultsTest {

	/**
	 * Root without the capabilities that let it read any directory: chmod 000 then stops it as it
	 * stops everyone else, while the class path (under root's 0700 home) stays readable.
	 */
	private static final List<String> WITHOUT_DAC_OVERRIDE = List.of("setpriv", "--bounding-set",
			"-dac_override,-dac_read_search", "--");

	@TempDir
	Path root;

	@TempDir
	Path tools;

	Path unreadable;

	Path mounted;

	Path immutable;

	Path buildDisk;

	@AfterEach
	void undoFaults() throws Exception {
		if (this.immutable != null) {
			Commands.immutable(this.immutable, false);
		}
		if (this.buildDisk != null) {
			Commands.run("rm", "-rf", this.buildDisk.toString());
		}
		if (this.unreadable != null) {
			Files.setPosixFilePermissions(this.unreadable, PosixFilePermissions.fromString("rwx------"));
		}
		if (this.mounted != null) {
			Commands.umount(this.mounted);
		}
	}

	@Test
	void countsAnUnreadableDirectoryAsFailedAndGoesOn() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root to drop capabilities");
		Path atTop = orphanOf(this.root, "a.json", PAST_MIN_AGE);
		Path readable = Files.createDirectory(this.root.resolve("readable"));
		Path inReadable = orphanOf(readable, "b.json", PAST_MIN_AGE);
		this.unreadable = Files.createDirectory(this.root.resolve("unreadable"));
		Path inUnreadable = orphanOf(this.unreadable, "c.json", PAST_MIN_AGE);
		Files.setPosixFilePermissions(this.unreadable, PosixFilePermissions.fromString("---------"));

		ReapReport report = reapInChild(WITHOUT_DAC_OVERRIDE, this.root, Duration.ofSeconds(10), true);
		ReapReport unreadableRoot = reapInChild(WITHOUT_DAC_OVERRIDE, this.unreadable, Duration.ofSeconds(10), true);

		assertThat(report.failed()).isEqualTo(1);
		assertThat(report.reaped()).isEqualTo(2);
		assertThat(atTop).doesNotExist();
		assertThat(inReadable).doesNotExist();
		assertThat(inUnreadable).exists();
		assertThat(unreadableRoot.pathExists()).isTrue();
		assertThat(unreadableRoot.failed()).isEqualTo(1);
		assertThat(unreadableRoot.reaped()).isZero();
	}

	@Test
	void judgesTempFilesByMaxAgeAloneWhenLocksFail() throws Exception {
		Path target = ReaperFixtures.file(this.root.resolve("data.json"), "old", Duration.ZERO);
		Path deadButYoungerThanMaxAge = orphanOf(this.root, "a.json", PAST_MIN_AGE);
		Path olderThanMaxAge = orphanOf(this.root, "b.json", PAST_MAX_AGE);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			Path live = ReaperLivenessTest.begin(writer, "1", target);

			ReapReport report = reapInChild(ReaperNoLocks.wrapper(this.tools), this.root, Duration.ZERO, false);

			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.keptYoung()).as("ownership unknown: the live and the dead young alike").isEqualTo(2);
			assertThat(report.keptLive()).isZero();
			assertThat(olderThanMaxAge).doesNotExist();
			assertThat(deadButYoungerThanMaxAge).exists();
			assertThat(live).exists();

			ReapReport withLocks = ReaperLivenessTest.reapInChildJvm(this.root);
			assertThat(withLocks.keptLive()).as("the same files where locks work").isEqualTo(1);
			assertThat(withLocks.reaped()).isEqualTo(1);
			assertThat(deadButYoungerThanMaxAge).doesNotExist();
		}
	}

	@Test
	void testsLocksThroughAReadOnlyOpenWhereTheFileSystemIsReadOnly() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root to mount");
		Path source = Files.createDirectory(this.root.resolve("source"));
		Path readOnly = Files.createDirectory(this.root.resolve("read-only"));
		Path dead = orphanOf(source, "a.json", PAST_MIN_AGE);
		Path target = ReaperFixtures.file(source.resolve("data.json"), "old", Duration.ZERO);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			Path live = ReaperLivenessTest.begin(writer, "1", target);
			Commands.bindReadOnly(source, readOnly);
			this.mounted = readOnly;

			ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).build().reap(readOnly);

			assertThat(report.keptLive()).as("the live writer's lock, seen through a read-only open").isEqualTo(1);
			assertThat(report.failed()).as("the dead temp, which a read-only file system keeps").isEqualTo(1);
			assertThat(dead).exists();
			assertThat(live).exists();
			ReaperLivenessTest.finish(writer, "1");
		}
		assertThat(target).hasContent(ReaperWriterMain.content("1"));
	}

	@Test
	void aDeadDirectoryWhoseRemovalWasCutShortIsFinishedByTheNextPass() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root for chattr");
		// The build disk, not /tmp: tmpfs refuses chattr on older kernels.
		this.buildDisk = Directories.onBuildDisk("reaper-removal");
		Path dead = ReaperFixtures.tempDirectory(this.buildDisk, ReaperFixtures.orphanName("a.bin"), "a.bin",
				PAST_MIN_AGE);
		Path stuck = ReaperFixtures.file(dead.resolve("stuck"), "cannot be deleted yet", PAST_MIN_AGE);
		ReaperFixtures.ageWithEntries(dead, PAST_MIN_AGE);
		Commands.immutable(stuck, true);
		this.immutable = stuck;
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ZERO).build();

		ReapReport cut = reaper.reap(this.buildDisk);
		assertThat(cut.failed()).isEqualTo(1);
		assertThat(cut.reaped()).isZero();
		assertThat(dead.resolve(TempFileNames.LOCK_FILE_NAME)).as("removed last, so still telling whose it is")
			.exists();

		Commands.immutable(stuck, false);
		this.immutable = null;
		ReapReport finished = reaper.reap(this.buildDisk);
		assertThat(finished.reaped()).isEqualTo(1);
		assertThat(finished.failed()).isZero();
		assertThat(dead).doesNotExist();
	}

	private static ReapReport reapInChild(List<String> wrapper, Path path, Duration minAge, boolean recursive)
			throws Exception {
		try (ReaperChild reaper = ReaperChild.start(wrapper, ReaperMain.class, path.toString(),
				String.valueOf(minAge.toMillis()), String.valueOf(Duration.ofHours(1).toMillis()),
				String.valueOf(recursive))) {
			return ReaperMain.parse(path, reaper.awaitLine("REPORT\t"));
		}
	}

}
