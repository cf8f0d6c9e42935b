package dev.atomicfile;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.LogCapture;
import dev.atomicfile.testsupport.OtherUser;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static dev.atomicfile.ReaperFixtures.orphanName;
import static dev.atomicfile.ReaperFixtures.ownProcessName;
import static dev.atomicfile.ReaperFixtures.tempDirectory;
import static dev.atomicfile.ReaperFixtures.unlockedOrphanName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The private directories of {@code writeFile} ({@code <name>.tmp.af-…} holding the lock file
 * {@code .af-lock}): a live writer's is kept however old, a dead writer's goes with everything in
 * it (links removed, never followed), an empty one goes once {@code minAge} old, an {@code afu}
 * one by {@code maxAge} alone, this process's own is never opened, and a temp-named directory the
 * writer did not make is never deleted.
 */
class ReaperTempDirectoryTest {

	/** Both ages zero: only the lock, or the lack of a lock file, stands between a directory and deletion. */
	private final OrphanReaper eager = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build();

	@TempDir
	Path temp;

	/** Where a JVM run as nobody gets a class path it can read. */
	@TempDir
	Path scratch;

	Path root;

	Path outside;

	@BeforeEach
	void createDirectories() throws Exception {
		this.root = Files.createDirectory(this.temp.resolve("root"));
		this.outside = Files.createDirectory(this.temp.resolve("outside"));
		ReaperFixtures.file(this.outside.resolve("precious"), "precious", PAST_MAX_AGE);
		Files.createDirectory(this.outside.resolve("sub"));
		ReaperFixtures.orphanOf(this.outside.resolve("sub"), "data.json", PAST_MAX_AGE);
	}

	@Test
	void removesADeadWritersDirectoryWithEverythingInItButNothingItLinksTo() throws Exception {
		Path dead = tempDirectory(this.root, orphanName("report.pdf"), "report.pdf", PAST_MIN_AGE);
		Path nested = Files.createDirectories(dead.resolve("work/deeper"));
		ReaperFixtures.file(nested.resolve("chunk"), "12345", PAST_MIN_AGE);
		Files.createSymbolicLink(nested.resolve("to-outside"), this.outside);
		Commands.mkfifo(nested.resolve("fifo"));
		ReaperFixtures.ageWithEntries(dead, PAST_MIN_AGE);
		Path link = Files.createSymbolicLink(dead.resolve("to-precious"), this.outside.resolve("precious"));
		// The link's own time (touch -h): Java would set its target's.
		Commands.run("touch", "-h", "-d", "@" + Instant.now().minus(PAST_MIN_AGE).getEpochSecond(), link.toString());
		ReaperFixtures.age(dead, PAST_MIN_AGE);
		long bytes = Files.size(dead.resolve("report.pdf")) + 5;
		Map<String, String> outsideBefore = TreeSnapshot.of(this.outside);
		List<OrphanReaped> events = new ArrayList<>();

		ReapReport report = OrphanReaper.builder().listener(new AtomicFileListener() {
			@Override
			public void onOrphanReaped(OrphanReaped event) {
				events.add(event);
			}
		}).build().reap(this.root);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(report.bytesReclaimed()).isEqualTo(bytes);
		assertThat(report.failed() + report.keptLive() + report.keptYoung()).isZero();
		assertThat(dead).doesNotExist();
		assertThat(TreeSnapshot.of(this.root)).isEmpty();
		assertThat(TreeSnapshot.of(this.outside)).isEqualTo(outsideBefore);
		assertThat(events).singleElement().satisfies((event) -> {
			assertThat(event.file()).isEqualTo(this.root.toRealPath().resolve(dead.getFileName()));
			assertThat(event.bytes()).isEqualTo(bytes);
		});
	}

	@Test
	void removesADeadDirectoryInWhichTheProducerLeftReadOnlyDirectoriesThoughNotRoot() throws Exception {
		Path dead = tempDirectory(this.root, orphanName("site.tar"), "site.tar", PAST_MIN_AGE);
		Path extracted = Files.createDirectory(dead.resolve("extracted"));
		Path docs = Files.createDirectory(extracted.resolve("docs"));
		ReaperFixtures.file(docs.resolve("index.html"), "<html>", PAST_MIN_AGE);
		Files.setPosixFilePermissions(docs, PosixFilePermissions.fromString("r-xr-xr-x"));
		Files.setPosixFilePermissions(extracted, PosixFilePermissions.fromString("r-x------"));
		ReaperFixtures.ageWithEntries(dead, PAST_MIN_AGE);
		if (ChildJvm.isRoot()) {
			// The reaper runs as nobody: everything it must remove is nobody's, as a writer's would be.
			Commands.run("chown", "-R", "nobody:nogroup", this.root.toString());
			OtherUser.openDirectory(this.temp);
		}

		try (ReaperChild reaper = ReaperChild.startNotRoot(this.scratch, ReaperMain.class, this.root.toString(), "0",
				String.valueOf(Duration.ofHours(1).toMillis()), "false")) {
			ReapReport report = ReaperMain.parse(this.root, reaper.awaitLine("REPORT\t"));

			assertThat(report.failed()).isZero();
			assertThat(report.reaped()).isEqualTo(1);
		}
		assertThat(dead).doesNotExist();
	}

