package dev.atomicfile.sample;

/**
 * Thrown when a document and its metadata disagree (size or SHA-256), or its metadata is missing
 * or unreadable: the store would rather answer 500 than serve bytes its headers misdescribe.
 * Documents and metadata are committed together, so this should never happen.
 */
public class DocumentInconsistentException extends RuntimeException {

	DocumentInconsistentException(DocumentName name, String why) {
		super("Document " + name + " and its metadata disagree: " + why);
	}

}
