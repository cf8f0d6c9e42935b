package dev.atomicfile.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.CommitFailed;
import dev.atomicfile.CommitRecovered;
import dev.atomicfile.CommitSucceeded;

/** An {@link AtomicFileListener} bean that keeps every commit event, thread-safely, for assertions. */
class CommitEvents implements AtomicFileListener {

	private final List<CommitSucceeded> commits = new CopyOnWriteArrayList<>();

	private final List<CommitFailed> failures = new CopyOnWriteArrayList<>();

	private final List<CommitRecovered> recovered = new CopyOnWriteArrayList<>();

	@Override
	public void onCommit(CommitSucceeded event) {
		this.commits.add(event);
	}

	@Override
	public void onCommitFailure(CommitFailed event) {
		this.failures.add(event);
	}

	@Override
	public void onCommitRecovered(CommitRecovered event) {
		this.recovered.add(event);
	}

	List<CommitSucceeded> commits() {
		return List.copyOf(this.commits);
	}

	List<CommitFailed> failures() {
		return List.copyOf(this.failures);
	}

	List<CommitRecovered> recovered() {
		return List.copyOf(this.recovered);
	}

}
