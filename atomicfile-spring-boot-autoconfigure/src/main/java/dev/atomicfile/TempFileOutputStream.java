package dev.atomicfile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The stream a {@link ContentWriter} writes to: buffered, counting, and unable to close the temp
 * file under the writer (closing it only flushes).
 */
final class TempFileOutputStream extends OutputStream {

	private static final int BUFFER_SIZE = 64 * 1024;

	private final TempFile temp;

	private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);

	private long count;

	private boolean closed;

	TempFileOutputStream(TempFile temp) {
		this.temp = temp;
	}

	/** The number of bytes written so far. */
	long count() {
		return this.count;
	}

	@Override
	public void write(int b) throws IOException {
		ensureOpen();
		if (!this.buffer.hasRemaining()) {
			drain();
		}
		this.buffer.put((byte) b);
		this.count++;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		ensureOpen();
		if (length >= BUFFER_SIZE) {
			// Large chunks skip the buffer: one copy less.
			drain();
			this.temp.write(ByteBuffer.wrap(bytes, offset, length));
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
		ensureOpen();
		drain();
	}

	@Override
	public void close() throws IOException {
		if (!this.closed) {
			drain();
			this.closed = true;
		}
	}

	private void drain() throws IOException {
		if (this.buffer.position() > 0) {
			this.buffer.flip();
			this.temp.write(this.buffer);
			this.buffer.clear();
		}
	}

	private void ensureOpen() throws IOException {
		if (this.closed) {
			throw new IOException("Stream closed: the content of " + this.temp.path() + " is complete");
		}
	}

}
