package dev.atomicfile;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One write of {@link MisuseRandomizedTest}: a kind of (mis)use, a target and a content no other
 * write has, and, once run, what came of it. Every callback does its work in two parts around a
 * midpoint: a long write pauses there until the round lets it go on, any other one makes random
 * timing noise there.
 */
final class MisuseWrite {

	/** How a write uses the library, and whether the library must commit it. */
	enum Kind {

		BYTES(true, false), STRING(true, false), STREAM(true, true),
		PRINT_STREAM(true, true), PRINT_WRITER(true, true), CLOSE_EARLY(true, true), THROW_IO(false, true),
		THROW_RUNTIME(false, true), THROW_ERROR(false, true), WRITE_AFTER_CLOSE(false, true),
		WRITE_AFTER_CLOSE_SWALLOWED(false, true), PRINT_AFTER_CLOSE(false, true), RESERVED_NAME(false, false),
		PRODUCE_IN_PLACE(true, true), PRODUCE_APPEND(true, true), PRODUCE_RECREATE(true, true),
		PRODUCE_COPY_OVER(true, true), PRODUCE_ODD_MODE(true, true), PRODUCE_THROW_IO(false, true),
		PRODUCE_THROW_RUNTIME(false, true), PRODUCE_THROW_ERROR(false, true), PRODUCE_NOTHING(false, true),
		PRODUCE_DIRECTORY(false, true), PRODUCE_SYMLINK(false, true);

		/** Whether a correct library commits this write (else it must throw). */
		final boolean commits;

		/** Whether caller code runs inside the write, so that the write can be held at its midpoint. */
		final boolean canRunLong;

		Kind(boolean commits, boolean canRunLong) {
			this.commits = commits;
			this.canRunLong = canRunLong;
		}

	}

	/**
	 * The writers a write may go through: this copy's with the round's listener, this copy's
	 * without (for refused names), and the second library copy's.
	 */
	record Writers(AtomicFileWriter listened, AtomicFileWriter plain, AtomicFileWriter secondCopy) {
	}

	/** Holds the long writes of a round at their midpoint until the round releases them. */
	record Pause(CountDownLatch arrived, CountDownLatch release) {
	}

	private static final List<String> ODD_MODES = List.of("---------", "-w-------", "r--r--r--", "rwxrwxrwx");

	private static volatile long sink;

	final int id;

	final Kind kind;

	/** The round's target, or for {@link Kind#RESERVED_NAME} a name the writer must refuse. */
	final Path target;

	final byte[] content;

	/** Where the content is split into the parts written before and after the midpoint. */
	private final int cut;

	final boolean runsLong;

	/** Whether the write goes through the second library copy, in another class loader. */
	final boolean viaSecondCopy;

	private final SplittableRandom random;

	private boolean arrived;

	/** The global tick just before the call and just after it returned or threw. */
	volatile long started;

	volatile long ended;

	volatile boolean returned;

	volatile @Nullable Throwable thrown;

	/** What the callback itself threw, for the kinds that throw on purpose. */
	volatile @Nullable Throwable planted;

	MisuseWrite(int id, Kind kind, Path target, byte[] content, boolean runsLong, boolean viaSecondCopy,
			SplittableRandom random) {
		this.id = id;
		this.kind = kind;
		this.target = target;
		this.content = content;
		this.runsLong = runsLong;
		this.viaSecondCopy = viaSecondCopy;
		this.random = random;
		// The part after the midpoint is never empty: a write after close must really write.
		this.cut = random.nextInt(content.length);
	}

	/** Runs the write on the calling thread and records its outcome; never throws. */
	void run(Writers writers, Pause pause, AtomicLong clock) {
		try {
			noise();
			this.started = clock.incrementAndGet();
			try {
				call(writers, pause);
				this.ended = clock.incrementAndGet();
				this.returned = true;
			}
			catch (Throwable ex) {
				this.ended = clock.incrementAndGet();
				this.thrown = ex;
			}
		}
		finally {
			if (this.runsLong && !this.arrived) {
				// Failed before its midpoint: the round must not wait for it.
				pause.arrived().countDown();
			}
		}
	}

