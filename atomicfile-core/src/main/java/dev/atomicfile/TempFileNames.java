package dev.atomicfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The temp-file name format, shared by the writer (which makes names) and the reaper (which must
 * recognise them, and nothing else). Its one public method tells applications whether a name is
 * such a temp file; the rest is this package's.
 *
 * <pre>
 * &lt;base&gt;.tmp.af-&lt;pid&gt;-&lt;token&gt;-&lt;thread&gt;-&lt;sequence&gt;    a temp its writer holds locked
 * &lt;base&gt;.tmp.afu-&lt;pid&gt;-&lt;token&gt;-&lt;thread&gt;-&lt;sequence&gt;   a temp its writer could not lock
 * </pre>
 * <ul>
 * <li>{@code base} is the target's file name, or, when the whole temp name would pass
 * {@value #MAX_NAME_BYTES} UTF-8 bytes, its first bytes (cut on a character boundary) followed by
 * {@code ~} and 16 hex digits of the SHA-256 of the full name;</li>
 * <li>{@code pid}, {@code thread} and {@code sequence} are decimal; {@code token} is 8 lower-case hex
 * digits of the SHA-256 of the pid and the process's start instant. Every copy of this library in
 * one process (another class loader, another web application in the same container) computes the
 * same token, so a reaper can tell the temp files of its own process without opening them; a pid
 * alone would repeat across containers (each one is PID 1) and across restarts.</li>
 * </ul>
 * The {@code af-} marker keeps other tools' temp names, whose writers hold no lock, out of the
 * liveness rule; the {@code afu-} marker tells reapers that no lock protects the file, so that only
 * its age can prove it dead.
 */
public final class TempFileNames {

	/** The file-name limit of every common Linux, macOS and Windows filesystem. */
	static final int MAX_NAME_BYTES = 255;

	/** The file, inside a {@code writeFile} temp directory, that its writer keeps locked. */
	static final String LOCK_FILE_NAME = ".af-lock";

	private static final String LOCKED_MARKER = ".tmp.af-";

	private static final String UNLOCKED_MARKER = ".tmp.afu-";

	private static final int MAX_SUFFIX_BYTES = UNLOCKED_MARKER.length() + 19 + 1 + 8 + 1 + 19 + 1 + 19;

	/** Bases up to this size are used whole; longer ones are shortened. */
	static final int MAX_BASE_BYTES = MAX_NAME_BYTES - MAX_SUFFIX_BYTES;

	private static final int HASH_HEX_DIGITS = 16;

	// \z, not $: $ also matches before a final line terminator, and "x.tmp.af-…\n" is not our file.
	private static final Pattern SUFFIX = Pattern
		.compile("\\.tmp\\.af(u?)-(\\d{1,19}-[0-9a-f]{8})-\\d{1,19}-\\d{1,19}\\z");

	private static final long PID = ProcessHandle.current().pid();

	/** {@code <pid>-<token>}: what every temp name of this process, in any class loader, carries. */
	private static final String PROCESS_ID = PID + "-" + processToken(PID);

	private static final AtomicLong sequence = new AtomicLong();

	private TempFileNames() {
	}

	/** A fresh temp name for a target called {@code targetName}; never returned twice in a JVM. */
	static String newTempName(String targetName) {
		return baseFor(targetName) + newSuffix();
	}

	/** What follows the base in a fresh temp name; never returned twice in a JVM. */
	static String newSuffix() {
		return LOCKED_MARKER + newId();
	}

	/**
	 * {@code <pid>-<token>-<thread>-<sequence>}: unique among all processes that ever ran on the
	 * machine, and telling which process made it; never returned twice in a JVM.
	 */
	static String newId() {
		return PROCESS_ID + "-" + Thread.currentThread().getId() + "-" + sequence.incrementAndGet();
	}

	/** The suffix of a temp named with {@code id} (from {@link #newId()}) rather than a fresh one. */
	static String suffixOf(String id) {
		return LOCKED_MARKER + id;
	}

	/** The id in a temp name (either variant), or {@code null} if it is none. */
	static @Nullable String idOf(String fileName) {
		Matcher suffix = suffix(fileName);
		if (suffix == null) {
			return null;
		}
		return fileName.substring(suffix.start(2));
	}

	/** Whether {@code id}, from {@link #newId()}, was made by this process, in any class loader. */
	static boolean isOwnProcessId(String id) {
		return id.startsWith(PROCESS_ID + "-");
	}

	/**
	 * The name (or suffix) a temp takes when its writer could not lock it.
	 * @param name a locked temp name, or a suffix from {@link #newSuffix()}
	 */
	static String unlockedVariant(String name) {
		int marker = name.lastIndexOf(LOCKED_MARKER);
		if (marker < 0) {
			throw new IllegalArgumentException("Not a locked temp name or suffix: " + name);
		}
		return name.substring(0, marker) + UNLOCKED_MARKER + name.substring(marker + LOCKED_MARKER.length());
	}

	/**
	 * Whether a file called {@code fileName} is a temp file (or {@code writeFile} temp directory) of
	 * {@link AtomicFileWriter}, of any target, written by any process: the names every
	 * {@link OrphanReaper} judges as its own, and that the writer refuses as targets. For listings
	 * that must hide writes in flight. {@link OrphanReaper#isTempFileName(String)} also answers for
	 * a reaper's extra patterns.
	 * @param fileName a file name, without any directory
	 * @return whether it has the temp-file format
	 */
	public static boolean isTempFileName(String fileName) {
		return isTempName(Objects.requireNonNull(fileName, "fileName"));
	}

	/**
	 * Whether a file called {@code fileName} is a commit record ({@code .atomicfile-commit-…}) of
	 * {@link AtomicFileWriter#commit}, which {@link CommitRecovery} acts on and the writer refuses as
	 * a target: for listings that must hide them.
	 * @param fileName a file name, without any directory
	 * @return whether it is reserved for commit records
	 */
	public static boolean isCommitRecordName(String fileName) {
		return CommitRecord.isRecordName(Objects.requireNonNull(fileName, "fileName"));
	}

	/** Whether {@code fileName} has this library's temp-file format (either variant, any target). */
	static boolean isTempName(String fileName) {
		return suffix(fileName) != null;
	}

	/** Whether {@code fileName} is a temp name whose writer could not lock it. */
	static boolean isUnlocked(String fileName) {
		Matcher suffix = suffix(fileName);
		return suffix != null && !suffix.group(1).isEmpty();
	}

	/**
	 * Whether {@code fileName} is a temp name made by this very process, by this copy of the library
	 * or by any other in the same JVM.
	 */
	static boolean isOwnProcess(String fileName) {
		Matcher suffix = suffix(fileName);
		return suffix != null && suffix.group(2).equals(PROCESS_ID);
	}

	/** Whether {@code fileName} is a temp name of the target called {@code targetName}. */
	static boolean isTempNameOf(String fileName, String targetName) {
		Matcher suffix = suffix(fileName);
		return suffix != null && fileName.substring(0, suffix.start()).equals(baseFor(targetName));
	}

	/**
	 * The target-name part of a temp name: the name itself, or its shortened form. Characters the
	 * JVM could not decode (U+FFFD) become {@code _}: the temp's name must be one the JVM can encode
	 * again, for {@code java.io.File} users among {@link TempFileProducer}s too.
	 */
	static String baseFor(String targetName) {
		String name = targetName.replace('\uFFFD', '_');
		if (utf8Length(name) <= MAX_BASE_BYTES) {
			return name;
		}
		int keep = MAX_BASE_BYTES - 1 - HASH_HEX_DIGITS;
		return prefixWithin(name, keep) + "~" + hash(name);
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

	private static Matcher suffix(String fileName) {
		// Both markers end in "af-" or "afu-"; the last ".tmp.af" starts the suffix.
		int marker = fileName.lastIndexOf(".tmp.af");
		if (marker <= 0) {
			return null;
		}
		Matcher matcher = SUFFIX.matcher(fileName).region(marker, fileName.length());
		return matcher.lookingAt() ? matcher : null;
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

	/**
	 * Derived from what every class loader in this process sees alike. Without a start instant (a
	 * platform that does not report it) the pid alone is hashed: leftovers of an earlier process
	 * with the same pid then count as this process's own and wait for the next restart.
	 */
	private static String processToken(long pid) {
		String start = ProcessHandle.current().info().startInstant().map(Object::toString).orElse("");
		return hash(pid + ":" + start).substring(0, 8);
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
