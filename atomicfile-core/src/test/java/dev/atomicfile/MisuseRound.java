package dev.atomicfile;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.atomicfile.MisuseWrite.Kind;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.RecordingListener;
import dev.atomicfile.testsupport.SecondLibraryCopy;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;

/**
 * One round of {@link MisuseRandomizedTest}: plants a directory, runs its writes against its
 * reapers, and checks every guarantee on what is left.
 *
 * <p>A round is <em>strict</em> or <em>hostile</em>. In both, the reapers of this JVM (both library
 * copies) loop with {@code minAge} zero from the start, and while the long writes are held at their
 * midpoint every reaper, the child JVM's included, makes one pass with {@code minAge} zero. In a
 * strict round the child's loop starts only after that, with {@code minAge} 30 s, so that every
 * write that should commit must commit. In a hostile round the child loops with {@code minAge}
 * zero from the start: it may then catch a temp in the instant between its creation and its lock
 * (what {@code minAge} exists for), so a write may fail, but never wrongly.
 */
final class MisuseRound {

	/** What the rounds of a run share: the child reaper JVM, the second library copy, the new-file mode. */
	record Shared(ReaperChild child, SecondLibraryCopy copy, int newFileMode) {
	}

	private static final Duration STRICT_CHILD_MIN_AGE = Duration.ofSeconds(30);

	private static final List<Kind> LONG_KINDS = Arrays.stream(Kind.values()).filter((kind) -> kind.canRunLong).toList();

	private final long seed;

	private final int round;

	private final Path directory;

	private final Shared shared;

	private final SplittableRandom random;

	private final boolean hostile;

	private final boolean recursive;

	private final boolean patterns;

	private final boolean throwingListener;

	private final Durability durability;

	private final List<String> targetNames;

	private final MisusePlantedFiles planted;

	private final List<MisuseWrite> writes = new ArrayList<>();

	private final RecordingListener recording = new RecordingListener();

	MisuseRound(long seed, int round, Path directory, Shared shared) {
		this.seed = seed;
		this.round = round;
		this.directory = directory;
		this.shared = shared;
		// Not seed + round * gamma: that is the generator's own step, and rounds would share their draws.
		this.random = new SplittableRandom(seed + round);
		this.hostile = this.random.nextInt(10) < 3;
		this.recursive = this.random.nextBoolean();
		this.patterns = this.random.nextInt(3) == 0;
		this.throwingListener = this.random.nextInt(4) == 0;
		this.durability = switch (this.random.nextInt(10)) {
			case 0 -> Durability.FULL;
			case 1 -> Durability.FILE;
			default -> Durability.NONE;
		};
		List<String> names = new ArrayList<>(MisusePlantedFiles.TARGET_NAMES);
		shuffle(names);
		this.targetNames = List.copyOf(names.subList(0, this.random.nextInt(2, 5)));
		this.planted = new MisusePlantedFiles(directory, this.random.split());
	}

	/** Runs the round and records every broken guarantee in {@code softly}. */
	void run(SoftAssertions softly) throws Exception {
		this.planted.plant(this.targetNames, this.patterns);
		Map<String, String> foreignBefore = this.planted.foreignSnapshot();
		MisuseWrite.Writers writers = writers();
		List<MisuseWrite> longWrites = plan(this.random.nextInt(4), true);
		List<MisuseWrite> shortWrites = plan(this.random.nextInt(3, 12), false);
		MisuseWrite.Pause pause = new MisuseWrite.Pause(new CountDownLatch(longWrites.size()), new CountDownLatch(1));
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong clock = new AtomicLong();
		MisuseReapers reapers = new MisuseReapers(this.shared.child(), this.shared.copy(), this.directory,
				this.targetNames.stream().map(this.directory::resolve).toList(), this.recursive,
				this.patterns ? MisusePlantedFiles.EXTRA_PATTERNS : List.of(), listener(this.random.split()));
		List<Thread> threads = new ArrayList<>();
		try {
			reapers.startLoops(this.random.split());
			if (this.hostile) {
				reapers.startChildLoop(Duration.ZERO);
			}
			for (MisuseWrite write : longWrites) {
				threads.add(start(write, () -> write.run(writers, pause, clock)));
			}
			softly.assertThat(pause.arrived().await(1, TimeUnit.MINUTES))
				.as("%s: the long writes reached their pause", this)
				.isTrue();
			reapers.reapOnceEach(this.random.split());
			if (!this.hostile) {
				reapers.startChildLoop(STRICT_CHILD_MIN_AGE);
			}
			boolean releaseFirst = this.random.nextBoolean();
			if (releaseFirst) {
				pause.release().countDown();
			}
			for (MisuseWrite write : shortWrites) {
				threads.add(start(write, () -> {
					await(go);
					write.run(writers, pause, clock);
				}));
			}
			go.countDown();
			pause.release().countDown();
			for (Thread thread : threads) {
				thread.join(TimeUnit.MINUTES.toMillis(1));
			}
		}
		finally {
			go.countDown();
			pause.release().countDown();
			reapers.stop();
		}
		reapers.finalPass();
		check(softly, reapers, foreignBefore);
	}

