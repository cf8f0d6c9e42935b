package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link CommitBatch}; the protocol and its crash argument are in the
 * README ("Committing several files"). In short: every temp is synced, then a record of the whole
 * commit is written and synced into every directory of the commit, then each directory is synced:
 * that is the commit point. Only then are the temps renamed over their targets; the directories
 * are synced again, and the records deleted.
 */
final class DefaultCommitBatch implements CommitBatch {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileWriter.class);

	/**
	 * Held while a commit renames: two commits of this JVM that share targets never interleave
	 * their renames, so the last one wins every target it shares, not just some.
	 */
	private static final ReentrantLock renames = new ReentrantLock();

	private enum State {

		OPEN, COMMITTED, CLOSED

	}

	private final DefaultAtomicFileWriter writer;

	private final Durability durability;

	private final int fsyncParallelism;

	private final AtomicFileListener listener;

	private final long start = System.nanoTime();

	/** Names the commit's record and, as their suffix, every one of its temps. */
	private final String id = TempFileNames.newId();

	/** By the file each rename replaces: one target reached by two paths is still one target. */
	private final Map<Path, StagedFile> staged = new LinkedHashMap<>();

	private final Map<Path, Path> realDirectories = new HashMap<>();

	private State state = State.OPEN;

	private @Nullable Throwable poisoned;

	private WriteFailed.Origin poisonedOrigin = WriteFailed.Origin.FILE_SYSTEM;

	DefaultCommitBatch(DefaultAtomicFileWriter writer, Durability durability, int fsyncParallelism,
			AtomicFileListener listener) {
		this.writer = writer;
		this.durability = durability;
		this.fsyncParallelism = fsyncParallelism;
		this.listener = listener;
	}

	@Override
	public void write(Path target, byte[] bytes) throws IOException {
		stage(target, this.writer.bytes(target, bytes));
	}

	@Override
	public void writeString(Path target, CharSequence text, Charset charset) throws IOException {
		stage(target, this.writer.text(target, text, charset));
	}

	@Override
	public void write(Path target, ContentWriter content) throws IOException {
		stage(target, this.writer.streamed(target, content));
	}

	private void stage(Path target, DefaultAtomicFileWriter.Content content) throws IOException {
		checkOpen();
		// A target staged twice is the caller's mistake, not the file system's.
		StagedFile file = this.writer.stage(target, content, TempFileNames.suffixOf(this.id), this::accept,
				(failure, origin) -> poison(failure,
						(failure instanceof IllegalArgumentException) ? WriteFailed.Origin.CONTENT : origin));
		this.staged.put(file.file(), file);
	}

	/**
	 * Refuses a second write of one file, and names the file by its directory's real path: a record
	 * names directories relative to one another, and recovery must find the same directories from
	 * any of them whatever links the caller's paths go through.
	 */
	private Path accept(Path target, Path resolved) throws IOException {
		Path directory = resolved.getParent();
		Path real = this.realDirectories.get(directory);
		if (real == null) {
			try {
				real = directory.toRealPath();
			}
			catch (NoSuchFileException ex) {
				// As a single write says it: the directory is the file, the message names the target.
				NoSuchFileException missing = new NoSuchFileException(directory.toString(), null,
						"the directory of " + target + " does not exist");
				missing.initCause(ex);
				throw missing;
			}
			catch (IOException ex) {
				throw IoErrors.naming(target, ex);
			}
			this.realDirectories.put(directory, real);
		}
		Path file = real.resolve(Objects.requireNonNull(resolved.getFileName(), "target"));
		if (!file.equals(file.getFileSystem().getPath(file.toString()))) {
			throw new FileSystemException(target.toString(), null,
					"A commit record cannot name this path: it does not survive decoding in the JVM's charset "
							+ "(sun.jnu.encoding); write it on its own, or run with a UTF-8 locale");
		}
		StagedFile earlier = this.staged.get(file);
		if (earlier != null) {
			throw new IllegalArgumentException("The batch already holds " + target
					+ ((earlier.target().equals(target)) ? "" : " (as " + earlier.target() + ")"));
		}
		return file;
	}

	private void poison(Throwable failure, WriteFailed.Origin origin) {
		if (this.poisoned == null) {
			this.poisoned = failure;
			this.poisonedOrigin = origin;
		}
	}

	private void checkOpen() {
		if (this.state != State.OPEN) {
			throw new IllegalStateException("The batch was already " + this.state.name().toLowerCase());
		}
		if (this.poisoned != null) {
			throw new IllegalStateException("A write to this batch failed; it can only be closed", this.poisoned);
		}
	}

	@Override
	public void commit() throws IOException {
		checkOpen();
		this.state = State.COMMITTED;
		List<StagedFile> files = List.copyOf(this.staged.values());
		List<Path> targets = files.stream().map(StagedFile::target).toList();
		if (files.isEmpty()) {
			announce(targets, 0);
			return;
		}
		boolean committed = false;
		List<CommitReplica> replicas = new ArrayList<>();
		try {
			List<Path> directories = List.copyOf(new LinkedHashSet<>(files.stream().map(StagedFile::directory).toList()));
			boolean syncs = this.durability.syncsFile();
			if (syncs) {
				ParallelIo.forEach(files, this.fsyncParallelism, (file) -> file.temp().force());
			}
			CommitRecord record = new CommitRecord(this.id, directories, files.stream()
				.map((file) -> new CommitRecord.Entry(file.file(), String.valueOf(file.temp().path().getFileName()),
						file.bytes(), file.temp().checksum()))
				.toList());
			for (Path directory : directories) {
				CommitReplica.write(record, directory, syncs, replicas::add);
			}
			if (syncs) {
				syncDirectories(directories);
			}
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted before the commit point of " + targets);
			}
			committed = true;
			renameAll(files);
			if (syncs) {
				syncDirectories(directories);
			}
			for (CommitReplica replica : replicas) {
				replica.delete();
			}
			for (StagedFile file : files) {
				file.temp().close();
			}
		}
		catch (Throwable failure) {
			if (committed && failure instanceof Exception cause) {
				IncompleteCommitException incomplete = (cause instanceof IncompleteCommitException already) ? already
						: new IncompleteCommitException(targets, cause);
				failed(files, replicas, true, incomplete);
				throw incomplete;
			}
			failed(files, replicas, committed, failure);
			throw failure;
		}
		announce(targets, files.stream().mapToLong(StagedFile::bytes).sum());
	}

	private void syncDirectories(List<Path> directories) throws IOException {
		ParallelIo.forEach(directories, this.fsyncParallelism, (directory) -> {
			try {
				DirectorySyncs.SHARED.sync(directory);
			}
			catch (IOException ex) {
				throw IoErrors.naming(directory, ex);
			}
		});
	}

	/** Past the commit point: every rename is tried, whatever failed before it. */
	private void renameAll(List<StagedFile> files) throws IOException {
		IOException failure = null;
		renames.lock();
		try {
			for (StagedFile file : files) {
				try {
					file.temp().moveTo(file.file());
				}
				catch (IOException ex) {
					if (failure == null) {
						failure = ex;
					}
					else {
						failure.addSuppressed(ex);
					}
				}
			}
		}
		finally {
			renames.unlock();
		}
		if (failure != null) {
			throw failure;
		}
	}

	private void failed(List<StagedFile> files, List<CommitReplica> replicas, boolean committed, Throwable thrown) {
		cleanUp(files, replicas, committed, thrown);
		Listeners.deliver(this.listener, AtomicFileListener::onCommitFailure, new CommitFailed(
				files.stream().map(StagedFile::target).toList(), thrown, elapsed(), committed, WriteFailed.Origin.FILE_SYSTEM));
	}

	/**
	 * Before the commit point everything goes: the temps first, so that a replica the deletion
	 * misses (a crash in between) names only temps that are gone, which recovery settles as a
	 * commit with nothing left to do. After it, the replicas and the temps not yet renamed stay for
	 * recovery, and only the locks are released.
	 */
	private void cleanUp(List<StagedFile> files, List<CommitReplica> replicas, boolean committed, Throwable failure) {
		if (committed) {
			files.forEach((file) -> closeQuietly(file.temp(), failure));
			replicas.forEach((replica) -> replica.release(failure));
			logger.warn("A commit of {} files passed its commit point but did not finish; its records ({}) and "
					+ "the temps not yet renamed stay for CommitRecovery", files.size(),
					replicas.stream().map(CommitReplica::path).toList());
			return;
		}
		files.forEach((file) -> file.temp().discard(failure));
		replicas.forEach((replica) -> replica.delete(failure));
	}

	private static void closeQuietly(TempFile temp, Throwable failure) {
		try {
			temp.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	private void announce(List<Path> targets, long bytes) {
		Listeners.deliver(this.listener, AtomicFileListener::onCommit, new CommitSucceeded(targets, bytes, elapsed()));
	}

	private Duration elapsed() {
		return Duration.ofNanos(System.nanoTime() - this.start);
	}

	@Override
	public void close() {
		Throwable failure = this.poisoned;
		if (failure != null) {
			abandon(failure);
		}
		else if (this.state == State.OPEN) {
			discardAll(new IOException("Batch closed without commit"));
		}
		this.state = (this.state == State.OPEN) ? State.CLOSED : this.state;
	}

	/**
	 * Abandons an uncommitted batch because of {@code failure} (a write that failed, or caller code
	 * that threw while staging), and reports the failed commit.
	 */
	void abandon(Throwable failure) {
		if (this.state != State.OPEN) {
			return;
		}
		this.state = State.CLOSED;
		List<Path> targets = this.staged.values().stream().map(StagedFile::target).toList();
		discardAll(failure);
		// Code of the caller's that threw on its own is the content's failure; one that passed a
		// failed write on carries that write's origin.
		Throwable poison = this.poisoned;
		WriteFailed.Origin origin = (poison != null && IoErrors.causedBy(failure, poison))
				? this.poisonedOrigin : WriteFailed.Origin.CONTENT;
		Listeners.deliver(this.listener, AtomicFileListener::onCommitFailure,
				new CommitFailed(targets, failure, elapsed(), false, origin));
	}

	private void discardAll(Throwable failure) {
		// Problems are attached to a throwaway: the caller's exception must not grow clean-up noise.
		Throwable cleanUp = new IOException("clean-up of " + failure);
		this.staged.values().forEach((file) -> file.temp().discard(cleanUp));
		this.staged.clear();
		for (Throwable problem : cleanUp.getSuppressed()) {
			logger.warn("Cleaning up an abandoned batch: {}", problem.toString());
		}
	}

}
