package dev.atomicfile.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.CommitFailed;
import dev.atomicfile.CommitRecovered;
import dev.atomicfile.CommitSucceeded;

/**
 * An {@link AtomicFileListener} that keeps every commit and recovery event, thread-safely, and can
 * be told to throw from each callback after recording, to prove that a listener never changes an
 * outcome.
 */
public final class CommitRecordingListener implements AtomicFileListener {

	private final List<CommitSucceeded> commits = new CopyOnWriteArrayList<>();

	private final List<CommitFailed> failures = new CopyOnWriteArrayList<>();

	private final List<CommitRecovered> recovered = new CopyOnWriteArrayList<>();

	private final Throwable toThrow;

	/** A listener that only records. */
	public CommitRecordingListener() {
		this(null);
	}

	/**
	 * A listener that records, then throws {@code toThrow} (a {@link RuntimeException} or an
	 * {@link Error}) from every callback.
	 */
	public CommitRecordingListener(Throwable toThrow) {
		if (toThrow != null && !(toThrow instanceof RuntimeException) && !(toThrow instanceof Error)) {
			throw new IllegalArgumentException("A listener can only throw unchecked exceptions: " + toThrow);
		}
		this.toThrow = toThrow;
	}

	@Override
	public void onCommit(CommitSucceeded event) {
		this.commits.add(event);
		fail();
	}

	@Override
	public void onCommitFailure(CommitFailed event) {
		this.failures.add(event);
		fail();
	}

	@Override
	public void onCommitRecovered(CommitRecovered event) {
		this.recovered.add(event);
		fail();
	}

	/** The commits that succeeded, in order. */
	public List<CommitSucceeded> commits() {
		return List.copyOf(this.commits);
	}

	/** The commits that failed, in order. */
	public List<CommitFailed> failures() {
		return List.copyOf(this.failures);
	}

	/** The commits recovery settled, in order. */
	public List<CommitRecovered> recovered() {
		return List.copyOf(this.recovered);
	}

	private void fail() {
		if (this.toThrow instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (this.toThrow instanceof Error error) {
			throw error;
		}
	}

}
