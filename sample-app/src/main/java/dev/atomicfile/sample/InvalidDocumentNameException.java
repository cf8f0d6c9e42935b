package dev.atomicfile.sample;

/** Thrown for a document name that is not allowed; becomes 400. */
public class InvalidDocumentNameException extends RuntimeException {

	InvalidDocumentNameException(String name) {
		super("Invalid document name '" + name + "': use 1 to 200 of A-Z a-z 0-9 . _ -, not starting with a dot");
	}

	InvalidDocumentNameException(String name, String reason) {
		super("Invalid document name '" + name + "': " + reason);
	}

}
