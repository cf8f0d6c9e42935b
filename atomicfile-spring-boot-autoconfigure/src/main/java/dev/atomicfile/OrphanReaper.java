package dev.atomicfile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the temp files that writers killed mid-write left behind, and never one that a live
 * writer still owns.
 *
 * <h2>What it deletes</h2>
 * A regular file whose name has {@link AtomicFileWriter}'s temp format ({@code <name>.tmp.af-…},
 * shortened names included) is deleted when
 * <ol>
 * <li>its writer is provably gone: no process holds the lock every writer keeps on its temp file
 * until the rename, and its last modification is at least {@code minAge} ago; or</li>
 * <li>ownership cannot be determined on its file system (no file locks there) and it is at least
 * {@code maxAge} old.</li>
 * </ol>
 * A temp file whose writer is alive is never deleted, however old. A file that matches only one of
 * the {@code extraPatterns} (legacy names, other tools' temp files, whose writers hold no lock) is
 * deleted once it is at least {@code maxAge} old; the liveness rule wins when a name matches both.
 *
 * <h2>Safety</h2>
 * Symbolic links found during the pass are never followed (a linked directory is not entered, a link
 * named like a temp file is left alone); the path given to {@link #reap} may itself be a link, and is
 * resolved once. Nothing outside that path, no directory and no non-matching file is ever deleted.
 * Each directory is read in one streaming pass; entries whose names cannot match cost no system
 * call in a non-recursive pass.
 *
 * <p>Thread-safe. A reaper in the same JVM as live writers skips their temp files without touching
 * them: opening and closing one would silently drop the writer's lock.
 */
public final class OrphanReaper {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaper.class);

	private final Duration maxAge;

	private final Duration minAge;

	private final boolean recursive;

	private final List<String> extraPatterns;

	private final List<PathMatcher> extraMatchers;

	private final AtomicFileListener listener;

	private OrphanReaper(Builder builder) {
		this.maxAge = builder.maxAge;
		this.minAge = builder.minAge;
		this.recursive = builder.recursive;
		this.extraPatterns = List.copyOf(builder.extraPatterns);
		this.extraMatchers = this.extraPatterns.stream().map(OrphanReaper::globMatcher).toList();
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
	 * @param path a directory (its temp files, or those of its whole subtree when recursive), or a
	 * regular file (that file's own temp siblings, and the extra-pattern matches beside it whose
	 * names start with the file's name, such as {@code index.faiss.tmp} for {@code index.faiss})
	 * @return what the pass found and did; a missing path gives a report with
	 * {@code pathExists == false} and one WARN, not an exception
	 */
	public ReapReport reap(Path path) {
		Objects.requireNonNull(path, "path");
		long start = System.nanoTime();
		Pass pass = new Pass();
		boolean exists = true;
		try {
			// Resolved once: a data directory may be a link to a mounted volume.
			Path root = path.toRealPath();
			BasicFileAttributes attributes = Files.readAttributes(root, BasicFileAttributes.class);
			if (attributes.isDirectory()) {
				pass.scanDirectory(root, null);
			}
			else if (attributes.isRegularFile() && root.getParent() != null) {
				pass.scanDirectory(root.getParent(), String.valueOf(root.getFileName()));
			}
			else {
				pass.failed++;
				logger.warn("Cannot reap {}: it is neither a directory nor a regular file", path);
			}
		}
		catch (NoSuchFileException ex) {
			exists = false;
			logger.warn("Cannot reap {}: it does not exist", path);
		}
		catch (IOException ex) {
			pass.failed++;
			logger.warn("Cannot reap {}: {}", path, ex.toString());
		}
		ReapReport report = new ReapReport(path, exists, pass.scanned, pass.reaped, pass.keptLive, pass.keptYoung,
				pass.failed, pass.bytesReclaimed, Duration.ofNanos(System.nanoTime() - start));
		if (exists) {
			logger.info("Reaped {} orphaned temp file(s), {} bytes, under {}: scanned {}, kept {} live and {} young,"
					+ " {} failed, in {} ms", report.reaped(), report.bytesReclaimed(), path, report.scanned(),
					report.keptLive(), report.keptYoung(), report.failed(), report.duration().toMillis());
		}
		return report;
	}

	@Override
	public String toString() {
		return "OrphanReaper[maxAge=" + this.maxAge + ", minAge=" + this.minAge + ", recursive=" + this.recursive
				+ ", extraPatterns=" + this.extraPatterns + "]";
	}

	private static PathMatcher globMatcher(String pattern) {
		try {
			return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("Invalid extra pattern '" + pattern + "': " + ex.getDescription(), ex);
		}
	}

	/** What an entry's name says it may be, before any system call. */
	private enum Kind {

		OWN_TEMP, EXTRA_MATCH, OTHER

	}

	/** The counters and the walk of one {@link #reap} call. */
	private final class Pass {

		long scanned;

		long reaped;

		long keptLive;

		long keptYoung;

		long failed;

		long bytesReclaimed;

		private final long now = System.currentTimeMillis();

		/**
		 * @param targetName when set, only this file's temp siblings (and extra matches) count, and
		 * subdirectories are never entered
		 */
		void scanDirectory(Path directory, @Nullable String targetName) {
			try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
				scan(stream, directory, targetName);
			}
			catch (IOException | DirectoryIteratorException ex) {
				this.failed++;
				logger.warn("Cannot read directory {} while reaping: {}", directory, ex.toString());
			}
		}

		private void scan(DirectoryStream<Path> stream, Path directory, @Nullable String targetName) {
			boolean descend = OrphanReaper.this.recursive && targetName == null;
			for (Path entry : stream) {
				this.scanned++;
				Path name = entry.getFileName();
				Kind kind = classify(name, targetName);
				if (kind == Kind.OTHER && !descend) {
					continue;
				}
				Path file = directory.resolve(name);
				BasicFileAttributes attributes;
				try {
					attributes = attributes(stream, entry, name);
				}
				catch (NoSuchFileException ex) {
					continue;
				}
				catch (IOException ex) {
					this.failed++;
					logger.warn("Cannot read attributes of {} while reaping: {}", file, ex.toString());
					continue;
				}
				if (attributes.isDirectory() && descend) {
					scanSubdirectory(stream, name, file);
				}
				else if (attributes.isRegularFile() && kind != Kind.OTHER) {
					judge(stream, entry, name, file, attributes, kind);
				}
			}
		}

		private Kind classify(Path name, @Nullable String targetName) {
			String fileName = name.toString();
			boolean own = (targetName != null) ? TempFileNames.isTempNameOf(fileName, targetName)
					: TempFileNames.isTempName(fileName);
			if (own) {
				return Kind.OWN_TEMP;
			}
			// Reaping one file must not reach its neighbours' legacy temp files.
			if (targetName != null && (fileName.equals(targetName) || !fileName.startsWith(targetName))) {
				return Kind.OTHER;
			}
			for (PathMatcher matcher : OrphanReaper.this.extraMatchers) {
				if (matcher.matches(name)) {
					return Kind.EXTRA_MATCH;
				}
			}
			return Kind.OTHER;
		}

		private void scanSubdirectory(DirectoryStream<Path> parent, Path name, Path directory) {
			if (!(parent instanceof SecureDirectoryStream<Path> secure)) {
				scanDirectory(directory, null);
				return;
			}
			// openat(O_NOFOLLOW): a directory swapped for a link after we looked is still not entered.
			try (SecureDirectoryStream<Path> child = secure.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
				scan(child, directory, null);
			}
			catch (IOException | DirectoryIteratorException ex) {
				this.failed++;
				logger.warn("Cannot read directory {} while reaping: {}", directory, ex.toString());
			}
		}

		private void judge(DirectoryStream<Path> stream, Path entry, Path name, Path file,
				BasicFileAttributes attributes, Kind kind) {
			long ageMillis = this.now - attributes.lastModifiedTime().toMillis();
			Duration age = Duration.ofMillis(Math.max(0, ageMillis));
			boolean oldEnough = age.compareTo(OrphanReaper.this.maxAge) >= 0;
			if (kind == Kind.EXTRA_MATCH) {
				if (oldEnough) {
					delete(stream, entry, name, file, attributes.size(), age);
				}
				else {
					this.keptYoung++;
				}
				return;
			}
			if (InFlightTempFiles.contains(name.toString())) {
				this.keptLive++;
				return;
			}
			if (age.compareTo(OrphanReaper.this.minAge) < 0) {
				this.keptYoung++;
				return;
			}
			try (FileChannel channel = openForLockTest(stream, entry, name)) {
				FileLock lock;
				try {
					// Shared: needs only read access, and still conflicts with the writer's exclusive lock.
					lock = channel.tryLock(0, Long.MAX_VALUE, true);
				}
				catch (OverlappingFileLockException ex) {
					lock = null;
				}
				catch (IOException ex) {
					logger.debug("Cannot lock {}; judging it by age alone", file, ex);
					if (oldEnough) {
						delete(stream, entry, name, file, attributes.size(), age);
					}
					else {
						this.keptYoung++;
					}
					return;
				}
				if (lock == null) {
					this.keptLive++;
					return;
				}
				// Deleted while we hold the lock, then released by the close.
				delete(stream, entry, name, file, attributes.size(), age);
			}
			catch (NoSuchFileException ex) {
				// Its writer renamed or removed it since we listed it: not ours to count.
			}
			catch (IOException ex) {
				this.failed++;
				logger.warn("Cannot test whether {} is still being written: {}", file, ex.toString());
			}
		}

		private void delete(DirectoryStream<Path> stream, Path entry, Path name, Path file, long size, Duration age) {
			try {
				if (stream instanceof SecureDirectoryStream<Path> secure) {
					secure.deleteFile(name);
				}
				else {
					Files.delete(entry);
				}
			}
			catch (NoSuchFileException ex) {
				return;
			}
			catch (IOException ex) {
				this.failed++;
				logger.warn("Cannot delete orphaned temp file {}: {}", file, ex.toString());
				return;
			}
			this.reaped++;
			this.bytesReclaimed += size;
			logger.debug("Reaped orphaned temp file {} ({} bytes, {} old)", file, size, age);
			Listeners.deliver(OrphanReaper.this.listener, AtomicFileListener::onOrphanReaped,
					new OrphanReaped(file, size, age));
		}

		private BasicFileAttributes attributes(DirectoryStream<Path> stream, Path entry, Path name) throws IOException {
			if (stream instanceof SecureDirectoryStream<Path> secure) {
				return secure.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
					.readAttributes();
			}
			return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}

		private FileChannel openForLockTest(DirectoryStream<Path> stream, Path entry, Path name) throws IOException {
			if (stream instanceof SecureDirectoryStream<Path> secure) {
				SeekableByteChannel channel = secure.newByteChannel(name,
						Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
				if (channel instanceof FileChannel fileChannel) {
					return fileChannel;
				}
				channel.close();
			}
			return FileChannel.open(entry, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}

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
		 * Sets the age after which a temp file whose ownership cannot be determined, or one that
		 * matches only an extra pattern, is deleted.
		 * @param maxAge zero or more; default 1 hour
		 * @return this builder
		 */
		public Builder maxAge(Duration maxAge) {
			this.maxAge = requireNotNegative(maxAge, "maxAge");
			return this;
		}

		/**
		 * Sets the grace period before a temp file of a provably dead writer is deleted. Keep it
		 * above zero outside tests: it also shields a temp file in the instant between its creation
		 * and its lock, and a {@link AtomicFileWriter#writeFile} producer's file while the producer
		 * runs.
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
