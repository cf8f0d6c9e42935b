package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.atomicfile.testsupport.Directories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The shared directory fsync: a caller may only be covered by an fsync that started after it
 * asked, callers that arrive during one fsync share the next, a failed fsync fails exactly those
 * who shared it, directories never share, and nothing is kept once nobody syncs. The fsync is a
 * scripted {@link DirectorySyncs.SyncAction} whose every call blocks until the test releases it,
 * so each interleaving is forced, not hoped for.
 */
class DirectorySyncsTest {

	private static final long TIMEOUT_SECONDS = 30;

	private final Path dir = Path.of("/scripted/dir");

	private final Path other = Path.of("/scripted/other");

	private final ScriptedSync action = new ScriptedSync();

	private final DirectorySyncs syncs = new DirectorySyncs(this.action);

	private final ExecutorService callers = Executors.newCachedThreadPool();

	@AfterEach
	void stateIsReleasedOnceNobodySyncs() throws InterruptedException {
		this.callers.shutdownNow();
		assertThat(this.callers.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
		assertThat(this.syncs.directoriesInUse()).as("directories still tracked").isZero();
		assertThat(this.syncs.waitingCallers(this.dir)).isZero();
		assertThat(this.syncs.waitingCallers(this.other)).isZero();
	}

	@Test
	void callerAloneStartsAnFsyncAtOnce() throws Exception {
		Future<Void> caller = sync(this.dir);
		Round round = this.action.next();
		assertThat(round.directory()).isEqualTo(this.dir);
		round.succeed();
		caller.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(this.action.calls()).isEqualTo(1);
	}

	@Test
	void callerArrivingDuringAnFsyncIsNotCoveredByItButByTheNextOne() throws Exception {
		Busy busy = busyWithLateCallers(1);
		Future<Void> late = busy.late().get(0);

		busy.one().succeed();
		busy.first().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		// The late caller's rename may postdate fsync #1: only #2 can cover it. Wait for whichever
		// comes first, #2 starting or the late caller returning; the latter would be the bug.
		CompletableFuture<Object> either = CompletableFuture.anyOf(this.action.nextAsync(),
				CompletableFuture.runAsync(() -> join(late)));
		assertThat(either.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("fsync #2 started before the late caller returned")
			.isInstanceOf(Round.class);
		Round two = (Round) either.get();
		assertThat(late).as("returned on fsync #1, which started before it asked").isNotDone();
		assertThat(this.action.calls()).isEqualTo(2);

		two.succeed();
		late.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	@Test
	void callersArrivingDuringOneFsyncShareTheNextOne() throws Exception {
		Busy busy = busyWithLateCallers(8);
		List<Future<Void>> waiting = busy.late();

		busy.one().succeed();
		busy.first().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Round two = this.action.next();
		assertThat(waiting).noneMatch(Future::isDone);
		two.succeed();
		for (Future<Void> caller : waiting) {
			caller.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		assertThat(this.action.calls()).as("fsyncs for nine callers").isEqualTo(2);
		assertThat(this.action.pending()).isEmpty();
	}

	@Test
	void failureOfASharedFsyncReachesEveryCallerThatSharedItAndNoOther() throws Exception {
		Busy busy = busyWithLateCallers(3);
		Future<Void> first = busy.first();
		List<Future<Void>> sharing = busy.late();

		busy.one().succeed();
		first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Round two = this.action.next();
		IOException boom = new IOException("EIO from the disk");
		two.fail(boom);
		for (Future<Void> caller : sharing) {
			Throwable thrown = catchThrowable(() -> caller.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).getCause();
			assertThat(thrown).isInstanceOf(IOException.class);
			assertThat(causeChain(thrown)).as("the shared failure").contains(boom);
		}
		assertThat(first).isDone();
		assertThat(first.get()).isNull();

		// The failure is not remembered against later callers: the next one gets an fsync of its own.
		Future<Void> after = sync(this.dir);
		this.action.next().succeed();
		after.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(this.action.calls()).isEqualTo(3);
	}

	@Test
	void failureOfTheRunningFsyncDoesNotReachCallersWaitingForTheNext() throws Exception {
		Busy busy = busyWithLateCallers(1);
		Future<Void> late = busy.late().get(0);

		busy.one().fail(new IOException("first fsync failed"));
		assertThat(catchThrowable(() -> busy.first().get(TIMEOUT_SECONDS, TimeUnit.SECONDS))).hasRootCauseMessage(
				"first fsync failed");
		this.action.next().succeed();
		late.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	@Test
	void runtimeFailureOfTheFsyncBecomesAnIOExceptionForEveryone() throws Exception {
		Busy busy = busyWithLateCallers(1);
		Future<Void> late = busy.late().get(0);
		busy.one().succeed();
		busy.first().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		IllegalStateException bug = new IllegalStateException("bug in the action");
		this.action.next().fail(bug);
		Throwable thrown = catchThrowable(() -> late.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).getCause();
		assertThat(thrown).isInstanceOf(IOException.class);
		assertThat(causeChain(thrown)).contains(bug);
	}

	@Test
	void distinctDirectoriesNeverShareOrWaitForEachOther() throws Exception {
		Future<Void> blocked = sync(this.dir);
		Round dirRound = this.action.next();
		Future<Void> elsewhere = sync(this.other);
		Round otherRound = this.action.next();
		assertThat(otherRound.directory()).isEqualTo(this.other);
		assertThat(this.syncs.waitingCallers(this.other)).isZero();
		otherRound.succeed();
		elsewhere.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(blocked).as("the other directory's fsync covers nothing here").isNotDone();
		assertThat(this.syncs.directoriesInUse()).isEqualTo(1);
		dirRound.succeed();
		blocked.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(this.action.calls()).isEqualTo(2);
	}

	@Test
	void perDirectoryStateIsReleasedAfterEverySync() throws Exception {
		for (int i = 0; i < 3; i++) {
			Future<Void> caller = sync(Path.of("/scripted/many/" + i));
			Round round = this.action.next();
			assertThat(this.syncs.directoriesInUse()).as("while its fsync runs").isEqualTo(1);
			round.succeed();
			caller.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(this.syncs.directoriesInUse()).as("after directory %s", i).isZero();
		}
		Future<Void> failing = sync(this.dir);
		this.action.next().fail(new IOException("failed"));
		assertThat(catchThrowable(() -> failing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))).isNotNull();
		assertThat(this.syncs.directoriesInUse()).as("after a failure").isZero();
	}

	@Test
	void sixteenThreadsOfFullWritesIntoOneDirectoryAllSucceed(@TempDir Path directory) throws Exception {
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.FULL).build();
		int threads = 16;
		int writesEach = 20;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Void>> writers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			writers.add(this.callers.submit(() -> {
				start.await();
				for (int i = 0; i < writesEach; i++) {
					writer.writeString(directory.resolve("file-" + thread + ".txt"), content(thread, i));
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<Void> write : writers) {
			write.get(2, TimeUnit.MINUTES);
		}
		for (int t = 0; t < threads; t++) {
			assertThat(directory.resolve("file-" + t + ".txt")).hasContent(content(t, writesEach - 1));
		}
		assertThat(Directories.names(directory)).hasSize(threads).noneMatch(TempFileNames::isTempFileName);
		assertThat(DirectorySyncs.SHARED.directoriesInUse()).isZero();
	}

	private static String content(int thread, int write) {
		return ("thread " + thread + " write " + write + "\n").repeat(50);
	}

	/**
	 * One caller whose fsync #1 of {@link #dir} is running (blocked), and {@code count} callers
	 * that arrived after it started and now wait.
	 */
	private Busy busyWithLateCallers(int count) throws InterruptedException {
		Future<Void> first = sync(this.dir);
		Round one = this.action.next();
		List<Future<Void>> late = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			late.add(sync(this.dir));
		}
		awaitWaiting(this.dir, count);
		return new Busy(first, one, late);
	}

	/** See {@link #busyWithLateCallers}. */
	private record Busy(Future<Void> first, Round one, List<Future<Void>> late) {
	}

	private Future<Void> sync(Path directory) {
		return this.callers.submit(() -> {
			this.syncs.sync(directory);
			return null;
		});
	}

	/**
	 * Waits until {@code count} callers wait for {@code directory}'s next fsync. Polls the count the
	 * class exposes for this: a caller blocking on a condition notifies nobody.
	 */
	private void awaitWaiting(Path directory, int count) {
		awaitTrue(() -> this.syncs.waitingCallers(directory) == count,
				count + " callers waiting for " + directory + ", not " + this.syncs.waitingCallers(directory));
	}

	private static void awaitTrue(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within " + TIMEOUT_SECONDS + " s: " + what);
			}
			Thread.onSpinWait();
			Thread.yield();
		}
	}

	private static void join(Future<Void> future) {
		try {
			future.get();
		}
		catch (Exception ex) {
			// Returning at all is what the caller of join looks for.
		}
	}

	private static List<Throwable> causeChain(Throwable thrown) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable t = thrown; t != null && chain.size() < 16; t = t.getCause()) {
			chain.add(t);
		}
		return chain;
	}

	/** One call of the scripted fsync, blocked until the test ends it. */
	record Round(Path directory, CompletableFuture<Throwable> outcome) {

		void succeed() {
			this.outcome.complete(null);
		}

		void fail(Throwable failure) {
			this.outcome.complete(failure);
		}

	}

	/** An fsync whose every call is handed to the test as a {@link Round} and blocks until ended. */
	static final class ScriptedSync implements DirectorySyncs.SyncAction {

		private final BlockingQueue<Round> started = new LinkedBlockingQueue<>();

		private final List<Round> all = new CopyOnWriteArrayList<>();

		@Override
		public void sync(Path directory) throws IOException {
			Round round = new Round(directory, new CompletableFuture<>());
			this.all.add(round);
			this.started.add(round);
			Throwable failure;
			try {
				failure = round.outcome().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new IOException("The test never ended this scripted fsync of " + directory, ex);
			}
			if (failure instanceof IOException io) {
				throw io;
			}
			if (failure instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (failure instanceof Error error) {
				throw error;
			}
		}

		/** The next fsync to start, once it has started. */
		Round next() throws InterruptedException {
			Round round = this.started.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			if (round == null) {
				throw new AssertionError("No fsync started within " + TIMEOUT_SECONDS + " s");
			}
			return round;
		}

		/** The next fsync to start, as a future. */
		CompletableFuture<Round> nextAsync() {
			return CompletableFuture.supplyAsync(() -> {
				try {
					return next();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
		}

		/** Fsyncs started but not yet taken by {@link #next()}. */
		List<Round> pending() {
			return List.copyOf(this.started);
		}

		int calls() {
			return this.all.size();
		}

	}

}
