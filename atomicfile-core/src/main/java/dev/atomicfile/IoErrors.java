package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Makes every I/O failure name its file. Channels report "No space left on device" or an
 * interrupt without saying which file; callers need to know.
 */
final class IoErrors {

	private IoErrors() {
	}

	/**
	 * Returns {@code failure} unchanged when it already names a file; otherwise an exception of the
	 * same meaning that names {@code file} and carries {@code failure} as its cause. An interrupt
	 * becomes an {@link InterruptedIOException} and the thread's interrupt status is restored.
	 */
	/**
	 * Whether {@code cause} is {@code failure} or in its cause chain; bounded, since a hostile
	 * exception may have a cause chain with a cycle.
	 */
	static boolean causedBy(Throwable failure, Throwable cause) {
		Throwable t = failure;
		for (int depth = 0; t != null && depth < 64; depth++, t = t.getCause()) {
			if (t == cause) {
				return true;
			}
		}
		return false;
	}

	static IOException naming(Path file, IOException failure) {
		if (failure instanceof FileSystemException) {
			return failure;
		}
		if (failure instanceof ClosedByInterruptException || failure instanceof FileLockInterruptionException) {
			Thread.currentThread().interrupt();
			InterruptedIOException interrupted = new InterruptedIOException(
					file + ": interrupted, the write was abandoned");
			interrupted.initCause(failure);
			return interrupted;
		}
		FileSystemException named = new FileSystemException(file.toString(), null, failure.getMessage());
		named.initCause(failure);
		return named;
	}

}