	@Test
	void keepsALiveWritersDirectoryHoweverOldUntilTheWriterIsKilled() throws Exception {
		Path live = tempDirectory(this.root, orphanName("report.pdf"), "report.pdf", PAST_MAX_AGE);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			ReaperLivenessTest.hold(writer, "1", live.resolve(TempFileNames.LOCK_FILE_NAME));

			ReapReport alive = this.eager.reap(this.root);
			assertThat(alive.keptLive()).isEqualTo(1);
			assertThat(alive.reaped()).isZero();
			assertThat(live.resolve("report.pdf")).hasContent("partial content of report.pdf");

			writer.kill9();
			ReapReport dead = this.eager.reap(this.root);
			assertThat(dead.reaped()).isEqualTo(1);
			assertThat(live).doesNotExist();
		}
	}

	@Test
	void keepsADeadWritersDirectoryWhileItOrAnyEntryInItIsYoungerThanMinAge() throws Exception {
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ofMinutes(1)).build();
		Path producerBusy = tempDirectory(this.root, orphanName("a.bin"), "a.bin", PAST_MAX_AGE);
		ReaperFixtures.age(producerBusy.resolve("a.bin"), Duration.ZERO);
		Path justCreated = tempDirectory(this.root, orphanName("b.bin"), "b.bin", PAST_MAX_AGE);
		ReaperFixtures.age(justCreated, Duration.ZERO);
		Path lockJustCreated = tempDirectory(this.root, orphanName("c.bin"), "c.bin", PAST_MAX_AGE);
		ReaperFixtures.age(lockJustCreated.resolve(TempFileNames.LOCK_FILE_NAME), Duration.ZERO);

		ReapReport young = reaper.reap(this.root);
		assertThat(young.keptYoung()).isEqualTo(3);
		assertThat(young.reaped()).isZero();

		for (Path directory : List.of(producerBusy, justCreated, lockJustCreated)) {
			ReaperFixtures.ageWithEntries(directory, PAST_MIN_AGE);
		}
		ReapReport old = reaper.reap(this.root);
		assertThat(old.reaped()).isEqualTo(3);
		assertThat(TreeSnapshot.of(this.root)).isEmpty();
	}

	@Test
	void deletesAnEmptyDirectoryOfEitherVariantOnceMinAgeOld() throws Exception {
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ofMinutes(1)).build();
		Path locked = Files.createDirectory(this.root.resolve(orphanName("a.bin")));
		Path unlocked = Files.createDirectory(this.root.resolve(unlockedOrphanName("b.bin")));

		ReapReport young = reaper.reap(this.root);
		assertThat(young.keptYoung()).isEqualTo(2);
		assertThat(locked).isDirectory();
		assertThat(unlocked).isDirectory();

		ReaperFixtures.age(locked, PAST_MIN_AGE);
		ReaperFixtures.age(unlocked, PAST_MIN_AGE);
		ReapReport old = reaper.reap(this.root);
		assertThat(old.reaped()).isEqualTo(2);
		assertThat(old.bytesReclaimed()).isZero();
		assertThat(TreeSnapshot.of(this.root)).isEmpty();
	}

	@Test
	void neverDeletesATempNamedDirectoryThatHoldsNoLockFileButReapsInsideItWhenRecursive() throws Exception {
		Path plain = Files.createDirectory(this.root.resolve(orphanName("a.bin")));
		ReaperFixtures.file(plain.resolve("user-data"), "keep", PAST_MAX_AGE);
		Path inside = ReaperFixtures.orphanOf(plain, "data.json", PAST_MAX_AGE);
		Path lockIsADirectory = Files.createDirectory(this.root.resolve(orphanName("b.bin")));
		Files.createDirectory(lockIsADirectory.resolve(TempFileNames.LOCK_FILE_NAME));
		Path lockIsALink = Files.createDirectory(this.root.resolve(unlockedOrphanName("c.bin")));
		Files.createSymbolicLink(lockIsALink.resolve(TempFileNames.LOCK_FILE_NAME), this.outside.resolve("precious"));
		Path lockIsAFifo = Files.createDirectory(this.root.resolve(orphanName("d.bin")));
		Commands.mkfifo(lockIsAFifo.resolve(TempFileNames.LOCK_FILE_NAME));
		List<Path> withoutFifo = List.of(plain, lockIsADirectory, lockIsALink);
		for (Path directory : withoutFifo) {
			ReaperFixtures.age(directory, PAST_MAX_AGE);
		}
		ReaperFixtures.age(lockIsAFifo, PAST_MAX_AGE);
		// Snapshots read every file, and reading a FIFO would wait for a writer.
		Map<Path, Map<String, String>> before = snapshots(withoutFifo);

		try (LogCapture logs = new LogCapture()) {
			ReapReport flat = this.eager.reap(this.root);

			assertThat(flat.failed()).isEqualTo(4);
			assertThat(flat.reaped()).isZero();
			assertThat(snapshots(withoutFifo)).isEqualTo(before);
			assertThat(Directories.names(lockIsAFifo)).containsExactly(TempFileNames.LOCK_FILE_NAME);
			assertThat(Files.readAttributes(lockIsAFifo.resolve(TempFileNames.LOCK_FILE_NAME),
					BasicFileAttributes.class).isOther()).as("still a FIFO").isTrue();
			assertThat(logs.events()).filteredOn((event) -> event.getLevel() == Level.WARN)
				.extracting(ILoggingEvent::getFormattedMessage)
				.hasSize(4)
				.allSatisfy((line) -> assertThat(line).contains("holds no " + TempFileNames.LOCK_FILE_NAME))
				.anySatisfy((line) -> assertThat(line).contains(plain.getFileName().toString()));
		}

		ReapReport deep = OrphanReaper.builder().minAge(Duration.ZERO).recursive(true).build().reap(this.root);
		assertThat(deep.reaped()).isEqualTo(1);
		assertThat(inside).doesNotExist();
		assertThat(plain.resolve("user-data")).hasContent("keep");
		assertThat(this.outside.resolve("precious")).hasContent("precious");
	}

	private static Map<Path, Map<String, String>> snapshots(List<Path> directories) {
		Map<Path, Map<String, String>> snapshots = new HashMap<>();
		directories.forEach((directory) -> snapshots.put(directory, TreeSnapshot.of(directory)));
		return snapshots;
	}

	@Test
	void neverOpensADirectoryOfThisProcessSoItsWriterKeepsItsLock() throws Exception {
		Path own = tempDirectory(this.root, ownProcessName("a.bin"), "a.bin", PAST_MAX_AGE);
		Path ownUnlockedAndEmpty = ReaperFixtures.age(
				Files.createDirectory(this.root.resolve(ReaperFixtures.unlockedOwnProcessName("b.bin"))),
				PAST_MAX_AGE);
		Map<String, String> before = TreeSnapshot.of(this.root);
		try (FileChannel channel = FileChannel.open(own.resolve(TempFileNames.LOCK_FILE_NAME),
				StandardOpenOption.WRITE); FileLock lock = channel.lock()) {

			ReapReport inJvm = this.eager.reap(this.root);
			assertThat(inJvm.keptLive()).isEqualTo(2);
			assertThat(inJvm.reaped() + inJvm.failed()).isZero();

			// Had the pass above opened and closed the lock file, this JVM's lock on it would be gone.
			ReapReport otherJvm = ReaperLivenessTest.reapInChildJvm(this.root);
			assertThat(otherJvm.keptLive()).as("lock still held after the in-JVM pass").isEqualTo(1);
			assertThat(otherJvm.reaped()).as("the empty one is no longer ours in another process").isEqualTo(1);
			assertThat(lock.isValid()).isTrue();
		}
		before.remove(this.root.relativize(ownUnlockedAndEmpty).toString());
		assertThat(TreeSnapshot.of(this.root)).isEqualTo(before);
	}

	@Test
	void judgesAnUnlockedDirectoryByMaxAgeAloneWhateverItsLock() throws Exception {
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ZERO).build();
		Path lockedButOld = tempDirectory(this.root, unlockedOrphanName("a.bin"), "a.bin", PAST_MAX_AGE);
		Path freeButYoung = tempDirectory(this.root, unlockedOrphanName("b.bin"), "b.bin", PAST_MIN_AGE);
		try (ReaperChild holder = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			ReaperLivenessTest.hold(holder, "1", lockedButOld.resolve(TempFileNames.LOCK_FILE_NAME));

			ReapReport report = reaper.reap(this.root);

			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.keptYoung()).isEqualTo(1);
			assertThat(report.keptLive()).isZero();
			assertThat(lockedButOld).doesNotExist();
			assertThat(freeButYoung.resolve("b.bin")).exists();
		}
	}

	@Test
	void fileModeReapsOnlyThatFilesOwnDirectories() throws Exception {
		Path target = ReaperFixtures.file(this.root.resolve("db"), "current", Duration.ZERO);
		Path own = tempDirectory(this.root, orphanName("db"), "db", PAST_MAX_AGE);
		Path neighbour = tempDirectory(this.root, orphanName("db2"), "db2", PAST_MAX_AGE);
		Path sibling = tempDirectory(this.root, orphanName("db.old"), "db.old", PAST_MAX_AGE);

		ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).extraPatterns(List.of("*")).build()
			.reap(target);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(own).doesNotExist();
		assertThat(neighbour.resolve("db2")).exists();
		assertThat(sibling.resolve("db.old")).exists();
		assertThat(target).hasContent("current");
	}

}
