package dev.atomicfile.sample;

import java.io.IOException;

/**
 * Thrown when the request body could not be read to its end (the client went away or stalled);
 * the old document is then intact. Becomes 400 for a client that is still listening. An
 * {@link IOException}, so that thrown from inside the writer's callback it abandons the write.
 */
public class IncompleteUploadException extends IOException {

	IncompleteUploadException(IOException cause) {
		super("The request body could not be read to its end: " + cause.getMessage(), cause);
	}

}
