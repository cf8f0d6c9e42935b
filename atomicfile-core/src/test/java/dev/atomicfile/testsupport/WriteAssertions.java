package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.atomicfile.WriteFailed;

import static org.assertj.core.api.Assertions.assertThat;

/** The one outcome every failed write must have, checked the same way everywhere. */
public final class WriteAssertions {

	/** Both variants: {@code .tmp.af-} (locked) and {@code .tmp.afu-} (unlocked), files and directories. */
	private static final String TEMP_MARKER = ".tmp.af";

	private WriteAssertions() {
	}

	/**
	 * Asserts that a write of {@code target} that threw {@code thrown} changed nothing: the target
	 * holds {@code before} (or still does not exist when {@code before} is {@code null}), no temp
	 * file is left in its directory, and {@code listener} saw exactly this failure and no success.
	 */
	public static void assertFailedCleanly(Path target, byte[] before, RecordingListener listener, Throwable thrown)
			throws IOException {
		if (before != null) {
			assertThat(Files.readAllBytes(target)).as("content of %s", target).isEqualTo(before);
		}
		else {
			// Not doesNotExist(): Files.notExists is false for a name the file system rejects.
			assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).as("%s exists", target).isFalse();
		}
		if (Files.isDirectory(target.getParent())) {
			assertNoTempFiles(target.getParent());
		}
		assertThat(listener.successes()).as("success events").isEmpty();
		assertThat(listener.failures()).as("failure events").hasSize(1);
		WriteFailed failure = listener.failures().get(0);
		assertThat(failure.target()).isEqualTo(target);
		assertThat(failure.exception()).isSameAs(thrown);
		assertThat(failure.duration()).isGreaterThanOrEqualTo(java.time.Duration.ZERO);
	}

	/** Asserts that {@code directory} holds no temp file of this library. */
	public static void assertNoTempFiles(Path directory) throws IOException {
		assertThat(Directories.names(directory)).as("entries of %s", directory)
			.noneMatch((name) -> name.contains(TEMP_MARKER));
	}

}
