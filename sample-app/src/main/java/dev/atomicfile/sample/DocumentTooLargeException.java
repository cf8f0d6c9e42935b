package dev.atomicfile.sample;

import java.io.IOException;

/**
 * Thrown when a body passes the size limit; becomes 413. An {@link IOException}, so that thrown
 * from inside the writer's callback it abandons the write and leaves the old document intact.
 */
public class DocumentTooLargeException extends IOException {

	DocumentTooLargeException(long maxBytes) {
		super("The document is larger than the limit of " + maxBytes + " bytes");
	}

}