	private void call(Writers writers, Pause pause) throws IOException {
		AtomicFileWriter writer = this.viaSecondCopy ? writers.secondCopy() : writers.listened();
		switch (this.kind) {
			case BYTES -> writer.write(this.target, this.content);
			case STRING -> writer.writeString(this.target, text(0, this.content.length));
			case RESERVED_NAME -> {
				if (this.random.nextBoolean()) {
					writers.plain().write(this.target, this.content);
				}
				else {
					writers.plain().writeFile(this.target, (file) -> Files.write(file, this.content));
				}
			}
			case PRODUCE_IN_PLACE, PRODUCE_APPEND, PRODUCE_RECREATE, PRODUCE_COPY_OVER, PRODUCE_ODD_MODE,
					PRODUCE_THROW_IO, PRODUCE_THROW_RUNTIME, PRODUCE_THROW_ERROR, PRODUCE_NOTHING, PRODUCE_DIRECTORY,
					PRODUCE_SYMLINK ->
				writer.writeFile(this.target, (file) -> produce(file, pause));
			default -> writer.write(this.target, (out) -> stream(out, pause));
		}
	}

	private void stream(OutputStream out, Pause pause) throws IOException {
		int end = this.content.length;
		switch (this.kind) {
			case STREAM -> {
				chunks(out, 0, this.cut);
				midpoint(pause);
				chunks(out, this.cut, end);
			}
			case PRINT_STREAM ->
				print(new PrintStream(out, this.random.nextBoolean(), StandardCharsets.US_ASCII), pause);
			case PRINT_WRITER -> print(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII)), pause);
			case CLOSE_EARLY -> {
				chunks(out, 0, this.cut);
				midpoint(pause);
				chunks(out, this.cut, end);
				out.close();
				out.close();
			}
			case THROW_IO, THROW_RUNTIME, THROW_ERROR -> {
				chunks(out, 0, this.cut);
				midpoint(pause);
				plant();
			}
			case WRITE_AFTER_CLOSE -> {
				chunks(out, 0, this.cut);
				out.close();
				midpoint(pause);
				out.write(this.content, this.cut, end - this.cut);
			}
			case WRITE_AFTER_CLOSE_SWALLOWED -> {
				chunks(out, 0, this.cut);
				out.close();
				midpoint(pause);
				try {
					out.write(this.content, this.cut, end - this.cut);
				}
				catch (IOException ex) {
					// The misuse: a callback that catches and goes on.
				}
			}
			case PRINT_AFTER_CLOSE -> {
				// The PrintStream stays open; the stream under it is closed, so its later writes fail
				// and PrintStream swallows that.
				PrintStream print = new PrintStream(out, false, StandardCharsets.US_ASCII);
				print.print(text(0, this.cut));
				print.flush();
				out.close();
				midpoint(pause);
				print.print(text(this.cut, end));
				print.flush();
			}
			default -> throw new IllegalStateException("Not a stream kind: " + this.kind);
		}
	}

	private void produce(Path file, Pause pause) throws IOException {
		byte[] head = Arrays.copyOfRange(this.content, 0, this.cut);
		byte[] tail = Arrays.copyOfRange(this.content, this.cut, this.content.length);
		switch (this.kind) {
			case PRODUCE_IN_PLACE -> {
				Files.write(file, head);
				midpoint(pause);
				Files.write(file, tail, StandardOpenOption.APPEND);
			}
			case PRODUCE_APPEND -> {
				// The reproduction of issue 9 defect 2: two appends, each on a stream of its own.
				append(file, head);
				midpoint(pause);
				append(file, tail);
			}
			case PRODUCE_RECREATE -> {
				Files.write(file, head);
				Files.delete(file);
				midpoint(pause);
				Files.write(file, this.content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			}
			case PRODUCE_COPY_OVER -> {
				// Anything the producer leaves in its directory goes with it, nested directories included.
				Path scratch = this.random.nextBoolean() ? file.resolveSibling("scratch-" + this.id)
						: Files.createDirectories(file.resolveSibling("work").resolve("deeper")).resolve("scratch");
				Files.write(scratch, head);
				midpoint(pause);
				Files.write(scratch, tail, StandardOpenOption.APPEND);
				Files.copy(scratch, file, StandardCopyOption.REPLACE_EXISTING);
				if (this.random.nextBoolean()) {
					Files.delete(scratch);
				}
			}
			case PRODUCE_ODD_MODE -> {
				Files.write(file, head);
				midpoint(pause);
				Files.write(file, tail, StandardOpenOption.APPEND);
				String mode = ODD_MODES.get(this.random.nextInt(ODD_MODES.size()));
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
			}
			case PRODUCE_THROW_IO, PRODUCE_THROW_RUNTIME, PRODUCE_THROW_ERROR -> {
				Files.write(file, head);
				midpoint(pause);
				plant();
			}
			case PRODUCE_NOTHING -> {
				Files.write(file, head);
				midpoint(pause);
				Files.delete(file);
			}
			case PRODUCE_DIRECTORY -> {
				Files.delete(file);
				midpoint(pause);
				Files.createDirectory(file);
				Files.write(file.resolve("inside"), this.content);
			}
			case PRODUCE_SYMLINK -> {
				Path scratch = file.resolveSibling("linked-" + this.id);
				Files.write(scratch, this.content);
				Files.delete(file);
				midpoint(pause);
				Files.createSymbolicLink(file, scratch.getFileName());
			}
			default -> throw new IllegalStateException("Not a producer kind: " + this.kind);
		}
	}

	/** Through a wrapper that swallows failures (none happens here), closed or left open at random. */
	private <P extends Appendable & Flushable & Closeable> void print(P print, Pause pause) throws IOException {
		print.append(text(0, this.cut));
		midpoint(pause);
		print.append(text(this.cut, this.content.length));
		print.flush();
		if (this.random.nextBoolean()) {
			print.close();
		}
	}

	private static void append(Path file, byte[] part) throws IOException {
		try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
			out.write(part);
		}
	}

	/** The throwable a throwing callback throws; the write must pass this very instance on. */
	private void plant() throws IOException {
		Throwable planted = switch (this.kind) {
			case THROW_IO, PRODUCE_THROW_IO -> new IOException("planted by write " + this.id);
			case THROW_RUNTIME, PRODUCE_THROW_RUNTIME -> new IllegalStateException("planted by write " + this.id);
			default -> new PlantedError("planted by write " + this.id);
		};
		this.planted = planted;
		if (planted instanceof IOException io) {
			throw io;
		}
		if (planted instanceof Error error) {
			throw error;
		}
		throw (RuntimeException) planted;
	}

	/** Writes {@code [from, to)} of the content in random chunks, with random flushes and noise. */
	private void chunks(OutputStream out, int from, int to) throws IOException {
		int at = from;
		while (at < to) {
			int size = Math.min(to - at, chunkSize());
			if (size == 1) {
				out.write(this.content[at]);
			}
			else {
				out.write(this.content, at, size);
			}
			at += size;
			if (this.random.nextInt(4) == 0) {
				out.flush();
			}
			if (this.random.nextInt(8) == 0) {
				noise();
			}
		}
	}

	private int chunkSize() {
		return switch (this.random.nextInt(4)) {
			case 0 -> 1;
			case 1 -> this.random.nextInt(1, 100);
			case 2 -> this.random.nextInt(1, 70_000);
			default -> this.random.nextInt(1, 4_096);
		};
	}

	private void midpoint(Pause pause) {
		if (!this.runsLong) {
			noise();
			return;
		}
		this.arrived = true;
		pause.arrived().countDown();
		try {
			if (!pause.release().await(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Write " + this.id + " was never released from its pause");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Write " + this.id + " interrupted in its pause", ex);
		}
	}

	/** Random timing, never synchronisation: nothing, a yield, some busy work or a short park. */
	private void noise() {
		switch (this.random.nextInt(4)) {
			case 0 -> Thread.yield();
			case 1 -> {
				long value = 0;
				for (int i = this.random.nextInt(50_000); i > 0; i--) {
					value = value * 31 + i;
				}
				sink = value;
			}
			case 2 -> LockSupport.parkNanos(this.random.nextLong(200_000));
			default -> {
			}
		}
	}

	private String text(int from, int to) {
		return new String(this.content, from, to - from, StandardCharsets.US_ASCII);
	}

	/** The first line of the content: enough to tell which write a file came from. */
	static String header(byte[] content) {
		int end = 0;
		while (end < content.length && end < 200 && content[end] != '\n') {
			end++;
		}
		return new String(content, 0, end, StandardCharsets.US_ASCII);
	}

	@Override
	public String toString() {
		String outcome = this.returned ? "returned"
				: (this.thrown != null) ? "threw " + this.thrown : "did not end";
		return "write " + this.id + " " + this.kind + (this.runsLong ? " (long)" : "")
				+ (this.viaSecondCopy ? " (second copy)" : "") + " of " + this.target.getFileName()
				+ ", " + this.content.length + " bytes, ticks " + this.started + ".." + this.ended + ": " + outcome;
	}

	/** An {@link Error} of the test's own, so that no other Error can be mistaken for it. */
	static final class PlantedError extends Error {

		PlantedError(String message) {
			super(message);
		}

	}

}
