package dev.atomicfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A replacement of one file that is being written, for code where a callback is awkward: content
 * written over several calls, a value to return, checked exceptions from several sources. Nothing
 * is visible until {@link #commit()}; closing without a commit discards everything.
 *
 * <pre>{@code
 * try (PendingFile pending = writer.newPendingFile(target)) {
 *     OutputStream out = pending.outputStream();
 *     header.writeTo(out);
 *     long rows = table.writeTo(out);
 *     pending.commit();
 *     return rows;
 * }
 * }</pre>
 *
 * <p>The content goes to a locked temp sibling of the target, as with every write; the stream has
 * the same guarantees as a {@link ContentWriter}'s: once a write to it failed, the file can no
 * longer be committed. Not thread-safe: use it from one thread at a time.
 */
public interface PendingFile extends AutoCloseable {

	/**
	 * The file this replaces.
	 * @return the path given when it was opened
	 */
	Path target();

	/**
	 * The stream the content is written to; the same one on every call. Closing it only flushes.
	 * @return the stream
	 */
	OutputStream outputStream();

	/**
	 * Reads back what was written so far, from its first byte. Reads go through the descriptor the
	 * writer already holds: opening the temp file by its name and closing it would drop the lock
	 * that keeps reapers away.
	 * @return a new stream over the content written before this call; later writes may or may not
	 * show in it
	 * @throws IOException if buffered content cannot be flushed to the temp file
	 */
	InputStream newInputStream() throws IOException;

	/**
	 * Replaces the target with the content written, as {@link AtomicFileWriter#write} would.
	 * @throws IOException if the replacement failed; the target is then unchanged
	 * @throws IllegalStateException if already committed or closed
	 */
	void commit() throws IOException;

	/**
	 * Creates the target with the content written, only if nothing has its name (not even a dangling
	 * link), decided atomically by the file system: no check-then-act window.
	 * @throws java.nio.file.FileAlreadyExistsException if the target exists; it is untouched and
	 * the temp file is gone
	 * @throws IOException if the creation failed otherwise (also on file systems without hard links)
	 * @throws IllegalStateException if already committed or closed
	 */
	void commitNew() throws IOException;

	/** Discards the content unless it was committed: the temp file is deleted. Throws nothing. */
	@Override
	void close();

}
