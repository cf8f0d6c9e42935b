package dev.atomicfile.sample;

/**
 * Thrown when something other than a document (a directory, a pipe, a device) holds the name; the
 * store never writes over it. Becomes 409.
 */
public class DocumentConflictException extends RuntimeException {

	DocumentConflictException(DocumentName name, String what) {
		super("'" + name + "' is " + what + ", not a document; it is left as it is");
	}

}
