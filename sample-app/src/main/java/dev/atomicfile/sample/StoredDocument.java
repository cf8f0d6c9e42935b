package dev.atomicfile.sample;

/**
 * The outcome of {@link DocumentStore#store}.
 *
 * @param document the document as stored
 * @param created whether no document of that name existed before
 */
public record StoredDocument(DocumentInfo document, boolean created) {
}
