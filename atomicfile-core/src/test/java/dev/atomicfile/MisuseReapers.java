package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.SecondLibraryCopy;

/**
 * The reapers of one round of {@link MisuseRandomizedTest}, all with {@code minAge} and
 * {@code maxAge} zero unless said otherwise: one of this copy of the library and one of a second
 * copy in another class loader, each reaping in a loop on a thread of its own, and the long-lived
 * reaper child JVM, which loops too and reaps on demand.
 */
final class MisuseReapers {

	private static final long JOIN_MILLIS = TimeUnit.MINUTES.toMillis(1);

	private final ReaperChild child;

	private final Path directory;

	/** The directory, and each target: a pass on a file reaps only that file's temps. */
	private final List<Path> paths;

	private final boolean recursive;

	private final List<String> patterns;

	private final OrphanReaper local;

	private final SecondLibraryCopy.Reaper secondCopy;

	private final List<Thread> loops = new ArrayList<>();

	private volatile boolean looping;

	private boolean childLooping;

	/** Every throwable that escaped a pass, and every answer of the child that was not a report. */
	final Queue<String> failures = new ConcurrentLinkedQueue<>();

	MisuseReapers(ReaperChild child, SecondLibraryCopy copy, Path directory, List<Path> targets, boolean recursive,
			List<String> patterns, AtomicFileListener listener) {
		this.child = child;
		this.directory = directory;
		this.paths = new ArrayList<>(targets);
		this.paths.add(0, directory);
		this.recursive = recursive;
		this.patterns = patterns;
		this.local = OrphanReaper.builder()
			.minAge(Duration.ZERO)
			.maxAge(Duration.ZERO)
			.recursive(recursive)
			.extraPatterns(patterns)
			.listener(listener)
			.build();
		this.secondCopy = copy.reaper(Duration.ZERO, Duration.ZERO, recursive, patterns);
	}

	/** Starts the two reapers of this JVM, each passing again and again over a random path. */
	void startLoops(SplittableRandom random) {
		this.looping = true;
		startLoop("this copy", (path) -> this.local.reap(path).toString(), random.split());
		startLoop("second copy", this.secondCopy::reap, random.split());
	}

	/** Starts the child's loop over the directory, with this {@code minAge} (and {@code maxAge}). */
	void startChildLoop(Duration minAge) throws IOException, InterruptedException {
		this.child.send(command("loop", this.directory, minAge, this.recursive));
		expect("LOOPING");
		this.childLooping = true;
	}

	/** One pass of each reaper, in random order, over random paths; returns once all are done. */
	void reapOnceEach(SplittableRandom random) throws IOException, InterruptedException {
		List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
		for (int i = order.size() - 1; i > 0; i--) {
			order.set(i, order.set(random.nextInt(i + 1), order.get(i)));
		}
		for (int reaper : order) {
			Path path = this.paths.get(random.nextInt(this.paths.size()));
			switch (reaper) {
				case 0 -> pass("this copy", (p) -> this.local.reap(p).toString(), path);
				case 1 -> pass("second copy", this.secondCopy::reap, path);
				default -> childPass(path, this.recursive);
			}
		}
	}

	/** Ends every loop and waits until each has. */
	void stop() throws IOException, InterruptedException {
		this.looping = false;
		for (Thread loop : this.loops) {
			loop.join(JOIN_MILLIS);
			if (loop.isAlive()) {
				this.failures.add(loop.getName() + " still reaping a minute after it was told to stop");
			}
		}
		if (this.childLooping) {
			this.childLooping = false;
			this.child.send("stop");
			String answer = this.child.awaitLine(MisuseReaperMain.ANSWER);
			if (!answer.startsWith(MisuseReaperMain.ANSWER + "STOPPED")) {
				this.failures.add("child loop: " + answer);
			}
		}
	}

	/**
	 * The pass after everything ended: the child's (another process: it may judge every temp of
	 * this JVM) and this copy's, both recursive and with the round's patterns.
	 */
	void finalPass() throws IOException, InterruptedException {
		childPass(this.directory, true);
		pass("this copy, final", (path) -> OrphanReaper.builder()
			.minAge(Duration.ZERO)
			.maxAge(Duration.ZERO)
			.recursive(true)
			.extraPatterns(this.patterns)
			.build()
			.reap(path)
			.toString(), this.directory);
	}

	private void startLoop(String name, Function<Path, String> reaper, SplittableRandom random) {
		Thread loop = new Thread(() -> {
			while (this.looping) {
				pass(name, reaper, this.paths.get(random.nextInt(this.paths.size())));
				// Noise, not synchronisation: leaves the cores to the writers now and then.
				LockSupport.parkNanos(random.nextLong(1_000_000));
			}
		}, "misuse-reaper-" + name);
		loop.setDaemon(true);
		this.loops.add(loop);
		loop.start();
	}

	private void pass(String name, Function<Path, String> reaper, Path path) {
		try {
			reaper.apply(path);
		}
		catch (Throwable ex) {
			this.failures.add(name + ": reap(" + path + ") threw " + ex);
		}
	}

	private void childPass(Path path, boolean recursive) throws IOException, InterruptedException {
		this.child.send(command("reap", path, Duration.ZERO, recursive));
		String answer = this.child.awaitLine(MisuseReaperMain.ANSWER);
		if (!answer.startsWith(MisuseReaperMain.ANSWER + "REAPED")) {
			this.failures.add("child: reap(" + path + "): " + answer);
		}
	}

	private String command(String verb, Path path, Duration minAge, boolean recursive) {
		List<String> fields = new ArrayList<>(
				List.of(verb, path.toString(), String.valueOf(minAge.toMillis()), String.valueOf(recursive)));
		fields.addAll(this.patterns);
		return String.join("\t", fields);
	}

	private void expect(String answer) throws InterruptedException {
		String line = this.child.awaitLine(MisuseReaperMain.ANSWER);
		if (!line.equals(MisuseReaperMain.ANSWER + answer)) {
			this.failures.add("child answered " + line + " instead of " + answer);
		}
	}

}
