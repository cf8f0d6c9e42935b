package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Produces the new content of a file at a path, for APIs that want a path rather than a stream
 * (ImageIO, database backup commands, archivers); see
 * {@link AtomicFileWriter#writeFile(Path, TempFileProducer)}.
 */
@FunctionalInterface
public interface TempFileProducer {

	/**
	 * Writes the complete new content to {@code tempFile}.
	 * <p>The file already exists (empty, writable by its owner) in a private directory beside the
	 * target. It may be written in place, truncated, reopened for appending, or deleted and created
	 * again, with any mode; it must be a regular file when this method returns. Do not rename it.
	 * Other files the producer leaves in that directory are deleted with it.
	 * @param tempFile the temp file to fill; its name is chosen by the writer
	 * @throws IOException to abort the write: the target then stays as it was
	 */
	void produce(Path tempFile) throws IOException;

}
