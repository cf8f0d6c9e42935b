package dev.atomicfile.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The limit holds whatever mix of single-byte reads, bulk reads and skips a consumer uses: a
 * stream of at most the limit passes whole, one byte more fails, and never later than the read
 * that crosses the limit.
 */
class SizeLimitedInputStreamTests {

	@RepeatedTest(200)
	void deliversAtMostTheLimitAndFailsOnTheReadThatCrossesIt(RepetitionInfo repetition) throws IOException {
		long seed = 0x5eed0000L + repetition.getCurrentRepetition();
		SplittableRandom random = new SplittableRandom(seed);
		int limit = random.nextInt(0, 5000);
		int size = Math.max(0, limit + random.nextInt(-3, 4));
		InputStream in = new SizeLimitedInputStream(new ByteArrayInputStream(new byte[size]), limit);
		long consumed = 0;
		try {
			while (true) {
				long n = readSomehow(in, random);
				if (n == -1) {
					break;
				}
				consumed += n;
			}
			assertThat(size).as("seed %d: passed whole although %d > limit %d", seed, size, limit)
				.isLessThanOrEqualTo(limit);
			assertThat(consumed).as("seed %d", seed).isEqualTo(size);
		}
		catch (DocumentTooLargeException ex) {
			assertThat(size).as("seed %d: refused although %d <= limit %d", seed, size, limit).isGreaterThan(limit);
			assertThat(consumed).as("seed %d: consumed before the refusal", seed).isLessThanOrEqualTo(limit);
		}
	}

	@Test
	void refusalNamesTheLimit() {
		InputStream in = new SizeLimitedInputStream(new ByteArrayInputStream(new byte[11]), 10);
		assertThatExceptionOfType(DocumentTooLargeException.class).isThrownBy(in::readAllBytes)
			.withMessageContaining("10 bytes");
		assertThat(in.markSupported()).isFalse();
	}

	/** One read, skip or bulk read; the count consumed, or -1 at the end. */
	private static long readSomehow(InputStream in, SplittableRandom random) throws IOException {
		switch (random.nextInt(3)) {
			case 0:
				return (in.read() == -1) ? -1 : 1;
			case 1:
				long skipped = in.skip(random.nextInt(1, 700));
				if (skipped > 0) {
					return skipped;
				}
				return (in.read() == -1) ? -1 : 1;
			default:
				byte[] buffer = new byte[2000];
				return in.read(buffer, random.nextInt(0, 100), random.nextInt(1, 1900));
		}
	}

}
