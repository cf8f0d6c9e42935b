package dev.atomicfile;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams the new content of a file, for {@link AtomicFileWriter#write(java.nio.file.Path, ContentWriter)}.
 *
 * <p>The stream writes straight to the temp file through a small buffer, so content of any size
 * never needs to fit in memory. Closing the stream is allowed and only flushes it; the writer
 * commits the file after this method returns normally.
 */
@FunctionalInterface
public interface ContentWriter {

	/**
	 * Writes the complete new content to {@code out}.
	 * @param out the stream on the temp file; valid only during this call
	 * @throws IOException to abort the write: the target then stays as it was
	 */
	void writeTo(OutputStream out) throws IOException;

}
