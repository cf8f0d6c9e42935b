package dev.atomicfile.sample;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a file that was a regular file a moment ago for reading, without ever blocking the caller
 * on a named pipe swapped in meanwhile: opening a pipe for reading waits for a writer, for ever.
 * The JDK has no {@code O_NONBLOCK}, so the open runs on a helper thread with a bounded wait; a
 * pipe that holds it past that is opened for writing once, which releases the helper.
 */
final class NonBlockingOpen {

	private static final Duration WAIT = Duration.ofSeconds(2);

	private static final ExecutorService opener = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "document-opener");
		thread.setDaemon(true);
		return thread;
	});

	private NonBlockingOpen() {
	}

	/**
	 * Opens {@code path} for reading, never through a symbolic link.
	 * @throws NotARegularFileException if the open did not complete in time (a pipe)
	 */
	static FileChannel forReading(Path path) throws IOException {
		CompletableFuture<FileChannel> opening = CompletableFuture.supplyAsync(() -> {
			try {
				return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
			}
			catch (IOException ex) {
				throw new CompletionFailure(ex);
			}
		}, opener);
		try {
			return opening.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			abandon(path, opening);
			throw new NotARegularFileException(path);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abandon(path, opening);
			throw new InterruptedIOException("Interrupted while opening " + path);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof CompletionFailure failure) {
				throw failure.getCause();
			}
			throw new IOException("Cannot open " + path, ex.getCause());
		}
	}

	/** Closes whatever the helper opens late, and gives a blocked pipe reader the writer it waits for. */
	private static void abandon(Path path, CompletableFuture<FileChannel> opening) {
		opening.thenAccept(NonBlockingOpen::closeQuietly);
		opener.execute(() -> {
			try (FileChannel writer = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
				// Opening is all it takes; nothing is written.
			}
			catch (IOException | RuntimeException ex) {
				// Swapped again, or gone: the helper then ends on its own when the pipe gets a writer.
			}
		});
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Never used: nothing to lose.
		}
	}

	/** What the helper's open threw, carried through the future. */
	private static final class CompletionFailure extends RuntimeException {

		CompletionFailure(IOException cause) {
			super(cause);
		}

		@Override
		public synchronized IOException getCause() {
			return (IOException) super.getCause();
		}

	}

	/** The path did not open as a regular file would, at once. */
	static final class NotARegularFileException extends IOException {

		NotARegularFileException(Path path) {
			super(path + " did not open at once: not a regular file");
		}

	}

}
