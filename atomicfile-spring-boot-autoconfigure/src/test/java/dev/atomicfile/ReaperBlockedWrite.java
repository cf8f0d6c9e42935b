package dev.atomicfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@link AtomicFileWriter} write held in flight: its {@link ContentWriter} writes and flushes
 * a head, then blocks until {@link #finish()}, so its temp file exists, is locked and is listed as
 * in flight. Used in the test JVM and, through {@link ReaperWriterMain}, in child JVMs.
 */
final class ReaperBlockedWrite {

	private static final long TIMEOUT_SECONDS = 60;

	private final Path target;

	private final CountDownLatch release = new CountDownLatch(1);

	private final CompletableFuture<Path> tempFile = new CompletableFuture<>();

	private final CompletableFuture<Void> done;

	private ReaperBlockedWrite(AtomicFileWriter writer, Path target, String head, String tail) {
		this.target = target;
		this.done = CompletableFuture.runAsync(() -> write(writer, head, tail), (task) -> {
			Thread thread = new Thread(task, "blocked-write-" + target.getFileName());
			thread.setDaemon(true);
			thread.start();
		});
		this.done.whenComplete((ignored, failure) -> {
			if (failure != null) {
				this.tempFile.completeExceptionally(failure);
			}
		});
	}

	/**
	 * Starts a write of {@code head + tail} to {@code target} and returns once its callback has
	 * written {@code head} and blocks.
	 */
	static ReaperBlockedWrite start(AtomicFileWriter writer, Path target, String head, String tail)
			throws IOException {
		ReaperBlockedWrite write = new ReaperBlockedWrite(writer, target, head, tail);
		write.tempFile();
		return write;
	}

	/** The temp file of this write, once its callback blocks. */
	Path tempFile() throws IOException {
		return await(this.tempFile);
	}

	/** Lets the callback write the tail and return, and waits for the write to end. */
	void finish() throws IOException {
		this.release.countDown();
		await(this.done);
	}

	Path target() {
		return this.target;
	}

	private void write(AtomicFileWriter writer, String head, String tail) {
		try {
			writer.write(this.target, (out) -> {
				out.write(head.getBytes(StandardCharsets.UTF_8));
				out.flush();
				this.tempFile.complete(findInFlightTemp(this.target));
				try {
					if (!this.release.await(10, TimeUnit.MINUTES)) {
						throw new IOException("Never released");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException("Interrupted while held in flight", ex);
				}
				out.write(tail.getBytes(StandardCharsets.UTF_8));
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The one temp file of {@code target} that this JVM is writing now. */
	static Path findInFlightTemp(Path target) throws IOException {
		String targetName = target.getFileName().toString();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.toAbsolutePath().getParent())) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (TempFileNames.isTempNameOf(name, targetName) && TempFileNames.isOwnProcess(name)) {
					return entry;
				}
			}
		}
		throw new IOException("No in-flight temp file of " + target);
	}

	private static <T> T await(CompletableFuture<T> future) throws IOException {
		try {
			return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() instanceof UncheckedIOException unchecked) ? unchecked.getCause()
					: ex.getCause();
			if (cause instanceof IOException io) {
				throw io;
			}
			throw new IllegalStateException(cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		catch (TimeoutException ex) {
			throw new IOException("Blocked write of a target timed out", ex);
		}
	}

}
