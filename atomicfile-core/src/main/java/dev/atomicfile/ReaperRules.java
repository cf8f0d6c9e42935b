package dev.atomicfile;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * What a reaping pass does with one directory entry, decided from facts alone: its name, its
 * type, its age and, only when the verdict depends on it, whether its lock is free. Nothing here
 * touches the file system. The walk gathers the facts the rules ask for one step at a time
 * ({@link Verdict#INSPECT}, then {@link Verdict#TEST_LOCK}), so an entry is opened only when its
 * fate depends on what is inside.
 */
final class ReaperRules {

	/** What an entry's name alone says it may be. */
	enum NameKind {

		/**
		 * A temp name this process made, by this or any other copy of the library in the JVM. Never
		 * opened: closing a descriptor drops every fcntl lock the process holds on the file, so a
		 * lock test would take the protection away from the writer it was meant to detect.
		 */
		OWN_PROCESS_TEMP,

		/** A temp name of another process whose writer holds the lock while it lives. */
		LOCKED_TEMP,

		/** A temp name ({@code afu}) whose writer could not lock it: only its age proves it dead. */
		UNLOCKED_TEMP,

		/** Not in the temp format, matched by an extra pattern: judged by {@code maxAge}. */
		EXTRA_MATCH,

		/** Anything else: never deleted. */
		OTHER

	}

	/** What an entry is, from its own attributes (never following a link) and a look inside. */
	enum EntryType {

		REGULAR_FILE,

		/** A directory not looked into. */
		DIRECTORY,

		/** A temp-named directory with nothing in it. */
		EMPTY_DIRECTORY,

		/** A temp-named directory holding a regular {@value TempFileNames#LOCK_FILE_NAME}. */
		LOCKED_DIRECTORY,

		/** A temp-named, non-empty directory without that lock file: the writer makes none such. */
		FOREIGN_DIRECTORY,

		/**
		 * A symbolic link: never followed; deleted (the link itself) only when named as an unlocked
		 * temp, which is what {@link AtomicFileWriter#replaceSymbolicLink} stages.
		 */
		SYMBOLIC_LINK,

		/** A FIFO, socket or device: never opened, never deleted. */
		OTHER;

		static EntryType of(BasicFileAttributes attributes) {
			if (attributes.isRegularFile()) {
				return REGULAR_FILE;
			}
			if (attributes.isSymbolicLink()) {
				return SYMBOLIC_LINK;
			}
			return attributes.isDirectory() ? DIRECTORY : OTHER;
		}

		boolean isDirectory() {
			return this != REGULAR_FILE && this != SYMBOLIC_LINK && this != OTHER;
		}

	}

	/** Whether a writer holds the entry's lock. */
	enum LockState {

		UNTESTED,

		/** Nobody holds it: the writer is gone. */
		FREE,

		/** A live writer holds it. */
		HELD,

		/** The file system has no working locks: ownership cannot be known. */
		UNSUPPORTED,

		/** The entry could not be opened for the test (refused, or the open did not return). */
		FAILED

	}

	/** What the pass does with the entry. */
	enum Verdict {

		/** Not ours: left alone, not counted. */
		SKIP,

		/** A directory that is not ours: entered when the pass is recursive. */
		DESCEND,

		/** Ask again once the directory's content is known. */
		INSPECT,

		/** Ask again once the lock was tested. */
		TEST_LOCK,

		DELETE,

		KEEP_LIVE,

		KEEP_YOUNG,

		/** Named like a temp directory but not made by the writer: kept, counted failed, warned. */
		NOT_OURS,

		/** The lock test failed: kept, counted failed, warned. */
		FAILED

	}

	private final Duration minAge;

	private final Duration maxAge;

	private final List<PathMatcher> extraMatchers;

	ReaperRules(Duration minAge, Duration maxAge, List<String> extraPatterns) {
		this.minAge = minAge;
		this.maxAge = maxAge;
		this.extraMatchers = extraPatterns.stream().map(ReaperRules::globMatcher).toList();
	}

	/**
	 * What {@code fileName} may be.
	 * @param targetName in file mode, the file whose own temps alone count; {@code null} in
	 * directory mode
	 */
	NameKind classify(Path fileName, @Nullable String targetName) {
		String name = fileName.toString();
		if (TempFileNames.isTempName(name)) {
			// Another target's temp is judged by nobody's patterns: it is not this pass's business.
			if (targetName != null && !TempFileNames.isTempNameOf(name, targetName)) {
				return NameKind.OTHER;
			}
			if (TempFileNames.isOwnProcess(name)) {
				return NameKind.OWN_PROCESS_TEMP;
			}
			return TempFileNames.isUnlocked(name) ? NameKind.UNLOCKED_TEMP : NameKind.LOCKED_TEMP;
		}
		// A commit record is what recovery acts on: no pattern may take it for a leftover.
		if (CommitRecord.isRecordName(name)) {
			return NameKind.OTHER;
		}
		// Reaping "db" reaches "db.tmp" and "db.old.tmp", never neighbour "db2.tmp".
		if (targetName != null && !isSiblingOf(name, targetName)) {
			return NameKind.OTHER;
		}
		return matchesExtraPattern(fileName) ? NameKind.EXTRA_MATCH : NameKind.OTHER;
	}

	/**
	 * Whether a pass in directory mode takes a file called {@code fileName} for a temp file.
	 * @see OrphanReaper#isTempFileName(String)
	 */
	boolean isTempFileName(String fileName) {
		if (TempFileNames.isTempName(fileName)) {
			return true;
		}
		if (CommitRecord.isRecordName(fileName)) {
			return false;
		}
		Path name;
		try {
			name = Path.of(fileName);
		}
		catch (InvalidPathException ex) {
			// No file can have this name, so no pass can meet it.
			return false;
		}
		boolean oneName = name.getNameCount() == 1 && !name.isAbsolute() && !fileName.isEmpty()
				&& !fileName.equals(".") && !fileName.equals("..");
		return oneName && matchesExtraPattern(name);
	}

	/** The verdict on one entry from what is known about it so far. */
	Verdict judge(NameKind kind, EntryType type, Duration age, LockState lock) {
		if (type == EntryType.OTHER) {
			return Verdict.SKIP;
		}
		if (type == EntryType.SYMBOLIC_LINK) {
			// A link cannot be locked: a staged one is named unlocked, and only its age proves it dead.
			// No pattern ever reaches a link.
			return switch (kind) {
				case OWN_PROCESS_TEMP -> Verdict.KEEP_LIVE;
				case UNLOCKED_TEMP -> byMaxAge(age);
				default -> Verdict.SKIP;
			};
		}
		if (kind == NameKind.OTHER || kind == NameKind.EXTRA_MATCH) {
			if (type.isDirectory()) {
				return Verdict.DESCEND;
			}
			return (kind == NameKind.EXTRA_MATCH) ? byMaxAge(age) : Verdict.SKIP;
		}
		if (kind == NameKind.OWN_PROCESS_TEMP) {
			return Verdict.KEEP_LIVE;
		}
		switch (type) {
			case DIRECTORY:
				return Verdict.INSPECT;
			case FOREIGN_DIRECTORY:
				return Verdict.NOT_OURS;
			case EMPTY_DIRECTORY:
				// A writer killed between its mkdir and its lock file: nothing inside to lose.
				return byMinAge(age);
			default:
				break;
		}
		if (kind == NameKind.UNLOCKED_TEMP) {
			return byMaxAge(age);
		}
		if (age.compareTo(this.minAge) < 0) {
			return Verdict.KEEP_YOUNG;
		}
		return switch (lock) {
			case UNTESTED -> Verdict.TEST_LOCK;
			case FREE -> Verdict.DELETE;
			case HELD -> Verdict.KEEP_LIVE;
			case UNSUPPORTED -> byMaxAge(age);
			case FAILED -> Verdict.FAILED;
		};
	}

	private Verdict byMaxAge(Duration age) {
		return (age.compareTo(this.maxAge) >= 0) ? Verdict.DELETE : Verdict.KEEP_YOUNG;
	}

	private Verdict byMinAge(Duration age) {
		return (age.compareTo(this.minAge) >= 0) ? Verdict.DELETE : Verdict.KEEP_YOUNG;
	}

	private boolean matchesExtraPattern(Path fileName) {
		for (PathMatcher matcher : this.extraMatchers) {
			if (matcher.matches(fileName)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isSiblingOf(String name, String targetName) {
		return name.length() > targetName.length() && name.startsWith(targetName)
				&& name.charAt(targetName.length()) == '.';
	}

	private static PathMatcher globMatcher(String pattern) {
		try {
			return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("Invalid extra pattern '" + pattern + "': " + ex.getDescription(), ex);
		}
	}

}
