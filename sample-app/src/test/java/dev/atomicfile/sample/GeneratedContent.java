package dev.atomicfile.sample;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Pseudo-random content of any size, made on the fly from a seed: a body that never exists whole
 * in memory, on either side of the connection.
 */
final class GeneratedContent {

	private final long seed;

	private final long size;

	GeneratedContent(long seed, long size) {
		this.seed = seed;
		this.size = size;
	}

	long size() {
		return this.size;
	}

	/** A fresh stream of the content; every call gives the same bytes. */
	InputStream stream() {
		return new InputStream() {

			private final SplittableRandom random = new SplittableRandom(GeneratedContent.this.seed);

			private long remaining = GeneratedContent.this.size;

			private long word;

			private int wordBytes;

			@Override
			public int read() {
				byte[] one = new byte[1];
				return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				if (this.remaining == 0) {
					return -1;
				}
				int n = (int) Math.min(length, this.remaining);
				for (int i = 0; i < n; i++) {
					if (this.wordBytes == 0) {
						this.word = this.random.nextLong();
						this.wordBytes = 8;
					}
					buffer[offset + i] = (byte) this.word;
					this.word >>>= 8;
					this.wordBytes--;
				}
				this.remaining -= n;
				return n;
			}

		};
	}

	/** The SHA-256 of the content, computed by streaming it. */
	String sha256() throws IOException {
		return sha256(stream());
	}

	/** The SHA-256 of everything {@code in} delivers, read in small chunks; closes {@code in}. */
	static String sha256(InputStream in) throws IOException {
		MessageDigest digest = newDigest();
		try (in) {
			byte[] buffer = new byte[64 * 1024];
			for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
				digest.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK must provide SHA-256", ex);
		}
	}

}
