package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.atomicfile.ReaperRules.EntryType;
import dev.atomicfile.ReaperRules.LockState;
import dev.atomicfile.ReaperRules.NameKind;
import dev.atomicfile.ReaperRules.Verdict;

/**
 * One reaping pass: walks the tree with an explicit stack, gathers for each entry the facts the
 * {@link ReaperRules} ask for, carries out their verdict and counts the outcome. A failure on one
 * entry, whatever it is, is counted and logged and the walk goes on; an interrupt ends the walk
 * before the next entry. Not thread-safe: one walk per pass.
 */
final class ReaperWalk {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaper.class);

	private static final Path LOCK_FILE = Path.of(TempFileNames.LOCK_FILE_NAME);

	private final ReaperRules rules;

	private final boolean recursive;

	private final AtomicFileListener listener;

	private final long now = System.currentTimeMillis();

	private long scanned;

	private long reaped;

	private long keptLive;

	private long keptYoung;

	private long failed;

	private long bytesReclaimed;

	private boolean interrupted;

	ReaperWalk(ReaperRules rules, boolean recursive, AtomicFileListener listener) {
		this.rules = rules;
		this.recursive = recursive;
		this.listener = listener;
	}

	/**
	 * Reaps {@code path}: a directory, or the temp siblings of a regular file.
	 * @return whether {@code path} exists
	 */
	boolean run(Path path) {
		WalkRoot start;
		try {
			start = WalkRoot.of(path);
		}
		catch (NoSuchFileException ex) {
			logger.warn("Cannot reap {}: it does not exist", path);
			return false;
		}
		catch (IOException ex) {
			failed("Cannot reap {}: {}", path, ex.toString());
			return true;
		}
		if (start == null) {
			failed("Cannot reap {}: it is neither a directory nor a regular file", path);
		}
		else {
			walk(start.directory(), start.fileName());
		}
		return true;
	}

	/** Counts a failure that ended the pass early, such as an {@link Error} outside any entry. */
	void failedUnexpectedly(Path path, Throwable failure) {
		failed("Reaping {} failed", path, failure);
	}

	/** Whether the pass stopped early because its thread was interrupted. */
	boolean interrupted() {
		return this.interrupted;
	}

	ReapReport report(Path path, boolean pathExists, Duration duration) {
		return new ReapReport(path, pathExists, this.scanned, this.reaped, this.keptLive, this.keptYoung, this.failed,
				this.bytesReclaimed, duration, this.interrupted);
	}

	/**
	 * @param targetName in file mode, the file whose own temps alone count (subdirectories are
	 * never entered); {@code null} in directory mode
	 */
	private void walk(Path start, @Nullable String targetName) {
		ReaperDirectory directory;
		try {
			directory = ReaperDirectory.open(start);
		}
		catch (IOException ex) {
			failed("Cannot read directory {} while reaping: {}", start, ex.toString());
			return;
		}
		try (ReaperStack stack = new ReaperStack(directory)) {
			while (!stack.isEmpty() && !stopRequested()) {
				ReaperDirectory current = stack.top().directory();
				Path name;
				try {
					name = current.nextName();
				}
				catch (IOException ex) {
					failed("Cannot read directory {} while reaping: {}", current.path(), ex.toString());
					name = null;
				}
				if (name == null) {
					stack.pop();
					continue;
				}
				this.scanned++;
				visit(stack, current, name, targetName);
			}
		}
	}

	/** Checks for an interrupt, and clears it until the pass returns. */
	private boolean stopRequested() {
		if (Thread.interrupted()) {
			this.interrupted = true;
		}
		return this.interrupted;
	}

	private void visit(ReaperStack stack, ReaperDirectory directory, Path name, @Nullable String targetName) {
		try {
			judge(stack, directory, name, targetName);
		}
		catch (NoSuchFileException ex) {
			// Renamed or removed since it was listed (its writer committed it): not ours to count.
		}
		catch (InterruptedIOException | ClosedByInterruptException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			failed("Cannot reap {}: {}", directory.pathOf(name), ex.toString());
		}
		catch (Throwable ex) {
			// Nothing that goes wrong with one entry, an Error included, may end the pass.
			failed("Cannot reap {}", directory.pathOf(name), ex);
		}
	}

	private void judge(ReaperStack stack, ReaperDirectory directory, Path name, @Nullable String targetName)
			throws IOException {
		boolean descend = this.recursive && targetName == null;
		NameKind kind = this.rules.classify(name, targetName);
		if (kind == NameKind.OTHER && !descend) {
			// The bulk of a flat directory costs no system call.
			return;
		}
		try (Entry entry = new Entry(directory, name, kind, directory.attributes(name))) {
			Verdict verdict = entry.verdict(LockState.UNTESTED);
			if (verdict == Verdict.INSPECT) {
				entry.inspect();
				verdict = entry.verdict(LockState.UNTESTED);
			}
			if (verdict == Verdict.TEST_LOCK) {
				verdict = entry.verdict(entry.testLock());
			}
			switch (verdict) {
				case SKIP -> {
				}
				case DESCEND -> {
					if (descend) {
						stack.enter(name);
					}
				}
				case NOT_OURS -> {
					failed("Not reaping {}: it is named like a temp directory of AtomicFileWriter but holds no {}, "
							+ "so it was not made by one", entry.path(), TempFileNames.LOCK_FILE_NAME);
					if (descend) {
						stack.enter(name);
					}
				}
				case KEEP_LIVE -> this.keptLive++;
				case KEEP_YOUNG -> this.keptYoung++;
				case FAILED -> failed("Cannot tell whether {} is still being written: {}", entry.path(),
						entry.lockProblem());
				case DELETE -> delete(entry);
				default -> throw new IllegalStateException("No final verdict on " + entry.path() + ": " + verdict);
			}
		}
	}

	private void delete(Entry entry) throws IOException {
		long bytes;
		switch (entry.type) {
			case REGULAR_FILE -> {
				// Asked only now, under the lock this pass took: a committer writes its record while it
				// holds the locks of its temps, so a record written before its death is seen here.
				if (namedByCommitRecord(entry)) {
					this.keptLive++;
					logger.debug("Kept {}: a commit record names it; CommitRecovery settles it", entry.path());
					return;
				}
				// Still under the lock this pass took, if it took one: no writer can claim it meanwhile.
				entry.directory.deleteFile(entry.name);
				bytes = entry.size;
			}
			case SYMBOLIC_LINK -> {
				// Unlinks the link itself; what it points to is never touched.
				entry.directory.deleteFile(entry.name);
				bytes = 0;
			}
			case EMPTY_DIRECTORY -> {
				try {
					entry.directory.deleteDirectory(entry.name);
				}
				catch (DirectoryNotEmptyException ex) {
					// Filled since it was looked into: the next pass judges it as it is then.
					return;
				}
				bytes = 0;
			}
			default -> bytes = ReaperTreeRemoval.remove(entry.directory, entry.name, LOCK_FILE);
		}
		Duration age = entry.age();
		this.reaped++;
		this.bytesReclaimed += bytes;
		logger.debug("Reaped orphaned temp {} {} ({} bytes, {} old)",
				(entry.type == EntryType.REGULAR_FILE) ? "file" : "directory", entry.path(), bytes, age);
		announce(new OrphanReaped(entry.path(), bytes, age));
	}

	/** Whether the record of a commit this temp belongs to lies beside it: recovery, not the reaper, settles it. */
	private static boolean namedByCommitRecord(Entry entry) throws IOException {
		String id = TempFileNames.idOf(entry.name.toString());
		return id != null && entry.directory.attributesIfPresent(Path.of(CommitRecord.NAME_PREFIX + id)) != null;
	}

	private void announce(OrphanReaped event) {
		// Whatever the listener throws stays in there: a deletion that happened is never a failure.
		Listeners.deliver(this.listener, AtomicFileListener::onOrphanReaped, event);
	}

	private void failed(String message, Object... arguments) {
		this.failed++;
		logger.warn(message, arguments);
	}

	/** What is known so far about one entry, and what was opened to learn it. */
	private final class Entry implements AutoCloseable {

		final ReaperDirectory directory;

		final Path name;

		private final NameKind kind;

		EntryType type;

		final long size;

		private long modifiedMillis;

		private @Nullable ReaperDirectory inside;

		private ReaperLockProbe.@Nullable Result lock;

		Entry(ReaperDirectory directory, Path name, NameKind kind, BasicFileAttributes attributes) {
			this.directory = directory;
			this.name = name;
			this.kind = kind;
			this.type = EntryType.of(attributes);
			this.size = attributes.size();
			this.modifiedMillis = attributes.lastModifiedTime().toMillis();
		}

		Verdict verdict(LockState lockState) {
			return ReaperWalk.this.rules.judge(this.kind, this.type, age(), lockState);
		}

		Duration age() {
			return Duration.ofMillis(Math.max(0, ReaperWalk.this.now - this.modifiedMillis));
		}

		Path path() {
			return this.directory.pathOf(this.name);
		}

		/** Looks into a temp-named directory: what it holds, and when it last showed life. */
		void inspect() throws IOException {
			ReaperDirectory opened = this.directory.openDirectory(this.name);
			this.inside = opened;
			BasicFileAttributes lockFile = opened.attributesIfPresent(LOCK_FILE);
			if (lockFile == null || !lockFile.isRegularFile()) {
				this.type = (opened.nextName() != null) ? EntryType.FOREIGN_DIRECTORY : EntryType.EMPTY_DIRECTORY;
				return;
			}
			this.type = EntryType.LOCKED_DIRECTORY;
			// A producer creating files touches the directory; one writing into its file touches only
			// that file: the newest of them all is the last sign of life.
			for (Path entry = opened.nextName(); entry != null; entry = opened.nextName()) {
				BasicFileAttributes attributes = opened.attributesIfPresent(entry);
				if (attributes != null) {
					this.modifiedMillis = Math.max(this.modifiedMillis, attributes.lastModifiedTime().toMillis());
				}
			}
		}

		/** Tests the lock of a temp file, or of a temp directory's lock file. */
		LockState testLock() throws IOException {
			ReaperDirectory opened = this.inside;
			ReaperLockProbe.Result result = (opened != null) ? ReaperLockProbe.test(opened, LOCK_FILE)
					: ReaperLockProbe.test(this.directory, this.name);
			this.lock = result;
			if (result.state() == LockState.UNSUPPORTED) {
				logger.debug("Cannot lock {}; judging it by maxAge alone: {}", path(), result.problem());
			}
			return result.state();
		}

		@Nullable String lockProblem() {
			ReaperLockProbe.Result result = this.lock;
			return (result != null) ? result.problem() : null;
		}

		@Override
		public void close() throws IOException {
			try (ReaperDirectory opened = this.inside; ReaperLockProbe.Result result = this.lock) {
				// Releases the lock this pass held while it deleted, then the directory handle.
			}
		}

	}

}
