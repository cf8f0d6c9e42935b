package dev.atomicfile.sample;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the document store.
 *
 * @param dataDir the directory that holds the documents; created at startup
 * @param maxDocumentSize the largest body a {@code PUT} accepts; a bigger one gets 413 and
 * writes nothing
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("10MB") DataSize maxDocumentSize) {
}