	private void check(SoftAssertions softly, MisuseReapers reapers, Map<String, String> foreignBefore)
			throws IOException {
		softly.assertThat(reapers.failures).as("%s: every reaper pass ended normally", this).isEmpty();
		for (MisuseWrite write : this.writes) {
			checkOutcome(softly, write);
		}
		for (String name : this.targetNames) {
			checkTarget(softly, name);
		}
		Map<String, String> foreignAfter = this.planted.currentForeignSnapshot();
		Map<String, String> leftOver = new HashMap<>(foreignAfter);
		leftOver.keySet().removeAll(foreignBefore.keySet());
		Map<String, String> lost = new HashMap<>(foreignBefore);
		lost.entrySet().removeAll(foreignAfter.entrySet());
		softly.assertThat(leftOver.keySet())
			.as("%s: no temp (nor anything else) is left once all writers ended and the reapers ran", this)
			.isEmpty();
		softly.assertThat(lost.keySet())
			.as("%s: no file that is not a temp is deleted or changed (expected %s)", this, lost)
			.isEmpty();
		long listened = this.writes.stream().filter(MisuseRound::listened).filter((write) -> write.returned).count();
		long failedListened = this.writes.stream()
			.filter(MisuseRound::listened)
			.filter((write) -> write.thrown != null)
			.count();
		softly.assertThat(this.recording.successes())
			.as("%s: one success event per write that returned", this)
			.hasSize((int) listened);
		softly.assertThat(this.recording.failures())
			.as("%s: one failure event per write that threw", this)
			.hasSize((int) failedListened);
	}

	private void checkOutcome(SoftAssertions softly, MisuseWrite write) {
		Throwable thrown = write.thrown;
		softly.assertThat(write.returned || thrown != null).as("%s: %s ended", this, write).isTrue();
		if (write.kind.commits && !this.hostile) {
			softly.assertThat(write.returned)
				.as("%s: %s must return (no reaper may break a live write)%s", this, write, stackOf(thrown))
				.isTrue();
		}
		if (!write.kind.commits) {
			softly.assertThat(thrown).as("%s: %s must throw", this, write).isNotNull();
		}
		if (thrown == null) {
			return;
		}
		Throwable planted = write.planted;
		if (planted != null) {
			softly.assertThat(thrown).as("%s: %s passes the callback's own throwable on unchanged", this, write)
				.isSameAs(planted);
		}
		else {
			softly.assertThat(thrown)
				.as("%s: %s throws an IOException, nothing else%s", this, write, stackOf(thrown))
				.isInstanceOf(IOException.class);
		}
		if (write.kind == Kind.RESERVED_NAME) {
			softly.assertThat(Files.exists(write.target, LinkOption.NOFOLLOW_LINKS))
				.as("%s: %s created nothing", this, write)
				.isFalse();
		}
	}

	/**
	 * Writes to one target race, and the last rename wins: so the target must hold the content of a
	 * write that returned and that no other returned write to it started after (a later one's
	 * rename came later), or its first version if no write to it returned. Contents are unique,
	 * so this also proves that no write that threw, and no part of any write, was committed.
	 */
	private void checkTarget(SoftAssertions softly, String name) throws IOException {
		Path target = this.directory.resolve(name);
		List<MisuseWrite> toTarget = this.writes.stream().filter((write) -> write.target.equals(target)).toList();
		List<MisuseWrite> returned = toTarget.stream().filter((write) -> write.returned).toList();
		List<MisuseWrite> couldBeLast = returned.stream()
			.filter((write) -> returned.stream().noneMatch((other) -> other.started > write.ended))
			.toList();
		byte @Nullable [] initial = this.planted.initialContent.get(name);
		boolean exists = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
		byte @Nullable [] actual = exists ? Files.readAllBytes(target) : null;
		String writesText = toTarget.stream().map(MisuseWrite::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
		if (couldBeLast.isEmpty()) {
			softly.assertThat(actual)
				.as("%s: %s, to which no write returned, holds its first version (%s); writes:%s", this, name,
						describe(initial), writesText)
				.isEqualTo(initial);
		}
		else {
			boolean matches = actual != null && couldBeLast.stream().anyMatch((write) -> Arrays.equals(write.content, actual));
			softly.assertThat(matches)
				.as("%s: %s holds exactly the content of one of the writes that returned last (%s), but holds %s;"
						+ " writes:%s", this, name, couldBeLast.stream().map((write) -> write.id).toList(),
						describe(actual), writesText)
				.isTrue();
		}
		if (exists) {
			Integer initialMode = this.planted.initialMode.get(name);
			int expected = (initialMode != null) ? initialMode : this.shared.newFileMode();
			int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
			softly.assertThat(Integer.toOctalString(mode))
				.as("%s: the mode of %s; writes:%s", this, name, writesText)
				.isEqualTo(Integer.toOctalString(expected));
		}
	}

	private List<MisuseWrite> plan(int count, boolean runLong) {
		List<MisuseWrite> planned = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int id = this.writes.size();
			Kind kind = runLong ? LONG_KINDS.get(this.random.nextInt(LONG_KINDS.size())) : kind();
			String name = this.targetNames.get(this.random.nextInt(this.targetNames.size()));
			Path target = (kind == Kind.RESERVED_NAME) ? this.directory.resolve(TempFileNames.newTempName(name))
					: this.directory.resolve(name);
			boolean viaSecondCopy = kind != Kind.RESERVED_NAME && this.random.nextInt(4) == 0;
			MisuseWrite write = new MisuseWrite(id, kind, target, content(id, kind), runLong, viaSecondCopy,
					this.random.split());
			this.writes.add(write);
			planned.add(write);
		}
		return planned;
	}

