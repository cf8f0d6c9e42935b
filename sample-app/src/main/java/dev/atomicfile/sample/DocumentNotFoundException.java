package dev.atomicfile.sample;

/** Thrown for a document that does not exist; becomes 404. */
public class DocumentNotFoundException extends RuntimeException {

	DocumentNotFoundException(DocumentName name) {
		super("No document named '" + name + "'");
	}

}
