package dev.atomicfile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The stream a {@link ContentWriter} writes to: buffered, counting, unable to close the temp file
 * under the writer (closing it only flushes), and unable to forget a failure.
 *
 * <p>Wrappers such as {@link java.io.PrintStream} and {@link java.io.PrintWriter} swallow
 * {@code IOException}s, and a callback may catch one and go on: the bytes of that failed write are
 * then missing from the middle of the file. So the first failure of any write, flush or close is
 * kept, every later call fails at once, and {@link #finish()} refuses to let the content be
 * committed.
 */
final class TempFileOutputStream extends OutputStream {

	private static final int BUFFER_SIZE = 64 * 1024;

	private final TempFile temp;

	private final Path target;

	private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);

	private long count;

	private boolean closed;

	private @Nullable Throwable failure;

	TempFileOutputStream(TempFile temp, Path target) {
		this.temp = temp;
		this.target = target;
	}

	/** The number of bytes written so far. */
	long count() {
		return this.count;
	}

	/** The first failure of this stream, if it ever failed. */
	@Nullable Throwable failure() {
		return this.failure;
	}

	@Override
	public void write(int b) throws IOException {
		ensureUsable();
		if (!this.buffer.hasRemaining()) {
			drain();
		}
		this.buffer.put((byte) b);
		this.count++;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		ensureUsable();
		if (length >= BUFFER_SIZE) {
			// Large chunks skip the buffer: one copy less.
			drain();
			guarded(() -> this.temp.write(ByteBuffer.wrap(bytes, offset, length)));
		}
		else {
			if (length > this.buffer.remaining()) {
				drain();
			}
			this.buffer.put(bytes, offset, length);
		}
		this.count += length;
	}

	@Override
	public void flush() throws IOException {
		if (this.closed && this.failure == null) {
			// Wrappers flush again after closing what they wrap; close drained everything, so
			// nothing is lost and nothing fails.
			return;
		}
		ensureUsable();
		drain();
	}

	/** Flushes; the temp file itself stays open for the writer. Closing twice is allowed. */
	@Override
	public void close() throws IOException {
		if (this.closed) {
			return;
		}
		ensureUsable();
		drain();
		this.closed = true;
	}

	/**
	 * Ends the stream after the callback returned normally: flushes what is buffered, or, if any
	 * call ever failed, throws so that the content is never committed.
	 * @throws IOException naming the target, with the stream's first failure as its cause
	 */
	void finish() throws IOException {
		if (this.failure == null) {
			close();
			return;
		}
		FileSystemException abandoned = new FileSystemException(this.target.toString(), null,
				"the content stream failed (" + this.failure + ") and the ContentWriter went on;"
						+ " the content is incomplete and was not committed");
		abandoned.initCause(this.failure);
		throw abandoned;
	}

	private void drain() throws IOException {
		if (this.buffer.position() > 0) {
			this.buffer.flip();
			guarded(() -> this.temp.write(this.buffer));
			this.buffer.clear();
		}
	}

	private void guarded(IoAction action) throws IOException {
		try {
			action.run();
		}
		catch (IOException | RuntimeException | Error ex) {
			this.failure = ex;
			throw ex;
		}
	}

	private void ensureUsable() throws IOException {
		if (this.failure != null) {
			throw new IOException("An earlier write of the content of " + this.target + " failed; the write is abandoned",
					this.failure);
		}
		if (this.closed) {
			// A write after close is a write that failed: whatever the callback does with this
			// exception, the bytes it meant to add are missing, so the content must not commit.
			IOException closed = new IOException("Stream closed: the content of " + this.target + " was complete");
			this.failure = closed;
			throw closed;
		}
	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

}
