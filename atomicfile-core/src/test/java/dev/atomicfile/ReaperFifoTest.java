package dev.atomicfile;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.LogCapture;
import dev.atomicfile.testsupport.OtherUser;
import dev.atomicfile.testsupport.ReaperChild;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A pass never blocks on a FIFO, whenever it appears: planted under a temp name, swapped for a
 * temp file between the pass's look and its open (a real swap loop, for a temp file and for a
 * temp directory's lock file), and where only a read-only open is allowed (a reaper that is not
 * root, run as user nobody when the tests are root, against a 0444 FIFO), which must give up
 * after a second and go on.
 * Every pass here runs under a preemptive time limit, so a pass that blocks fails the test
 * instead of hanging the build.
 */
class ReaperFifoTest {

	/** Far above what any pass here takes; only a blocked pass reaches it. */
	private static final Duration BLOCKED = Duration.ofSeconds(60);

	/** How long the swap loops run once both sides made progress. */
	private static final Duration SWAP_TIME = Duration.ofSeconds(2);

	private final OrphanReaper eager = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build();

	@TempDir
	Path directory;

	/** Where a JVM run as nobody gets a class path it can read. */
	@TempDir
	Path scratch;

	Path bystander;

	@BeforeEach
	void createBystander() throws IOException {
		this.bystander = ReaperFixtures.file(this.directory.resolve("data.json"), "keep", Duration.ZERO);
	}

	@Test
	void leavesAFifoPlantedUnderATempNameUnopenedAndGoesOn() throws Exception {
		Path locked = fifo(this.directory.resolve(ReaperFixtures.orphanName("data.json")));
		Path unlocked = fifo(this.directory.resolve(ReaperFixtures.unlockedOrphanName("data.json")));
		Path orphan = ReaperFixtures.orphanOf(this.directory, "data.json", Duration.ZERO);

		ReapReport report = assertTimeoutPreemptively(BLOCKED, () -> this.eager.reap(this.directory));

		assertThat(report.reaped()).as("the regular orphan beside them").isEqualTo(1);
		assertThat(report.failed()).isZero();
		assertThat(orphan).doesNotExist();
		assertThat(List.of(locked, unlocked)).allSatisfy((fifo) -> assertThat(isFifo(fifo)).isTrue());
		assertThat(this.bystander).hasContent("keep");
	}

	@Test
	void opensAFifoForTheLockTestWithoutWaitingForAWriter() throws Exception {
		Path fifo = fifo(this.directory.resolve("fifo"));

		ReaperRules.LockState state = assertTimeoutPreemptively(BLOCKED, () -> {
			try (ReaperDirectory opened = ReaperDirectory.open(this.directory);
					ReaperLockProbe.Result result = ReaperLockProbe.test(opened, fifo.getFileName())) {
				return result.state();
			}
		});

		assertThat(state).as("opened for reading and writing at once, and nobody holds its lock")
			.isEqualTo(ReaperRules.LockState.FREE);
	}

	@Test
	void everyPassReturnsWhileATempFileAndALockFileAreSwappedWithFifos() throws Exception {
		Path tempDirectory = this.directory.resolve(ReaperFixtures.orphanName("b.bin"));
		// A lock file caught as a FIFO makes its directory "not ours": a WARN each time, kept out of the build log.
		try (LogCapture logs = new LogCapture();
				FifoSwap file = FifoSwap.start(this.directory, this.directory.resolve(ReaperFixtures.orphanName("a.bin")));
				FifoSwap lockFile = FifoSwap.start(this.directory,
						tempDirectory.resolve(TempFileNames.LOCK_FILE_NAME))) {
			List<ReapReport> reports = assertTimeoutPreemptively(BLOCKED, () -> {
				List<ReapReport> passes = new ArrayList<>();
				long end = System.nanoTime() + SWAP_TIME.toNanos();
				while (passes.size() < 50 || System.nanoTime() < end) {
					passes.add(this.eager.reap(this.directory));
				}
				return passes;
			});

			assertThat(reports).hasSizeGreaterThanOrEqualTo(50);
			assertThat(file.swaps()).isGreaterThan(10);
			assertThat(lockFile.swaps()).isGreaterThan(10);
			assertThat(reports).as("the temp file or directory seen and judged")
				.anySatisfy((report) -> assertThat(report.reaped()).isPositive());
		}
		assertThat(this.bystander).hasContent("keep");
	}

	@Test
	void aReaperThatMayOnlyReadGivesUpOnAFifoAfterASecondAndGoesOn() throws Exception {
		Path fifo = fifo(this.directory.resolve("fifo"));
		Path file = ReaperFixtures.file(this.directory.resolve("file"), "x", Duration.ZERO);
		for (Path entry : List.of(fifo, file)) {
			Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("r--r--r--"));
		}

