package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A commit's record in one of its directories, written like any file (temp, fsync, rename) and
 * kept open: its lock tells recovery in other processes that the commit is alive.
 */
final class CommitReplica {

	private final Path path;

	private final TempFile file;

	private boolean inPlace;

	private CommitReplica(Path path, TempFile file) {
		this.path = path;
		this.file = file;
	}

	/**
	 * Writes {@code record}'s replica in {@code directory}.
	 * @param written receives the replica as soon as its temp exists, so that a failure after that
	 * point can clean it up
	 */
	static CommitReplica write(CommitRecord record, Path directory, boolean sync,
			java.util.function.Consumer<CommitReplica> written) throws IOException {
		Path path = record.replicaIn(directory);
		CommitReplica replica = new CommitReplica(path, TempFile.create(path, new Destination(path, null), Metadata.OWN_FILE));
		written.accept(replica);
		replica.file.write(ByteBuffer.wrap(record.serialize(directory)));
		if (sync) {
			replica.file.force();
		}
		replica.file.moveTo(path);
		replica.inPlace = true;
		return replica;
	}

	Path path() {
		return this.path;
	}

	/** Deletes the replica (or its temp) and releases its lock. Problems go to {@code failure}. */
	void delete(Throwable failure) {
		if (!this.inPlace) {
			this.file.discard(failure);
			return;
		}
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
		release(failure);
	}

	/** Deletes the replica once the commit is complete. */
	void delete() throws IOException {
		try {
			Files.deleteIfExists(this.path);
		}
		finally {
			this.file.close();
		}
	}

	/** Releases the lock and leaves the replica for recovery. */
	void release(Throwable failure) {
		try {
			this.file.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

}
