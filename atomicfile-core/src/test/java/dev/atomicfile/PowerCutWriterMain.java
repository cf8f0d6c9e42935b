package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import dev.atomicfile.testsupport.GenerationPayload;

/**
 * The writer that {@link PowerCutTest} cuts the power of: replaces the files of one directory in
 * turn, endlessly, printing {@code written <file> <generation> <took> <returned> end} after each
 * write returns (how many nanoseconds it took, and {@link System#nanoTime()} when it returned), until
 * a write fails (the file system was shut down: it prints {@code failed …} and exits) or it is
 * killed.
 *
 * <p>Arguments: the directory, the {@link Durability}, the first generation (each write takes the
 * next one; see {@link GenerationPayload}), and optionally a file for a bystander: a thread that
 * fsyncs a small file of its own every few milliseconds, as other programs on a busy machine do. On
 * ext4 and XFS an fsync commits the whole journal, so with a bystander the un-synced renames of
 * {@link Durability#NONE} reach the disk at random instants, possibly before their data; without
 * one, nothing does until the file system's own commit interval.
 *
 * <p>Writes go to file {@code i % FILES} and use, in turn, a byte array, a stream and
 * {@link AtomicFileWriter#writeFile} ({@code i % 3}); five files and three ways make every pair.
 */
public final class PowerCutWriterMain {

	private PowerCutWriterMain() {
	}

	public static void main(String[] args) {
		Path directory = Path.of(args[0]);
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.valueOf(args[1])).build();
		long firstGeneration = Long.parseLong(args[2]);
		if (args.length > 3) {
			startBystander(Path.of(args[3]), firstGeneration);
		}
		for (long i = 0;; i++) {
			int file = (int) (i % GenerationPayload.FILES);
			long generation = firstGeneration + i;
			byte[] payload = GenerationPayload.of(file, generation);
			Path target = directory.resolve(GenerationPayload.fileName(file));
			long start = System.nanoTime();
			try {
				write(writer, (int) (i % 3), target, payload);
			}
			catch (IOException ex) {
				System.out.println("failed " + file + " " + generation + " " + ex);
				System.exit(3);
			}
			long returned = System.nanoTime();
			System.out.println(
					"written " + file + " " + generation + " " + (returned - start) + " " + returned + " end");
		}
	}

	private static void write(AtomicFileWriter writer, int way, Path target, byte[] payload) throws IOException {
		switch (way) {
			case 0 -> writer.write(target, payload);
			case 1 -> writer.write(target, (out) -> {
				// Odd-sized chunks: the writer's buffer boundaries fall inside them.
				for (int offset = 0; offset < payload.length; offset += 65_537) {
					out.write(payload, offset, Math.min(65_537, payload.length - offset));
				}
			});
			default -> writer.writeFile(target, (path) -> Files.write(path, payload));
		}
	}

	private static void startBystander(Path file, long seed) {
		Thread bystander = new Thread(() -> {
			SplittableRandom random = new SplittableRandom(seed);
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
				for (byte tick = 0;; tick++) {
					// Pacing a load, not waiting for anything.
					LockSupport.parkNanos(random.nextLong(2_000_000, 30_000_000));
					// A new size: metadata to commit, so the fsync forces a journal commit.
					channel.truncate(0);
					channel.write(ByteBuffer.wrap(new byte[] { tick }), 0);
					channel.force(true);
				}
			}
			catch (IOException ex) {
				// The file system was shut down: the bystander's part is over.
			}
		}, "bystander");
		bystander.setDaemon(true);
		bystander.start();
	}

}
