package dev.atomicfile.sample;

import java.io.InputStream;

/**
 * A document opened for reading.
 *
 * @param content the content; the caller closes it
 * @param size the size in bytes of the version being read
 */
public record OpenDocument(InputStream content, long size) {
}
