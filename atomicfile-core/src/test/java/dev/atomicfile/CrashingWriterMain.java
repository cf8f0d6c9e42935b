package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A child JVM that replaces one file with 1 MiB payloads in an endless loop, printing
 * {@code written <sequence>} after each write returns, until it is killed.
 *
 * <p>Arguments: the target and a run number. Each payload carries its own SHA-256, the run and its
 * sequence number (see {@link #payload}), so that a reader can tell a complete payload from a torn
 * one and which write it came from. Even sequence numbers are written from a byte array, odd ones
 * streamed in chunks, so that a kill hits both paths.
 */
public final class CrashingWriterMain {

	/** The size of every payload. */
	public static final int SIZE = 1024 * 1024;

	/** Where the run and sequence numbers start, after the digest. */
	public static final int HEADER = 32;

	private CrashingWriterMain() {
	}

	public static void main(String[] args) throws IOException {
		Path target = Path.of(args[0]);
		long run = Long.parseLong(args[1]);
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		byte[] payload = payload(run, 0);
		for (long sequence = 0;; sequence++) {
			if (sequence % 2 == 0) {
				writer.write(target, payload);
			}
			else {
				byte[] streamed = payload;
				writer.write(target, (out) -> {
					for (int offset = 0; offset < SIZE; offset += 100_000) {
						out.write(streamed, offset, Math.min(100_000, SIZE - offset));
					}
				});
			}
			// The next payload is made before reporting, so that what follows a report is a write.
			payload = payload(run, sequence + 1);
			System.out.println("written " + sequence);
		}
	}

	/** A payload: SHA-256 of the rest, then run and sequence numbers, then random bytes. */
	public static byte[] payload(long run, long sequence) {
		byte[] payload = new byte[SIZE];
		new SplittableRandom(run * 1_000_003 + sequence).nextBytes(payload);
		ByteBuffer.wrap(payload, HEADER, 16).putLong(run).putLong(sequence);
		System.arraycopy(digest(payload), 0, payload, 0, HEADER);
		return payload;
	}

	/** Whether {@code content} is one complete payload, its digest matching. */
	public static boolean isComplete(byte[] content) {
		return content.length == SIZE && Arrays.equals(digest(content), Arrays.copyOf(content, HEADER));
	}

	/** The run number of a complete payload. */
	public static long run(byte[] content) {
		return ByteBuffer.wrap(content, HEADER, 8).getLong();
	}

	/** The sequence number of a complete payload. */
	public static long sequence(byte[] content) {
		return ByteBuffer.wrap(content, HEADER + 8, 8).getLong();
	}

	private static byte[] digest(byte[] payload) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(payload, HEADER, payload.length - HEADER);
			return sha256.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
