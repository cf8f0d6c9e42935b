package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what writers killed mid-write left behind, and never anything a live writer still owns.
 *
 * <h2>What it deletes</h2>
 * An entry whose name has {@link AtomicFileWriter}'s temp format ({@code <name>.tmp.af-…} or
 * {@code <name>.tmp.afu-…}, shortened names included) is judged as follows:
 * <ul>
 * <li>one made by this very process (its name carries this process's token, whichever copy of the
 * library in this JVM made it) is never opened and never deleted: testing its lock would drop the
 * lock of the writer that holds it, because fcntl locks belong to the process. Such a leftover is
 * reaped by the first pass of a later process;</li>
 * <li>a regular file ({@code af}) is deleted when no process holds the lock every writer keeps on
 * it until the rename, and its last modification is at least {@code minAge} ago; where the file
 * system has no working locks, once it is at least {@code maxAge} old;</li>
 * <li>a regular file whose writer could not lock it ({@code afu}) is never opened, and is deleted
 * once it is at least {@code maxAge} old;</li>
 * <li>a directory (the private directory of {@link AtomicFileWriter#writeFile}) is judged by the
 * lock on the {@code .af-lock} file inside it, in the same way, with its age the newest of its own
 * and its entries' modification times. A dead one is removed with all its content; an empty one
 * once it is {@code minAge} old; a non-empty one without that lock file was not made by a writer:
 * it is kept, counted as failed and warned about.</li>
 * </ul>
 * A regular file in no temp format that matches one of the {@code extraPatterns} (legacy names,
 * other tools' temp files, whose writers hold no lock) is deleted once it is at least
 * {@code maxAge} old. Patterns never apply to names in the temp format, which are judged by their
 * own rule alone.
 *
 * <h2>Safety</h2>
 * Symbolic links found during the pass are never followed (a linked directory is not entered, a
 * link named like a temp file is left alone, a link inside a dead temp directory is removed, not
 * its target); the path given to {@link #reap} may itself be a link, and is resolved once. Every
 * operation is relative to an open directory, so trees of any depth work, with no recursion.
 * Nothing outside that path is ever deleted. A pass never blocks on an entry: the lock test opens
 * for reading and writing, which returns at once even on a FIFO swapped in after the entry was
 * listed, and where that is refused it waits at most a second for a read-only open.
 * Each directory is read in one streaming pass; entries whose names cannot match cost no system
 * call in a non-recursive pass.
 *
 * <h2>Limits</h2>
 * Any code in a process that opens and closes a live writer's temp file drops the writer's lock,
 * and a reaper in another process may then delete the file once it is {@code minAge} old.
 *
 * <p>Thread-safe. {@link #reap} never throws for what happens during a pass: every failure is
 * counted and logged. Interrupting the reaping thread ends the pass before its next entry.
 */
public final class OrphanReaper {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaper.class);

	private final Duration maxAge;

	private final Duration minAge;

	private final boolean recursive;

	private final List<String> extraPatterns;

	private final ReaperRules rules;

	private final AtomicFileListener listener;

	private OrphanReaper(Builder builder) {
		this.maxAge = builder.maxAge;
		this.minAge = builder.minAge;
		this.recursive = builder.recursive;
		this.extraPatterns = List.copyOf(builder.extraPatterns);
		this.rules = new ReaperRules(this.minAge, this.maxAge, this.extraPatterns);
		this.listener = builder.listener;
	}

	/**
	 * A builder with the defaults: {@code maxAge} 1 hour, {@code minAge} 10 seconds, not recursive,
	 * no extra patterns, no listener.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Reaps {@code path} in one pass and logs one INFO summary.
	 * <p>
	 * If the calling thread is interrupted, the pass stops before its next entry and returns what
	 * it did so far ({@link ReapReport#interrupted()}), with the thread's interrupt status set.
	 * @param path a directory (its temp files, or those of its whole subtree when recursive), or a
	 * regular file (that file's own temps, and the extra-pattern matches beside it whose names
	 * start with the file's name and a dot, such as {@code index.faiss.tmp} for
	 * {@code index.faiss})
	 * @return what the pass found and did; a missing path gives a report with
	 * {@code pathExists == false} and one WARN, not an exception
	 * @throws NullPointerException if {@code path} is {@code null}; nothing else is ever thrown
	 */
	public ReapReport reap(Path path) {
		return reap(path, true);
	}

	/**
	 * Reaps {@code path} as {@link #reap(Path)} does, but logs the pass's summary at DEBUG only:
	 * for a caller that reaps several paths and logs one summary of its own, such as the Spring
	 * Boot startup runner. Failures are still logged at WARN.
	 * @param path as for {@link #reap(Path)}
	 * @return as for {@link #reap(Path)}
	 * @throws NullPointerException if {@code path} is {@code null}; nothing else is ever thrown
	 */
	public ReapReport reapQuietly(Path path) {
		return reap(path, false);
	}

	private ReapReport reap(Path path, boolean summaryAtInfo) {
		Objects.requireNonNull(path, "path");
		long start = System.nanoTime();
		ReaperWalk walk = new ReaperWalk(this.rules, this.recursive, this.listener);
		boolean exists = true;
		try {
			exists = walk.run(path);
		}
		catch (Throwable ex) {
			walk.failedUnexpectedly(path, ex);
		}
		finally {
			if (walk.interrupted()) {
				Thread.currentThread().interrupt();
			}
		}
		ReapReport report = walk.report(path, exists, Duration.ofNanos(System.nanoTime() - start));
		// A pass that changed nothing and hit nothing is no news: a periodic reaper stays quiet.
		if (exists && summaryAtInfo && (report.reaped() > 0 || report.failed() > 0 || report.interrupted())) {
			logger.info(SUMMARY, summaryArguments(path, report));
		}
		else if (exists) {
			logger.debug(SUMMARY, summaryArguments(path, report));
		}
		return report;
	}

	private static final String SUMMARY = "Reaped {} orphaned temp file(s), {} bytes, under {}: scanned {}, kept {} live"
			+ " and {} young, {} failed, in {} ms{}";

	private static Object[] summaryArguments(Path path, ReapReport report) {
		return new Object[] { report.reaped(), report.bytesReclaimed(), path, report.scanned(), report.keptLive(),
				report.keptYoung(), report.failed(), report.duration().toMillis(),
				report.interrupted() ? "; interrupted, the pass stopped early" : "" };
	}

	/**
	 * Whether a pass takes a file called {@code fileName} for a temp file that it may delete: a name
	 * in {@link AtomicFileWriter}'s temp format (either variant, of any target, by any process) or
	 * one that matches an extra pattern of this reaper. Applications that let users or other
	 * systems choose file names can refuse those for which this is {@code true}.
	 * @param fileName a file name, without any directory
	 * @return whether a pass in directory mode may delete a file of that name
	 */
	public boolean isTempFileName(String fileName) {
		Objects.requireNonNull(fileName, "fileName");
		return this.rules.isTempFileName(fileName);
	}

	/**
	 * The age after which a temp of unknown ownership, or a match of an extra pattern, is deleted.
	 * @return the maximum age
	 */
	public Duration maxAge() {
		return this.maxAge;
	}

	/**
	 * The grace period before a temp of a provably dead writer is deleted.
	 * @return the minimum age
	 */
	public Duration minAge() {
		return this.minAge;
	}

	@Override
	public String toString() {
		return "OrphanReaper[maxAge=" + this.maxAge + ", minAge=" + this.minAge + ", recursive=" + this.recursive
				+ ", extraPatterns=" + this.extraPatterns + "]";
	}

	/** Configures an {@link OrphanReaper}. Not thread-safe. */
	public static final class Builder {

		private Duration maxAge = Duration.ofHours(1);

		private Duration minAge = Duration.ofSeconds(10);

		private boolean recursive;

		private final List<String> extraPatterns = new ArrayList<>();

		private AtomicFileListener listener = AtomicFileListener.none();

		private Builder() {
		}

		/**
		 * Sets the age after which a temp file or directory whose ownership cannot be determined (no
		 * locks on its file system, or an {@code afu} name whose writer could not lock it), or a file
		 * that matches an extra pattern, is deleted.
		 * @param maxAge zero or more; default 1 hour
		 * @return this builder
		 */
		public Builder maxAge(Duration maxAge) {
			this.maxAge = requireNotNegative(maxAge, "maxAge");
			return this;
		}

		/**
		 * Sets the grace period before a temp file or directory of a provably dead writer is
		 * deleted. Keep it above zero outside tests: it also shields a temp file in the instant
		 * between its creation and its lock, and a {@link AtomicFileWriter#writeFile} directory in
		 * the instant between its creation and that of its lock file.
		 * @param minAge zero or more, at most {@code maxAge}; default 10 seconds
		 * @return this builder
		 */
		public Builder minAge(Duration minAge) {
			this.minAge = requireNotNegative(minAge, "minAge");
			return this;
		}

		/**
		 * Sets whether a directory's subdirectories are reaped too (never through a symbolic link).
		 * @param recursive default {@code false}
		 * @return this builder
		 */
		public Builder recursive(boolean recursive) {
			this.recursive = recursive;
			return this;
		}

		/**
		 * Sets glob patterns, matched against file names alone, of other temp files to delete once
		 * they are {@code maxAge} old, such as legacy {@code *.tmp.*} or {@code index.faiss.tmp}.
		 * They never apply to a name in {@link AtomicFileWriter}'s temp format, and when a regular
		 * file is reaped, only to names that start with its name and a dot.
		 * @param extraPatterns the globs, in {@link java.nio.file.FileSystem#getPathMatcher} syntax
		 * @return this builder
		 */
		public Builder extraPatterns(List<String> extraPatterns) {
			Objects.requireNonNull(extraPatterns, "extraPatterns");
			extraPatterns.forEach((pattern) -> Objects.requireNonNull(pattern, "extraPatterns element"));
			this.extraPatterns.clear();
			this.extraPatterns.addAll(extraPatterns);
			return this;
		}

		/**
		 * Sets the listener told of every deleted orphan.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(AtomicFileListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/**
		 * Builds the reaper.
		 * @return a new thread-safe reaper
		 * @throws IllegalArgumentException if {@code minAge} exceeds {@code maxAge} or a pattern is
		 * not a valid glob
		 */
		public OrphanReaper build() {
			if (this.minAge.compareTo(this.maxAge) > 0) {
				throw new IllegalArgumentException(
						"minAge (" + this.minAge + ") must not exceed maxAge (" + this.maxAge + ")");
			}
			return new OrphanReaper(this);
		}

		private static Duration requireNotNegative(Duration age, String name) {
			Objects.requireNonNull(age, name);
			if (age.isNegative()) {
				throw new IllegalArgumentException(name + " must not be negative, was " + age);
			}
			return age;
		}

	}

}
