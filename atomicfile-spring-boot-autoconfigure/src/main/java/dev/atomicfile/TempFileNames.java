package dev.atomicfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The temp-file name format, shared by the writer (which makes names) and the reaper (which must
 * recognise them, and nothing else).
 *
 * <pre>
 * &lt;base&gt;.tmp.af-&lt;pid&gt;-&lt;nonce&gt;-&lt;thread&gt;-&lt;sequence&gt;
 * </pre>
 * <ul>
 * <li>{@code base} is the target's file name, or, when the whole temp name would pass
 * {@value #MAX_NAME_BYTES} UTF-8 bytes, its first bytes (cut on a character boundary) followed by
 * {@code ~} and 16 hex digits of the SHA-256 of the full name;</li>
 * <li>{@code pid}, {@code thread} and {@code sequence} are decimal; {@code nonce} is 8 lower-case hex
 * digits drawn at random once per JVM, because a pid alone repeats across containers (each one is
 * PID 1) sharing a volume; the sequence never repeats within a JVM.</li>
 * </ul>
 * The {@code af-} marker keeps the reference helper's {@code <name>.tmp.<pid>.<tid>.<ns>} names,
 * whose writers hold no lock, out of the liveness rule.
 */
final class TempFileNames {

	/** The file-name limit of every common Linux, macOS and Windows filesystem. */
	static final int MAX_NAME_BYTES = 255;

	private static final String MARKER = ".tmp.af-";

	private static final int MAX_SUFFIX_BYTES = MARKER.length() + 19 + 1 + 8 + 1 + 19 + 1 + 19;

	/** Bases up to this size are used whole; longer ones are shortened. */
	static final int MAX_BASE_BYTES = MAX_NAME_BYTES - MAX_SUFFIX_BYTES;

	private static final int HASH_HEX_DIGITS = 16;

	// \z, not $: $ also matches before a final line terminator, and "x.tmp.af-…\n" is not our file.
	private static final Pattern SUFFIX = Pattern.compile("\\.tmp\\.af-\\d{1,19}-[0-9a-f]{8}-\\d{1,19}-\\d{1,19}\\z");

	private static final String PROCESS_PREFIX = MARKER + ProcessHandle.current().pid() + "-"
			+ HexFormat.of().toHexDigits(new SecureRandom().nextInt()) + "-";

	private static final AtomicLong sequence = new AtomicLong();

	private TempFileNames() {
	}

	/** A fresh temp name for a target called {@code targetName}; never returned twice in a JVM. */
	static String newTempName(String targetName) {
		return baseFor(targetName) + PROCESS_PREFIX + Thread.currentThread().getId() + "-"
				+ sequence.incrementAndGet();
	}

	/** Whether {@code fileName} has this library's temp-file format (for any target). */
	static boolean isTempName(String fileName) {
		int marker = fileName.lastIndexOf(MARKER);
		return marker > 0 && SUFFIX.matcher(fileName).region(marker, fileName.length()).lookingAt();
	}

	/** Whether {@code fileName} is a temp file of the target called {@code targetName}. */
	static boolean isTempNameOf(String fileName, String targetName) {
		if (!isTempName(fileName)) {
			return false;
		}
		String base = fileName.substring(0, fileName.lastIndexOf(MARKER));
		return base.equals(baseFor(targetName));
	}

	/** The target-name part of a temp name: the name itself, or its shortened form. */
	static String baseFor(String targetName) {
		if (utf8Length(targetName) <= MAX_BASE_BYTES) {
			return targetName;
		}
		int keep = MAX_BASE_BYTES - 1 - HASH_HEX_DIGITS;
		return prefixWithin(targetName, keep) + "~" + hash(targetName);
	}

	static int utf8Length(String text) {
		int bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/** The longest prefix of {@code text} that fits in {@code maxBytes}, never splitting a character. */
	private static String prefixWithin(String text, int maxBytes) {
		int end = 0;
		int bytes = 0;
		while (end < text.length()) {
			int codePoint = text.codePointAt(end);
			int size = utf8Length(new String(Character.toChars(codePoint)));
			if (bytes + size > maxBytes) {
				break;
			}
			bytes += size;
			end += Character.charCount(codePoint);
		}
		return text.substring(0, end);
	}

	private static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, HASH_HEX_DIGITS / 2);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK must provide SHA-256", ex);
		}
	}

}
