package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.atomicfile.testsupport.Directories;

/** Files for reaper tests: orphans named by the writer's own format, aged on purpose. */
final class ReaperFixtures {

	/** Older than any {@code minAge} the tests use, younger than the default {@code maxAge}. */
	static final Duration PAST_MIN_AGE = Duration.ofMinutes(5);

	/** Older than the default {@code maxAge} of one hour. */
	static final Duration PAST_MAX_AGE = Duration.ofHours(2);

	private ReaperFixtures() {
	}

	/** The process part of {@link #orphanName}: PID 1 of some container, with another start time. */
	static final String FOREIGN_PROCESS = "1-0badf00d";

	private static final String LOCKED_MARKER = ".tmp.af-";

	/**
	 * A temp name of {@code targetName} as a writer in another process makes it: this JVM's own
	 * temps are never opened, let alone reaped, by its reapers. Nobody holds a lock on a file created
	 * under it: it looks like the temp of a writer that died.
	 */
	static String orphanName(String targetName) {
		return checked(TempFileNames.baseFor(targetName) + foreignSuffix(), targetName);
	}

	/** The name a writer in another process gives a temp of {@code targetName} it could not lock. */
	static String unlockedOrphanName(String targetName) {
		return checked(TempFileNames.baseFor(targetName) + TempFileNames.unlockedVariant(foreignSuffix()), targetName);
	}

	/** A temp name of {@code targetName} made by this process, as every copy of the library in it makes it. */
	static String ownProcessName(String targetName) {
		return TempFileNames.newTempName(targetName);
	}

	/** The name a writer of this process gives a temp of {@code targetName} it could not lock. */
	static String unlockedOwnProcessName(String targetName) {
		return TempFileNames.baseFor(targetName) + TempFileNames.unlockedVariant(TempFileNames.newSuffix());
	}

	/** This JVM's next suffix with another process's pid and token; its thread and sequence keep names unique. */
	private static String foreignSuffix() {
		String own = TempFileNames.newSuffix();
		// <pid>-<token>-<thread>-<sequence>
		String[] parts = own.substring(LOCKED_MARKER.length()).split("-");
		return LOCKED_MARKER + FOREIGN_PROCESS + "-" + parts[2] + "-" + parts[3];
	}

	private static String checked(String name, String targetName) {
		if (!TempFileNames.isTempNameOf(name, targetName) || TempFileNames.isOwnProcess(name)) {
			throw new IllegalStateException("Not another process's temp name of " + targetName + ": " + name);
		}
		return name;
	}

	/** Creates {@code targetName}'s orphan in {@code directory}, last modified {@code age} ago. */
	static Path orphanOf(Path directory, String targetName, Duration age) throws IOException {
		return file(directory.resolve(orphanName(targetName)), "partial content of " + targetName, age);
	}

	/**
	 * Creates the private directory {@code name} of a {@code writeFile} of {@code targetName} as its
	 * writer leaves it when killed: the lock file (locked by nobody) and the producer's partial file;
	 * the directory and both files last modified {@code age} ago.
	 */
	static Path tempDirectory(Path directory, String name, String targetName, Duration age) throws IOException {
		Path temp = Files.createDirectory(directory.resolve(name));
		file(temp.resolve(TempFileNames.LOCK_FILE_NAME), "", age);
		file(temp.resolve(targetName), "partial content of " + targetName, age);
		return age(temp, age);
	}

	/**
	 * Sets the modification time of {@code directory} and of every entry in it (none may be a
	 * link) {@code age} into the past.
	 */
	static Path ageWithEntries(Path directory, Duration age) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			for (Path entry : (Iterable<Path>) entries::iterator) {
				age(entry, age);
			}
		}
		return age(directory, age);
	}

	/** The names in {@code directory} that have the temp format, sorted. */
	static List<String> tempNames(Path directory) throws IOException {
		return Directories.names(directory).stream().filter(TempFileNames::isTempName).toList();
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
