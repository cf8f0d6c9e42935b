package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/** Files for reaper tests: orphans named by the writer's own format, aged on purpose. */
final class ReaperFixtures {

	/** Older than any {@code minAge} the tests use, younger than the default {@code maxAge}. */
	static final Duration PAST_MIN_AGE = Duration.ofMinutes(5);

	/** Older than the default {@code maxAge} of one hour. */
	static final Duration PAST_MAX_AGE = Duration.ofHours(2);

	private ReaperFixtures() {
	}

	/**
	 * A temp name of {@code targetName} exactly as a writer makes it. Nobody holds a lock on a file
	 * created under it, and it is not in flight: it looks like the temp of a writer that died.
	 */
	static String orphanName(String targetName) {
		return TempFileNames.newTempName(targetName);
	}

	/** Creates {@code targetName}'s orphan in {@code directory}, last modified {@code age} ago. */
	static Path orphanOf(Path directory, String targetName, Duration age) throws IOException {
		return file(directory.resolve(orphanName(targetName)), "partial content of " + targetName, age);
	}

	/** Creates (or replaces) {@code file} with {@code content}, last modified {@code age} ago. */
	static Path file(Path file, String content, Duration age) throws IOException {
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return age(file, age);
	}

	/** Sets {@code file}'s modification time {@code age} into the past (never use on a file this JVM locks). */
	static Path age(Path file, Duration age) throws IOException {
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
		return file;
	}

}
