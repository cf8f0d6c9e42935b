package dev.atomicfile.sample;

/** Thrown when the data directory is gone: the store cannot serve anything until it is back. Becomes 503. */
public class StorageUnavailableException extends RuntimeException {

	StorageUnavailableException() {
		super("The document storage is unavailable: its data directory is missing");
	}

}
