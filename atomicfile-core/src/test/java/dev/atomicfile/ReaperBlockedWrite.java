package dev.atomicfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@link AtomicFileWriter} write held in flight: its {@link ContentWriter} (or the
 * {@link TempFileProducer} of a {@code writeFile}) writes a head, then blocks until
 * {@link #finish()}, so its temp file (or private temp directory) exists, is locked and carries this
 * process's token. Used in the test JVM and, through {@link ReaperWriterMain}, in child JVMs.
 */
final class ReaperBlockedWrite {

	private static final long TIMEOUT_SECONDS = 60;

	private final Path target;

	private final CountDownLatch release = new CountDownLatch(1);

	private final CompletableFuture<Path> tempFile = new CompletableFuture<>();

	private final CompletableFuture<Void> done;

	/** This process's temps of the target from before the write: leftovers, not the write's. */
	private final Set<Path> earlier;

	private ReaperBlockedWrite(AtomicFileWriter writer, Api api, Path target, String head, String tail)
			throws IOException {
		this.target = target;
		this.earlier = ownTempsOf(target);
		this.done = CompletableFuture.runAsync(() -> write(writer, api, head, tail), (task) -> {
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
		return start(writer, Api.CONTENT_WRITER, target, head, tail);
	}

	/** {@link #start(AtomicFileWriter, Path, String, String)} through {@code api}. */
	static ReaperBlockedWrite start(AtomicFileWriter writer, Api api, Path target, String head, String tail)
			throws IOException {
		ReaperBlockedWrite write = new ReaperBlockedWrite(writer, api, target, head, tail);
		write.tempFile();
		return write;
	}

	/**
	 * Gives {@code target} the content {@code old}, then starts write {@code id} of
	 * {@link ReaperWriterMain#content} to it through a writer of this class loader.
	 */
	static ReaperBlockedWrite overOldContent(Path target, String id) throws IOException {
		return overOldContent(Api.CONTENT_WRITER, target, id);
	}

	/** {@link #overOldContent(Path, String)} through {@code api}. */
	static ReaperBlockedWrite overOldContent(Api api, Path target, String id) throws IOException {
		ReaperFixtures.file(target, "old", Duration.ZERO);
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.NONE).build();
		return start(writer, api, target, ReaperWriterMain.head(id), ReaperWriterMain.tail());
	}

	/** The temp file (or {@code writeFile}'s temp directory) of this write, once its callback blocks. */
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

	private void write(AtomicFileWriter writer, Api api, String head, String tail) {
		try {
			if (api == Api.CONTENT_WRITER) {
				writer.write(this.target, (out) -> {
					out.write(head.getBytes(StandardCharsets.UTF_8));
					out.flush();
					holdInFlight();
					out.write(tail.getBytes(StandardCharsets.UTF_8));
				});
			}
			else {
				// As a producer that closes its file, pauses, and appends through a new stream.
				writer.writeFile(this.target, (file) -> {
					Files.writeString(file, head, StandardCharsets.UTF_8);
					holdInFlight();
					Files.writeString(file, tail, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
				});
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Tells {@link #tempFile()}, then blocks until {@link #finish()}. */
	private void holdInFlight() throws IOException {
		this.tempFile.complete(newTemp());
		try {
			if (!this.release.await(10, TimeUnit.MINUTES)) {
				throw new IOException("Never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while held in flight", ex);
		}
	}

	/** The one temp of the target that this process made since the write began. */
	private Path newTemp() throws IOException {
		Set<Path> now = ownTempsOf(this.target);
		now.removeAll(this.earlier);
		if (now.size() != 1) {
			throw new IOException("Not one new temp file of " + this.target + " but " + now);
		}
		return now.iterator().next();
	}

	/** The temps of {@code target} that carry this process's token, whichever copy of the library made them. */
	private static Set<Path> ownTempsOf(Path target) throws IOException {
		String targetName = target.getFileName().toString();
		Set<Path> temps = new HashSet<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.toAbsolutePath().getParent())) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (TempFileNames.isTempNameOf(name, targetName) && TempFileNames.isOwnProcess(name)) {
					temps.add(entry);
				}
			}
		}
		return temps;
	}

	/** Which writer method the held write goes through. */
	enum Api {

		/** {@link AtomicFileWriter#write(Path, ContentWriter)}: a locked temp file. */
		CONTENT_WRITER,

		/** {@link AtomicFileWriter#writeFile}: a private temp directory holding the lock file. */
		TEMP_FILE_PRODUCER

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
