package dev.atomicfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** The temp-name format the writer makes and the reaper recognises (issue 2, behaviours 1 and 2). */
class TempFileNamesTest {

	private static final String[] ALPHABET = { "a", "Z", "7", ".", "-", "é", "ß", "€", "中", "😀", "𝄞" };

	@Test
	void tempNameHasTheDocumentedFormat() {
		String name = TempFileNames.newTempName("state.json");
		Pattern format = Pattern.compile("state\\.json\\.tmp\\.af-" + ProcessHandle.current().pid() + "-[0-9a-f]{8}-"
				+ Thread.currentThread().getId() + "-\\d+");
		assertThat(name).matches(format);
		assertThat(TempFileNames.isTempName(name)).isTrue();
		assertThat(TempFileNames.isTempNameOf(name, "state.json")).isTrue();
		assertThat(TempFileNames.isTempNameOf(name, "state")).isFalse();
		assertThat(TempFileNames.isTempNameOf(name, "state.json.bak")).isFalse();
	}

	@Test
	void namesAreUniqueAcrossThreads() throws InterruptedException {
		Set<String> names = ConcurrentHashMap.newKeySet();
		int threads = 8;
		int perThread = 5_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < perThread; i++) {
					names.add(TempFileNames.newTempName("shared.bin"));
				}
			});
			worker.start();
			workers.add(worker);
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		assertThat(names).hasSize(threads * perThread)
			.allSatisfy((name) -> assertThat(TempFileNames.isTempNameOf(name, "shared.bin")).isTrue());
	}

	@Test
	void thePublicCheckAnswersForBothVariantsOfAnyProcessAndRefusesNull() {
		String own = TempFileNames.newTempName("state.json");
		assertThat(TempFileNames.isTempFileName(own)).isTrue();
		assertThat(TempFileNames.isTempFileName(TempFileNames.unlockedVariant(own))).isTrue();
		assertThat(TempFileNames.isTempFileName("state.json.tmp.af-1-0badf00d-7-9")).as("another process").isTrue();
		assertThat(TempFileNames.isTempFileName("state.json")).isFalse();
		assertThat(TempFileNames.isTempFileName("state.json.tmp")).isFalse();
		assertThatNullPointerException().isThrownBy(() -> TempFileNames.isTempFileName(null))
			.withMessage("fileName");
	}

	@Test
	void foreignAndMalformedNamesAreNotRecognised() {
		assertThat(TempFileNames.isTempName("state.json.tmp.4242.17.1700000000000")).as("a lock-less helper's <name>.tmp.<pid>.<tid>.<ns>").isFalse();
		assertThat(TempFileNames.isTempName("state.json")).isFalse();
		assertThat(TempFileNames.isTempName(".tmp.af-1-0123abcd-1-1")).as("no base").isFalse();
		assertThat(TempFileNames.isTempName("a.tmp.af-1-0123ABCD-1-1")).as("upper-case nonce").isFalse();
		assertThat(TempFileNames.isTempName("a.tmp.af-1-0123abcd-1")).as("no sequence").isFalse();
		assertThat(TempFileNames.isTempName("a.tmp.af-1-0123abcd-1-1.bak")).as("suffix after").isFalse();
		assertThat(TempFileNames.isTempName("a.tmp.af-1-0123abcd-1-1")).isTrue();
	}

	@Test
	void namesThatFitAreKeptWholeAndOneByteMoreIsShortened() {
		String fits = "x".repeat(TempFileNames.MAX_BASE_BYTES);
		String tooLong = fits + "x";
		assertThat(TempFileNames.baseFor(fits)).isEqualTo(fits);
		assertThat(TempFileNames.baseFor(tooLong)).matches("x+~[0-9a-f]{16}")
			.hasSizeLessThanOrEqualTo(TempFileNames.MAX_BASE_BYTES);
		assertThat(TempFileNames.baseFor(tooLong)).isNotEqualTo(TempFileNames.baseFor(fits + "y"));
	}

	@ParameterizedTest
	@ValueSource(longs = { 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L })
	void tempNamesOfRandomTargetsFitAndStayRecognisable(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		for (int i = 0; i < 200; i++) {
			int bytes = (i % 4 == 0) ? 255 : random.nextInt(1, 256);
			String target = randomName(random, bytes);
			String description = "seed " + seed + ", target " + target;
			String temp = TempFileNames.newTempName(target);
			String base = TempFileNames.baseFor(target);
			assertThat(utf8(target)).as(description).isEqualTo(bytes);
			assertThat(utf8(temp)).as(description).isLessThanOrEqualTo(TempFileNames.MAX_NAME_BYTES);
			assertThat(TempFileNames.isTempNameOf(temp, target)).as(description).isTrue();
			assertThat(TempFileNames.baseFor(target)).as(description + ": deterministic").isEqualTo(base);
			// Recognisable to a person too: the shortened base starts with the target's own name.
			String kept = base.contains("~") ? base.substring(0, base.lastIndexOf('~')) : base;
			assertThat(target).as(description).startsWith(kept);
			assertThat(kept.length()).as(description).isGreaterThan(0);
			assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).as(description).isFalse();
			if (bytes > TempFileNames.MAX_BASE_BYTES) {
				assertThat(utf8(kept)).as(description).isGreaterThan(TempFileNames.MAX_BASE_BYTES - 17 - 4);
			}
		}
	}

	@Test
	void utf8LengthCountsBytesNotChars() {
		for (String text : List.of("", "abc", "é", "€", "😀", "a😀é€", "𝄞𝄞")) {
			assertThat(TempFileNames.utf8Length(text)).as(text).isEqualTo(utf8(text));
		}
	}

	private static String randomName(SplittableRandom random, int bytes) {
		StringBuilder name = new StringBuilder();
		while (utf8(name.toString()) < bytes) {
			String next = ALPHABET[random.nextInt(ALPHABET.length)];
			if (utf8(name.toString()) + utf8(next) > bytes) {
				next = "a";
			}
			name.append(next);
		}
		return name.toString();
	}

	private static int utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
