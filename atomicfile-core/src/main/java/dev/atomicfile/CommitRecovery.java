package dev.atomicfile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settles the commits that crashed processes left half done. Run it at start, before any
 * {@link OrphanReaper} pass and before the application writes. (Implementation in progress.)
 */
public final class CommitRecovery {

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
	 * Settles every commit record under {@code path}.
	 * @param path a directory (its whole tree), or a regular file (the records in its directory)
	 * @return what was found and done
	 */
	public RecoveryReport recover(Path path) {
		Objects.requireNonNull(path, "path");
		throw new UnsupportedOperationException("not yet");
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
