package dev.atomicfile.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.WriteFailed;
import dev.atomicfile.WriteSucceeded;

/** An {@link AtomicFileListener} that keeps every write event, thread-safely, for assertions. */
public final class RecordingListener implements AtomicFileListener {

	private final List<WriteSucceeded> successes = new CopyOnWriteArrayList<>();

	private final List<WriteFailed> failures = new CopyOnWriteArrayList<>();

	@Override
	public void onWrite(WriteSucceeded event) {
		this.successes.add(event);
	}

	@Override
	public void onWriteFailure(WriteFailed event) {
		this.failures.add(event);
	}

	/** The success events received so far, in order. */
	public List<WriteSucceeded> successes() {
		return List.copyOf(this.successes);
	}

	/** The failure events received so far, in order. */
	public List<WriteFailed> failures() {
		return List.copyOf(this.failures);
	}

}
