package dev.atomicfile;

import java.util.List;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners {@link AtomicFileListener} hands out, and the one safe way to call them. */
final class Listeners {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileListener.class);

	static final AtomicFileListener NONE = new AtomicFileListener() {
		@Override
		public String toString() {
			return "AtomicFileListener.none()";
		}
	};

	private Listeners() {
	}

	static AtomicFileListener composite(List<? extends AtomicFileListener> listeners) {
		List<AtomicFileListener> copy = List.copyOf(listeners);
		if (copy.isEmpty()) {
			return NONE;
		}
		if (copy.size() == 1) {
			return copy.get(0);
		}
		return new AtomicFileListener() {
			@Override
			public void onWrite(WriteSucceeded event) {
				copy.forEach((listener) -> deliver(listener, AtomicFileListener::onWrite, event));
			}

			@Override
			public void onWriteFailure(WriteFailed event) {
				copy.forEach((listener) -> deliver(listener, AtomicFileListener::onWriteFailure, event));
			}

			@Override
			public void onOrphanReaped(OrphanReaped event) {
				copy.forEach((listener) -> deliver(listener, AtomicFileListener::onOrphanReaped, event));
			}

			@Override
			public void onCommit(CommitSucceeded event) {
				copy.forEach((listener) -> deliver(listener, AtomicFileListener::onCommit, event));
			}

			@Override
			public void onCommitFailure(CommitFailed event) {
				copy.forEach((listener) -> deliver(listener, AtomicFileListener::onCommitFailure, event));
			}

			@Override
			public void onCommitRecovered(CommitRecovered event) {
				copy.forEach((listener) -> deliver(listener, AtomicFileListener::onCommitRecovered, event));
			}
		};
	}

	/**
	 * Delivers one event. Whatever the listener throws (an Error, or a checked exception thrown
	 * sneakily from Kotlin or Lombok) is logged and never reaches file system work; the listener is
	 * named by its class, since its own {@code toString} may be what fails.
	 */
	static <E> void deliver(AtomicFileListener listener, BiConsumer<AtomicFileListener, E> method, E event) {
		try {
			method.accept(listener, event);
		}
		catch (Throwable ex) {
			try {
				logger.warn("AtomicFileListener {} failed on {}", listener.getClass().getName(), event, ex);
			}
			catch (Throwable logFailure) {
				// Nothing left to tell; the outcome of the write or the reap must not change.
			}
		}
	}

}
