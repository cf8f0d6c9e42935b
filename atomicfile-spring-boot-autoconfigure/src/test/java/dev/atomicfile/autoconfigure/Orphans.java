package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes the orphan a killed writer leaves: a file in the writer's temp-name format that no
 * process holds a lock on, last modified long enough ago for any min-age.
 */
final class Orphans {

	private static int sequence;

	private Orphans() {
	}

	static Path create(Path directory, String targetName) throws IOException {
		Path orphan = createYoung(directory, targetName);
		Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
		return orphan;
	}

	/** The orphan of a writer killed a moment ago: younger than any min-age. */
	static synchronized Path createYoung(Path directory, String targetName) throws IOException {
		sequence++;
		Path orphan = directory.resolve(targetName + ".tmp.af-99999-0badf00d-1-" + sequence);
		Files.writeString(orphan, "half-written content of a dead writer");
		return orphan;
	}

}
