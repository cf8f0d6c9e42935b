package dev.atomicfile;

import java.util.List;

/**
 * Receives what {@link AtomicFileWriter}, {@link OrphanReaper} and
 * {@link CommitRecovery} do, so that metrics, tracing or
 * audit logs can attach without the core knowing them.
 *
 * <p>Methods are called synchronously on the writing (or reaping) thread, after the file system
 * work is done: keep them fast. An exception thrown by a listener is logged at WARN and never
 * changes the outcome of the write or the reap. Implementations must be thread-safe.
 */
public interface AtomicFileListener {

	/**
	 * Called after a write replaced its target.
	 * @param event the write
	 */
	default void onWrite(WriteSucceeded event) {
	}

	/**
	 * Called after a write failed, before its exception reaches the caller.
	 * @param event the failure
	 */
	default void onWriteFailure(WriteFailed event) {
	}

	/**
	 * Called after the reaper deleted an orphaned temp file.
	 * @param event the deleted orphan
	 */
	default void onOrphanReaped(OrphanReaped event) {
	}

	/**
	 * Called after a commit replaced all its targets.
	 * @param event the commit
	 */
	default void onCommit(CommitSucceeded event) {
	}

	/**
	 * Called after a commit failed, before its exception reaches the caller.
	 * @param event the failure
	 */
	default void onCommitFailure(CommitFailed event) {
	}

	/**
	 * Called after {@link CommitRecovery} completed or rolled back a commit a crashed process left.
	 * @param event the settled commit
	 */
	default void onCommitRecovered(CommitRecovered event) {
	}

	/**
	 * A listener that ignores every event.
	 * @return the no-op listener
	 */
	static AtomicFileListener none() {
		return Listeners.NONE;
	}

	/**
	 * A listener that passes each event to every one of {@code listeners}, in order; one that throws
	 * does not keep the event from the others.
	 * @param listeners the listeners to notify
	 * @return a single listener for all of them
	 */
	static AtomicFileListener composite(List<? extends AtomicFileListener> listeners) {
		return Listeners.composite(listeners);
	}

}
