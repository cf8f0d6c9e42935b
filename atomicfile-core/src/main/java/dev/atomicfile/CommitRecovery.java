package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the commits ({@link AtomicFileWriter#commit}) that crashed processes left half done. Run
 * it at start, before the application writes, and before {@link OrphanReaper} passes (the reaper
 * keeps every temp a commit record names, so the other order loses nothing, but leaves those temps
 * for the next pass).
 *
 * <h2>What it does with a commit record</h2>
 * A commit keeps a record in each of its directories ({@code .atomicfile-commit-<id>}) from just
 * before its commit point until it is complete. For each record found:
 * <ul>
 * <li>one made by this process (in any class loader), or locked by another live process (the
 * committer, or a recovery there), is left alone: its commit is alive;</li>
 * <li>a torn or altered record is deleted: a commit whose record is not whole never reached its
 * commit point, and its temps are ordinary orphans for the reaper;</li>
 * <li>when the record of every directory of the commit is there, the commit had passed its commit
 * point: each temp still there (its size checked against the record) is renamed over its target,
 * the directories are synced and the records deleted: {@link CommitRecovered.Outcome#COMPLETED};</li>
 * <li>when some directory's record is missing, the commit never reached its commit point: the temps
 * are deleted, then the records: {@link CommitRecovered.Outcome#ROLLED_BACK}, no target changed;</li>
 * <li>when a directory of the commit is missing, or a temp's size differs from the record's, nothing
 * is touched: counted as failed and logged at WARN, and the next recovery tries again.</li>
 * </ul>
 * Recovery is idempotent: a crash during it is settled by the next one. It acts only on files
 * named like records and temps of this library, in the directories a record names.
 *
 * <p>Thread-safe. {@link #recover} never throws for what happens during a pass: every failure is
 * counted and logged.
 */
public final class CommitRecovery {

	private static final Logger logger = LoggerFactory.getLogger(CommitRecovery.class);

	private static final String SUMMARY = "Commit recovery of {}: {} records, {} commits completed, {} rolled back, "
			+ "{} live, {} failed";

	private final AtomicFileListener listener;

	private CommitRecovery(Builder builder) {
		this.listener = builder.listener;
	}

	/**
	 * A builder for a recovery that reports to no listener unless told to.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Settles every commit record under {@code path}. Links inside the tree are never followed;
	 * {@code path} itself may be one.
	 * @param path a directory (its whole tree), or a regular file (the records in its directory)
	 * @return what was found and done; one INFO line is logged when something was settled or failed
	 */
	public RecoveryReport recover(Path path) {
		return recover(path, true);
	}

	/**
	 * Recovers {@code path} as {@link #recover(Path)} does, but logs the pass's summary (and a missing
	 * path) at DEBUG only: for a caller that recovers several paths and logs one summary of its own,
	 * such as the Spring Boot startup. Failures are still logged at WARN.
	 * @param path as for {@link #recover(Path)}
	 * @return as for {@link #recover(Path)}
	 */
	public RecoveryReport recoverQuietly(Path path) {
		return recover(path, false);
	}

	private RecoveryReport recover(Path path, boolean summaryAtInfo) {
		Objects.requireNonNull(path, "path");
		long start = System.nanoTime();
		Pass pass = new Pass(summaryAtInfo);
		boolean exists = pass.run(path);
		RecoveryReport report = new RecoveryReport(path, exists, pass.records, pass.completed, pass.rolledBack,
				pass.keptLive, pass.failed, Duration.ofNanos(System.nanoTime() - start));
		if (summaryAtInfo && report.completed() + report.rolledBack() + report.failed() > 0) {
			logger.info(SUMMARY, path, report.records(), report.completed(), report.rolledBack(), report.keptLive(),
					report.failed());
		}
		else {
			logger.debug(SUMMARY, path, report.records(), report.completed(), report.rolledBack(), report.keptLive(),
					report.failed());
		}
		return report;
	}

	@Override
	public String toString() {
		return "CommitRecovery[listener=" + this.listener + "]";
	}

	/** One pass: a walk that never follows links, and the settling of each record it meets. */
	private final class Pass {

		private final boolean missingPathIsNews;

		long records;

		long completed;

		long rolledBack;

		long keptLive;

		long failed;

		Pass(boolean missingPathIsNews) {
			this.missingPathIsNews = missingPathIsNews;
		}

		boolean run(Path path) {
			WalkRoot start;
			try {
				start = WalkRoot.of(path);
			}
			catch (NoSuchFileException ex) {
				if (this.missingPathIsNews) {
					logger.warn("Cannot recover commits under {}: it does not exist", path);
				}
				return false;
			}
			catch (IOException ex) {
				failed("Cannot recover commits under {}: {}", path, ex.toString());
				return true;
			}
			if (start != null) {
				walk(start.directory(), start.fileName() == null);
			}
			return true;
		}

		private void walk(Path start, boolean recursive) {
			ReaperDirectory first;
			try {
				first = ReaperDirectory.open(start);
			}
			catch (IOException ex) {
				failed("Cannot read directory {} while recovering commits: {}", start, ex.toString());
				return;
			}
			try (ReaperStack stack = new ReaperStack(first)) {
				while (!stack.isEmpty()) {
					ReaperDirectory directory = stack.top().directory();
					Path name;
					try {
						name = directory.nextName();
					}
					catch (IOException ex) {
						failed("Cannot read directory {} while recovering commits: {}", directory.path(), ex.toString());
						name = null;
					}
					if (name == null) {
						stack.pop();
					}
					else if (CommitRecord.idOf(name.toString()) != null) {
						this.records++;
						settle(directory.path(), name.toString());
					}
					else if (recursive) {
						enterIfDirectory(stack, directory, name);
					}
				}
			}
		}

		private void enterIfDirectory(ReaperStack stack, ReaperDirectory directory, Path name) {
			try {
				BasicFileAttributes attributes = directory.attributesIfPresent(name);
				if (attributes != null && attributes.isDirectory()) {
					stack.enter(name);
				}
			}
			catch (NoSuchFileException ex) {
				// Gone since it was listed.
			}
			catch (IOException ex) {
				failed("Cannot recover commits in {}: {}", directory.pathOf(name), ex.toString());
			}
		}

		private void settle(Path directory, String name) {
			Path found = directory.resolve(name);
			if (TempFileNames.isOwnProcessId(Objects.requireNonNull(CommitRecord.idOf(name)))) {
				// Opening it would drop the committer's lock: fcntl locks belong to the process.
				this.keptLive++;
				return;
			}
			long start = System.nanoTime();
			List<CommitReplicaLock> locked = new ArrayList<>();
			try {
				CommitReplicaLock first = CommitReplicaLock.open(found);
				if (first == null) {
					// Settled since it was listed.
					return;
				}
				locked.add(first);
				if (first.heldByOthers()) {
					this.keptLive++;
					return;
				}
				CommitRecord record = CommitRecord.parse(directory, name, first.read());
				if (record == null) {
					first.delete();
					this.rolledBack++;
					logger.warn("Deleted commit record {}: it is torn or altered, so its commit never reached its "
							+ "commit point; its temps are orphans for the reaper", found);
					announce(found, List.of(), CommitRecovered.Outcome.ROLLED_BACK, start);
					return;
				}
				boolean allPresent = true;
				for (Path other : record.directories()) {
					if (other.equals(directory)) {
						continue;
					}
					if (!Files.isDirectory(other, LinkOption.NOFOLLOW_LINKS)) {
						failed("Cannot recover the commit of {} (record {}): its directory {} is missing; nothing "
								+ "was touched", record.targets(), found, other);
						return;
					}
					CommitReplicaLock replica = CommitReplicaLock.open(record.replicaIn(other));
					if (replica == null) {
						allPresent = false;
						continue;
					}
					locked.add(replica);
					if (replica.heldByOthers()) {
						this.keptLive++;
						return;
					}
					if (!record.equals(CommitRecord.parse(other, String.valueOf(replica.path().getFileName()),
							replica.read()))) {
						// Torn: its directory's record was never complete, so neither was the commit point.
						allPresent = false;
					}
				}
				if (allPresent) {
					complete(record, found, locked, start);
				}
				else {
					rollBack(record, found, locked, start);
				}
			}
			catch (IOException | RuntimeException ex) {
				failed("Cannot recover the commit of record {}: {}", found, ex.toString());
			}
			finally {
				for (CommitReplicaLock replica : locked) {
					try {
						replica.close();
					}
					catch (IOException ex) {
						// Only a lock to release.
					}
				}
			}
		}

		private void complete(CommitRecord record, Path found, List<CommitReplicaLock> replicas, long start)
				throws IOException {
			List<CommitRecord.Entry> present = new ArrayList<>();
			for (CommitRecord.Entry entry : record.entries()) {
				BasicFileAttributes temp = attributesIfPresent(entry.temp());
				if (temp == null) {
					// Renamed before the crash: nothing else deletes a temp that a record names.
					continue;
				}
				if (!temp.isRegularFile() || temp.size() != entry.size()) {
					failed("Cannot complete the commit of {} (record {}): temp {} holds {} bytes, the record says {}; "
							+ "nothing was touched", record.targets(), found, entry.temp(), temp.size(), entry.size());
					return;
				}
				if (checksumOf(entry.temp()) != entry.checksum()) {
					failed("Cannot complete the commit of {} (record {}): the content of temp {} is not what was "
							+ "committed (CRC-32C differs); nothing was touched", record.targets(), found, entry.temp());
					return;
				}
				present.add(entry);
			}
			for (CommitRecord.Entry entry : present) {
				Files.move(entry.temp(), entry.target(), StandardCopyOption.ATOMIC_MOVE);
			}
			// The records go only once the renames are durable: until then they are what finishes them.
			for (Path directory : record.directories()) {
				DirectorySyncs.SHARED.sync(directory);
			}
			for (CommitReplicaLock replica : replicas) {
				replica.delete();
			}
			this.completed++;
			logger.debug("Completed the commit of {} left by a crashed process (record {})", record.targets(), found);
			announce(found, record.targets(), CommitRecovered.Outcome.COMPLETED, start);
		}

		private void rollBack(CommitRecord record, Path found, List<CommitReplicaLock> replicas, long start)
				throws IOException {
			for (CommitRecord.Entry entry : record.entries()) {
				Files.deleteIfExists(entry.temp());
			}
			for (CommitReplicaLock replica : replicas) {
				replica.delete();
			}
			this.rolledBack++;
			logger.debug("Rolled back the commit of {} left by a crashed process before its commit point (record {})",
					record.targets(), found);
			announce(found, record.targets(), CommitRecovered.Outcome.ROLLED_BACK, start);
		}

		private void announce(Path record, List<Path> targets, CommitRecovered.Outcome outcome, long start) {
			Listeners.deliver(CommitRecovery.this.listener, AtomicFileListener::onCommitRecovered,
					new CommitRecovered(record, targets, outcome, Duration.ofNanos(System.nanoTime() - start)));
		}

		private void failed(String message, Object... arguments) {
			this.failed++;
			logger.warn(message, arguments);
		}

	}

	/** Read in full: recovery runs only after a crash, and must not rename content that is not whole. */
	private static long checksumOf(Path temp) throws IOException {
		CRC32C checksum = new CRC32C();
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			while (channel.read(buffer) >= 0) {
				buffer.flip();
				checksum.update(buffer);
				buffer.clear();
			}
		}
		return checksum.getValue();
	}

	private static @Nullable BasicFileAttributes attributesIfPresent(Path path) throws IOException {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/** Configures a {@link CommitRecovery}. */
	public static final class Builder {

		private AtomicFileListener listener = AtomicFileListener.none();

		private Builder() {
		}

		/**
		 * Sets the listener told of every settled commit.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(AtomicFileListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/**
		 * Builds the recovery.
		 * @return a new thread-safe recovery
		 */
		public CommitRecovery build() {
			return new CommitRecovery(this);
		}

	}

}
