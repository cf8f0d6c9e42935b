package dev.atomicfile.testsupport;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Self-checking file content for the power-cut tests: each payload names the file it belongs to
 * and the generation (a number unique to one write) that wrote it, and carries a SHA-256 of itself,
 * so that whatever a file holds after a cut can be told apart: one whole payload (of which write),
 * nothing, or anything else (torn: cut short, zero-filled, mixed).
 *
 * <p>Layout: SHA-256 of the rest (32 bytes), file index (int), generation (long), then bytes drawn
 * from the generation. The size depends on the file and the generation, so that the old and the new
 * content of a file differ in length too.
 */
public final class GenerationPayload {

	/** The size of the digest, file index and generation that start every payload. */
	public static final int HEADER = 32 + 4 + 8;

	/** Per file index, the smallest and largest payload size: from bytes to MiB. */
	private static final int[][] SIZES = { { HEADER, 400 }, { 1_000, 12_000 }, { 60_000, 200_000 },
			{ 500_000, 1_500_000 }, { 2_000_000, 4_000_000 } };

	/** How many files of distinct size classes there are; the power-cut child writes this many. */
	public static final int FILES = SIZES.length;

	private GenerationPayload() {
	}

	/** The payload generation {@code generation} writes to file {@code file}. */
	public static byte[] of(int file, long generation) {
		SplittableRandom random = new SplittableRandom(generation * 1_000_003 + file);
		byte[] payload = new byte[random.nextInt(SIZES[file][0], SIZES[file][1] + 1)];
		random.nextBytes(payload);
		ByteBuffer.wrap(payload, 32, 12).putInt(file).putLong(generation);
		System.arraycopy(digest(payload), 0, payload, 0, 32);
		return payload;
	}

	/** The name of file {@code file} in the power-cut tests' data directory. */
	public static String fileName(int file) {
		return "file-" + file + ".bin";
	}

	/** What {@code content}, read from file {@code file}, is. */
	public static Content read(int file, byte[] content) {
		if (content.length == 0) {
			return new Content(Content.Kind.EMPTY, -1, 0);
		}
		if (content.length < HEADER || !Arrays.equals(digest(content), Arrays.copyOf(content, 32))) {
			return new Content(Content.Kind.TORN, -1, content.length);
		}
		ByteBuffer header = ByteBuffer.wrap(content, 32, 12);
		int owner = header.getInt();
		long generation = header.getLong();
		// Whole, but another file's: nothing but a torn state can put it there.
		return new Content((owner == file) ? Content.Kind.WHOLE : Content.Kind.TORN, generation, content.length);
	}

	private static byte[] digest(byte[] payload) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(payload, 32, payload.length - 32);
			return sha256.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a file held.
	 * @param kind whole payload, empty or torn
	 * @param generation the generation of a whole payload, else -1
	 * @param size the file's size
	 */
	public record Content(Kind kind, long generation, long size) {

		/** The kinds of content a file can hold after a cut (or none: see the callers). */
		public enum Kind {

			WHOLE, EMPTY, TORN

		}

	}

}
