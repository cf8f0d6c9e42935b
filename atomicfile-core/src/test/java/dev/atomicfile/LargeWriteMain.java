package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * A child JVM, started with a small heap or little direct memory, that writes one large file and
 * prints {@code crc <CRC32> size <bytes>}.
 *
 * <p>Arguments: {@code stream} or {@code array}, the target, the size in MiB, a seed. {@code stream}
 * generates the content chunk by chunk while writing; {@code array} writes one byte array.
 */
public final class LargeWriteMain {

	/** The chunk size of the generated content. */
	public static final int CHUNK = 64 * 1024;

	private LargeWriteMain() {
	}

	public static void main(String[] args) throws IOException {
		Path target = Path.of(args[1]);
		long size = Long.parseLong(args[2]) * 1024 * 1024;
		long seed = Long.parseLong(args[3]);
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		CRC32 crc = new CRC32();
		if (args[0].equals("stream")) {
			writer.write(target, (out) -> generate(seed, size, (chunk) -> {
				crc.update(chunk);
				out.write(chunk);
			}));
		}
		else {
			byte[] content = new byte[Math.toIntExact(size)];
			new SplittableRandom(seed).nextBytes(content);
			crc.update(content);
			writer.write(target, content);
		}
		System.out.println("crc " + crc.getValue() + " size " + size);
	}

	/** Feeds {@code size} deterministic pseudo-random bytes to {@code sink}, one reused chunk at a time. */
	public static void generate(long seed, long size, ChunkSink sink) throws IOException {
		SplittableRandom random = new SplittableRandom(seed);
		byte[] chunk = new byte[CHUNK];
		for (long written = 0; written < size; written += CHUNK) {
			random.nextBytes(chunk);
			sink.accept(chunk);
		}
	}

	/** Takes one chunk of generated content. */
	@FunctionalInterface
	public interface ChunkSink {

		void accept(byte[] chunk) throws IOException;

	}

}