		OtherUser.openDirectory(this.directory);
		try (ReaperChild prober = ReaperChild.startNotRoot(this.scratch, ReaperProbeMain.class, "probe",
				this.directory.toString(), "fifo", "file")) {
			String[] onFifo = prober.awaitLine("PROBE\tfifo\t").split("\t");
			String[] onFile = prober.awaitLine("PROBE\tfile\t").split("\t");

			assertThat(onFifo[2]).isEqualTo("FAILED");
			assertThat(Long.parseLong(onFifo[3])).as("waited for the read-only open, then gave up")
				.isBetween(ReaperLockProbe.READ_ONLY_OPEN_TIMEOUT.toMillis(), BLOCKED.toMillis());
			assertThat(onFifo[4]).contains("did not return");
			assertThat(onFile[2]).as("a 0444 file is tested through the read-only open").isEqualTo("FREE");
			assertThat(prober.process().waitFor()).as("exit status").isZero();
		}
	}

	@Test
	void passesOfAReaperThatMayOnlyReadAllReturnWhileATempFileIsSwappedWithAFifo() throws Exception {
		int passes = 20;
		OtherUser.openDirectory(this.directory);
		try (FifoSwap swap = FifoSwap.start(this.directory, this.directory.resolve(ReaperFixtures.orphanName("a.bin")),
				PosixFilePermissions.fromString("r--r--r--"));
				ReaperChild reaper = ReaperChild.startNotRoot(this.scratch, ReaperProbeMain.class, "passes",
						this.directory.toString(), String.valueOf(passes))) {
			for (int pass = 0; pass < passes; pass++) {
				// Each pass may cost a second per FIFO it met; awaitLine allows a minute. Which state
				// a pass meets depends on the machine's load: what must hold is that every pass returns.
				assertThat(ReaperMain.parse(this.directory, reaper.awaitLine("REPORT\t"))).as("pass %d", pass)
					.isNotNull();
			}

			assertThat(reaper.process().waitFor()).as("exit status").isZero();
			assertThat(swap.swaps()).isGreaterThan(10);
		}
		assertThat(this.bystander).hasContent("keep");
	}

	private static Path fifo(Path path) throws IOException, InterruptedException {
		Commands.mkfifo(path);
		return path;
	}

	private static boolean isFifo(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
	}

	/**
	 * Swaps what a name is, a regular file or a FIFO, as fast as it can on a thread of its own: a
	 * hard link to one of two spares is renamed over the name, so the name always exists and the
	 * spares survive whatever a reaper deletes. A temp directory holding the name is recreated
	 * whenever a reaper removed it.
	 */
	private static final class FifoSwap implements AutoCloseable {

		private final Path regular;

		private final Path fifo;

		private final Path name;

		private final AtomicLong swaps = new AtomicLong();

		private final Thread thread;

		private volatile boolean stopped;

		private volatile Throwable failure;

		private FifoSwap(Path spares, Path name, Set<PosixFilePermission> permissions)
				throws IOException, InterruptedException {
			this.name = name;
			String id = String.valueOf(name.getFileName().hashCode());
			this.regular = ReaperFixtures.file(spares.resolve("regular-spare-" + id), "regular", Duration.ZERO);
			this.fifo = fifo(spares.resolve("fifo-spare-" + id));
			Files.setPosixFilePermissions(this.regular, permissions);
			Files.setPosixFilePermissions(this.fifo, permissions);
			this.thread = new Thread(this::run, "fifo-swap");
			this.thread.setDaemon(true);
		}

		static FifoSwap start(Path spares, Path name) throws IOException, InterruptedException {
			return start(spares, name, PosixFilePermissions.fromString("rw-r--r--"));
		}

		/** Starts swapping {@code name}, with spares in {@code spares} of mode {@code permissions}. */
		static FifoSwap start(Path spares, Path name, Set<PosixFilePermission> permissions)
				throws IOException, InterruptedException {
			FifoSwap swap = new FifoSwap(spares, name, permissions);
			swap.thread.start();
			return swap;
		}

		long swaps() {
			return this.swaps.get();
		}

		private void run() {
			Path staging = this.name.resolveSibling("swap-staging");
			try {
				while (!this.stopped) {
					for (Path spare : List.of(this.regular, this.fifo)) {
						try {
							Files.createDirectories(this.name.getParent());
							Files.deleteIfExists(staging);
							Files.createLink(staging, spare);
							Files.move(staging, this.name, StandardCopyOption.ATOMIC_MOVE);
							this.swaps.incrementAndGet();
						}
						catch (NoSuchFileException | FileAlreadyExistsException ex) {
							// A reaper removed the temp directory meanwhile: start over.
						}
					}
				}
			}
			catch (Throwable ex) {
				this.failure = ex;
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.stopped = true;
			this.thread.join();
			assertThat(this.failure).as("the swap loop failed").isNull();
		}

	}

}
