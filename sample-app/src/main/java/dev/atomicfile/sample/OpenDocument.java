package dev.atomicfile.sample;

import java.io.InputStream;

/**
 * A document opened for reading, checked against its metadata.
 *
 * @param content the content; the caller closes it
 * @param metadata the metadata committed with the version being read
 */
public record OpenDocument(InputStream content, DocumentMetadata metadata) {
}
