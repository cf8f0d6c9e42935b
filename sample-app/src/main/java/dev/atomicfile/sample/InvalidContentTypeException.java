package dev.atomicfile.sample;

/**
 * Thrown when a PUT declares a {@code Content-Type} that is no media type (or not printable
 * ASCII); nothing is stored. Becomes 400.
 */
public class InvalidContentTypeException extends RuntimeException {

	InvalidContentTypeException() {
		super("The Content-Type is not a media type such as text/plain or application/json");
	}

}
