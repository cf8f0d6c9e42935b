package dev.atomicfile.sample;

/**
 * A document as the listing shows it.
 *
 * @param name the document's name
 * @param size its size in bytes
 */
public record DocumentInfo(String name, long size) {
}