	/** Half of the writes are of a kind that must commit, half of any kind. */
	private Kind kind() {
		Kind[] kinds = Kind.values();
		while (true) {
			Kind kind = kinds[this.random.nextInt(kinds.length)];
			if (kind.commits || this.random.nextBoolean()) {
				return kind;
			}
		}
	}

	/** Unique: a header naming the write, then printable filler, now and then past the 64 KiB buffer. */
	private byte[] content(int id, Kind kind) {
		StringBuilder text = new StringBuilder("seed " + this.seed + " round " + this.round + " write " + id + " " + kind + "\n");
		int filler = (this.random.nextInt(10) == 0) ? this.random.nextInt(65_000, 200_000) : this.random.nextInt(2_000);
		for (int i = 0; i < filler; i++) {
			text.append((char) ('!' + this.random.nextInt(94)));
			if (this.random.nextInt(80) == 0) {
				text.append('\n');
			}
		}
		return text.toString().getBytes(StandardCharsets.US_ASCII);
	}

	private MisuseWrite.Writers writers() {
		AtomicFileListener listener = this.throwingListener
				? AtomicFileListener.composite(List.of(new ThrowingListener(this.random.split()), this.recording))
				: this.recording;
		return new MisuseWrite.Writers(
				AtomicFileWriter.builder().durability(this.durability).listener(listener).build(),
				AtomicFileWriter.builder().durability(this.durability).build(),
				this.shared.copy().writer(this.durability.name()));
	}

	private AtomicFileListener listener(SplittableRandom random) {
		return this.throwingListener ? new ThrowingListener(random) : AtomicFileListener.none();
	}

	private static boolean listened(MisuseWrite write) {
		return !write.viaSecondCopy && write.kind != Kind.RESERVED_NAME;
	}

	private static Thread start(MisuseWrite write, Runnable task) {
		Thread thread = new Thread(task, "misuse-write-" + write.id);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void shuffle(List<String> list) {
		for (int i = list.size() - 1; i > 0; i--) {
			list.set(i, list.set(this.random.nextInt(i + 1), list.get(i)));
		}
	}

	private static String describe(byte @Nullable [] content) {
		return (content != null) ? "'" + MisuseWrite.header(content) + "…' (" + content.length + " bytes)" : "nothing";
	}

	private static String stackOf(@Nullable Throwable thrown) {
		if (thrown == null) {
			return "";
		}
		StringWriter text = new StringWriter();
		thrown.printStackTrace(new PrintWriter(text));
		return "\n" + text;
	}

	@Override
	public String toString() {
		return "seed " + this.seed + ", round " + this.round + " (" + (this.hostile ? "hostile" : "strict")
				+ ", recursive=" + this.recursive + ", patterns=" + this.patterns + ", throwingListener="
				+ this.throwingListener + ", " + this.durability + ", targets " + this.targetNames + ")";
	}

	/** A listener that throws whatever it likes on every event: no outcome may change. */
	private static final class ThrowingListener implements AtomicFileListener {

		private final SplittableRandom random;

		ThrowingListener(SplittableRandom random) {
			this.random = random;
		}

		@Override
		public void onWrite(WriteSucceeded event) {
			fail();
		}

		@Override
		public void onWriteFailure(WriteFailed event) {
			fail();
		}

		@Override
		public void onOrphanReaped(OrphanReaped event) {
			fail();
		}

		private void fail() {
			int choice;
			synchronized (this.random) {
				choice = this.random.nextInt(3);
			}
			switch (choice) {
				case 0 -> throw new IllegalStateException("listener failure");
				case 1 -> throw new MisuseWrite.PlantedError("listener error");
				default -> ThrowingListener.<RuntimeException>sneaky(new IOException("sneaky listener failure"));
			}
		}

		@SuppressWarnings("unchecked")
		private static <T extends Throwable> void sneaky(Throwable failure) throws T {
			throw (T) failure;
		}

	}

}
