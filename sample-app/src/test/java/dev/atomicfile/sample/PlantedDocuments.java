package dev.atomicfile.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Puts a document into a data directory behind the store's back, as an earlier run left it: its
 * bytes and the metadata sidecar a commit writes with them.
 */
final class PlantedDocuments {

	private PlantedDocuments() {
	}

	/** Writes {@code name} with {@code content}, and its {@code .<name>.meta.json} that agrees with it. */
	static Path plant(Path dataDir, String name, byte[] content) throws IOException {
		Path document = Files.write(dataDir.resolve(name), content);
		writeMetadata(dataDir, name, new DocumentMetadata(content.length, sha256(content), "application/octet-stream"));
		return document;
	}

	/** Writes the sidecar of {@code name}, whatever the document holds. */
	static Path writeMetadata(Path dataDir, String name, DocumentMetadata metadata) throws IOException {
		return Files.writeString(metadataOf(dataDir, name), metadata.toJson());
	}

	static Path metadataOf(Path dataDir, String name) {
		return dataDir.resolve("." + name + ".meta.json");
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
