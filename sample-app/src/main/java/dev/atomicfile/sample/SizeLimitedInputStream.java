package dev.atomicfile.sample;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a request body through and fails with {@link DocumentTooLargeException} as soon as it
 * has delivered more than a limit, so an oversized upload is refused after reading at most one
 * buffer past the limit, never after buffering it. A body that cannot be read to its end fails
 * with {@link IncompleteUploadException}, so it is told apart from a failing disk.
 */
class SizeLimitedInputStream extends FilterInputStream {

	private final long maxBytes;

	private long count;

	SizeLimitedInputStream(InputStream in, long maxBytes) {
		super(in);
		this.maxBytes = maxBytes;
	}

	@Override
	public int read() throws IOException {
		int b;
		try {
			b = super.read();
		}
		catch (IOException ex) {
			throw new IncompleteUploadException(ex);
		}
		if (b != -1) {
			count(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n;
		try {
			n = super.read(buffer, offset, length);
		}
		catch (IOException ex) {
			throw new IncompleteUploadException(ex);
		}
		if (n > 0) {
			count(n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(n);
		count(skipped);
		return skipped;
	}

	@Override
	public boolean markSupported() {
		// A reset would make the count wrong.
		return false;
	}

	private void count(long n) throws DocumentTooLargeException {
		this.count += n;
		if (this.count > this.maxBytes) {
			throw new DocumentTooLargeException(this.maxBytes);
		}
	}

}
