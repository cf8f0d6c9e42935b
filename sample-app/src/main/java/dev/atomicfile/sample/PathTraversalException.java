package dev.atomicfile.sample;

/** Thrown for a request path that tries to leave its directory; becomes 400. */
public class PathTraversalException extends RuntimeException {

	PathTraversalException() {
		super("The path must not contain dot segments (also percent-encoded), separators inside a segment, or ';'");
	}

}
