package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.ReaperChild;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A temp file whose writer is alive is never deleted, however old, and one whose writer was killed
 * is deleted by the next pass: writers and reapers in different processes, in different PID
 * namespaces, and in the same JVM.
 */
class ReaperLivenessTest {

	/** {@code --kill-child}: SIGKILL to unshare reaches the JVM it forked, PID 1 of the namespace. */
	static final List<String> OWN_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--mount-proc",
			"--kill-child");

	/** Both ages zero: only liveness stands between a temp file and its deletion. */
	private final OrphanReaper eager = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build();

	@TempDir
	Path directory;

	@Test
	void leavesTheTempFileOfAWriterInAnotherJvmAloneUntilThatJvmIsKilled() throws Exception {
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			assertLiveUntilKilled(writer, "other-jvm.json");
		}
	}

	@Test
	void leavesTheTempFileOfAWriterRunningAsPidOneInItsOwnNamespaceAloneUntilItIsKilled() throws Exception {
		Assumptions.assumeTrue(ChildJvm.isRoot(), "unshare --pid needs root");
		try (ReaperChild writer = ReaperChild.start(OWN_PID_NAMESPACE, ReaperWriterMain.class)) {
			Path temp = assertLiveUntilKilled(writer, "namespaced.json");
			assertThat(temp.getFileName().toString()).as("the writer ran as PID 1").contains(".tmp.af-1-");
		}
	}

	@Test
	void tellsApartTwoWritersThatAreBothPidOneOnTheSharedDirectory() throws Exception {
		Assumptions.assumeTrue(ChildJvm.isRoot(), "unshare --pid needs root");
		Path target = ReaperFixtures.file(this.directory.resolve("shared.json"), "old", Duration.ZERO);
		try (ReaperChild first = ReaperChild.start(OWN_PID_NAMESPACE, ReaperWriterMain.class);
				ReaperChild second = ReaperChild.start(OWN_PID_NAMESPACE, ReaperWriterMain.class)) {
			Path firstTemp = begin(first, "1", target);
			Path secondTemp = begin(second, "2", target);
			assertThat(firstTemp).isNotEqualTo(secondTemp);
			assertThat(List.of(firstTemp, secondTemp))
				.allSatisfy((temp) -> assertThat(temp.getFileName().toString()).contains(".tmp.af-1-"));

			first.kill9();
			ReapReport report = this.eager.reap(this.directory);

			assertThat(report.reaped()).isEqualTo(1);
			assertThat(report.keptLive()).isEqualTo(1);
			assertThat(firstTemp).doesNotExist();
			assertThat(secondTemp).exists();
			finish(second, "2");
			assertThat(target).hasContent(ReaperWriterMain.content("2"));
		}
	}

	@Test
	void skipsALiveWriterOfItsOwnJvmWithoutDroppingThatWritersLock() throws Exception {
		Path target = this.directory.resolve("same-jvm.json");
		ReaperBlockedWrite write = ReaperBlockedWrite.overOldContent(target, "local");
		Path temp = write.tempFile();

		ReapReport inJvm = this.eager.reap(this.directory);
		assertThat(inJvm.keptLive()).isEqualTo(1);
		assertThat(inJvm.reaped()).isZero();

		// Had the pass above opened and closed the temp file, this JVM's lock on it would be gone.
		ReapReport otherJvm = reapInChildJvm(this.directory);
		assertThat(otherJvm.keptLive()).as("lock still held after the in-JVM pass").isEqualTo(1);
		assertThat(otherJvm.reaped()).isZero();
		assertThat(temp).exists();

		write.finish();
		assertThat(target).hasContent(ReaperWriterMain.content("local"));
		assertThat(temp).doesNotExist();
	}

	@Test
	void leavesTheTempDirectoryOfALiveWriteFileInAnotherJvmAloneUntilThatJvmIsKilled() throws Exception {
		Path target = ReaperFixtures.file(this.directory.resolve("report.pdf"), "old", Duration.ZERO);
		try (ReaperChild writer = ReaperChild.start(List.of(), ReaperWriterMain.class)) {
			Path temp = beginFile(writer, "1", target);
			// Safe here: this JVM holds no lock on its lock file, so its open and close drop nothing.
			ReaperFixtures.ageWithEntries(temp, ReaperFixtures.PAST_MAX_AGE);

			ReapReport alive = this.eager.reap(this.directory);
			assertThat(alive.keptLive()).as("alive however old").isEqualTo(1);
			assertThat(temp.resolve("report.pdf")).hasContent(ReaperWriterMain.head("1"));

			writer.kill9();
			ReapReport dead = this.eager.reap(this.directory);
			assertThat(dead.reaped()).isEqualTo(1);
			assertThat(temp).doesNotExist();
			assertThat(target).hasContent("old");
		}
	}

	@Test
	void anotherJvmsReaperLeavesAProducerThatPausedBetweenTwoAppendsAlone() throws Exception {
		// Issue 9, 2: the producer closed its file, and reapers ran before it appended the rest.
		Path target = this.directory.resolve("appended.log");
		ReaperBlockedWrite write = ReaperBlockedWrite.overOldContent(ReaperBlockedWrite.Api.TEMP_FILE_PRODUCER,
				target, "paused");
		Path temp = write.tempFile();

		ReapReport inJvm = this.eager.reap(this.directory);
		ReapReport otherJvm = reapInChildJvm(this.directory);

		assertThat(inJvm.keptLive()).as("this process's own: never opened").isEqualTo(1);
		assertThat(otherJvm.keptLive()).as("its lock file still locked after the pass here").isEqualTo(1);
		assertThat(temp).isDirectory();
		write.finish();
		assertThat(target).hasContent(ReaperWriterMain.content("paused"));
		assertThat(ReaperFixtures.tempNames(this.directory)).isEmpty();
	}

	/**
	 * Starts a write of {@code targetName} in {@code writer}, shows its temp file survives eager
	 * passes even when hours old, kills the writer and shows the next pass deletes it.
	 */
	private Path assertLiveUntilKilled(ReaperChild writer, String targetName) throws Exception {
		Path target = ReaperFixtures.file(this.directory.resolve(targetName), "old", Duration.ZERO);
		Path temp = begin(writer, "1", target);

		ReapReport fresh = this.eager.reap(this.directory);
		assertThat(fresh.keptLive()).isEqualTo(1);
		assertThat(fresh.reaped()).isZero();
		// Safe here: this JVM holds no lock on the file, so its open and close drop nothing.
		ReaperFixtures.age(temp, ReaperFixtures.PAST_MAX_AGE);
		ReapReport old = this.eager.reap(this.directory);
		assertThat(old.keptLive()).as("alive however old").isEqualTo(1);
		assertThat(temp).exists();

		writer.kill9();
		ReapReport dead = this.eager.reap(this.directory);

		assertThat(dead.reaped()).isEqualTo(1);
		assertThat(dead.keptLive()).isZero();
		assertThat(temp).doesNotExist();
		assertThat(target).hasContent("old");
		return temp;
	}

	static Path begin(ReaperChild writer, String id, Path target) throws IOException, InterruptedException {
		Path temp = begin(writer, "begin", id, target);
		assertThat(temp).hasContent(ReaperWriterMain.head(id));
		return temp;
	}

	/** Starts write {@code id} of {@code target} through {@code writeFile}; returns its temp directory. */
	static Path beginFile(ReaperChild writer, String id, Path target) throws IOException, InterruptedException {
		Path directory = begin(writer, "beginFile", id, target);
		assertThat(directory.resolve(target.getFileName())).hasContent(ReaperWriterMain.head(id));
		return directory;
	}

	private static Path begin(ReaperChild writer, String command, String id, Path target)
			throws IOException, InterruptedException {
		writer.send(command + "\t" + id + "\t" + target);
		String answer = writer.awaitLine(id + "\t");
		assertThat(answer).startsWith(id + "\tREADY\t");
		Path temp = Path.of(answer.split("\t")[2]);
		assertThat(temp).exists();
		return temp;
	}

	/** Lets write {@code id} in {@code writer} complete, and checks that it did. */
	static void finish(ReaperChild writer, String id) throws IOException, InterruptedException {
		writer.send("finish\t" + id);
		assertThat(writer.awaitLine(id + "\t")).isEqualTo(id + "\tDONE");
	}

	/** Has {@code holder} lock the existing {@code file} as a live writer would, until released or killed. */
	static void hold(ReaperChild holder, String id, Path file) throws IOException, InterruptedException {
		holder.send("hold\t" + id + "\t" + file);
		assertThat(holder.awaitLine(id + "\t")).isEqualTo(id + "\tHELD");
	}

	/** Has {@code holder} drop the lock of {@link #hold}. */
	static void release(ReaperChild holder, String id) throws IOException, InterruptedException {
		holder.send("release\t" + id);
		assertThat(holder.awaitLine(id + "\t")).isEqualTo(id + "\tRELEASED");
	}

	static ReapReport reapInChildJvm(Path path) throws IOException, InterruptedException {
		try (ReaperChild reaper = ReaperChild.start(List.of(), ReaperMain.class, path.toString(), "0", "0", "false")) {
			return ReaperMain.parse(path, reaper.awaitLine("REPORT\t"));
		}
	}

}
