package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

import dev.atomicfile.AtomicFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link FileSystemFailureReason}: from the system's message, from the exception's
 * class, through causes, and from what the real writer throws for real mistakes.
 */
class FileSystemFailureReasonTests {

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			No space left on device                | NO_SPACE
			Disk quota exceeded                    | NO_SPACE
			Read-only file system                  | READ_ONLY
			Permission denied                      | PERMISSION
			Operation not permitted                | PERMISSION
			Not a directory                        | NOT_A_DIRECTORY
			Is a directory                         | IS_A_DIRECTORY
			Directory not empty                    | IS_A_DIRECTORY
			Not a regular file: a device, socket or pipe cannot be replaced atomically | NOT_A_REGULAR_FILE
			No such file or directory              | NOT_FOUND
			Reserved name: x looks like an atomicfile temp file | RESERVED_NAME
			File name too long: 300 bytes          | NAME_TOO_LONG
			Too many levels of symbolic links      | LINK_LOOP
			Device or resource busy                | BUSY
			Too many open files                    | TOO_MANY_OPEN_FILES
			Input/output error                     | IO_ERROR
			File exists                            | ALREADY_EXISTS
			Stale file handle                      | OTHER
			""")
	void systemMessageTellsTheReasonWhetherAsReasonMessageOrCause(String message, FileSystemFailureReason reason) {
		assertThat(FileSystemFailureReason.of(new FileSystemException("/data/x", null, message))).isEqualTo(reason);
		assertThat(FileSystemFailureReason.of(new IOException(message))).isEqualTo(reason);
		FileSystemException named = new FileSystemException("/data/x", null, "write failed");
		named.initCause(new IOException(message));
		assertThat(FileSystemFailureReason.of(named)).isEqualTo(reason);
	}

	@Test
	void exceptionClassTellsTheReasonWhenTheMessageDoesNot() {
		assertThat(List.of(new NoSuchFileException("/data"), new AccessDeniedException("/data/x"),
				new NotDirectoryException("/data"), new FileAlreadyExistsException("/data/x"),
				new FileSystemLoopException("/data/x"), new AtomicMoveNotSupportedException("/a", "/b", "other fs"),
				new InterruptedIOException("interrupted"), new ClosedByInterruptException()))
			.extracting(FileSystemFailureReason::of)
			.containsExactly(FileSystemFailureReason.NOT_FOUND, FileSystemFailureReason.PERMISSION,
					FileSystemFailureReason.NOT_A_DIRECTORY, FileSystemFailureReason.ALREADY_EXISTS,
					FileSystemFailureReason.LINK_LOOP, FileSystemFailureReason.NOT_ATOMIC,
					FileSystemFailureReason.INTERRUPTED, FileSystemFailureReason.INTERRUPTED);
		assertThat(FileSystemFailureReason.of(new IllegalStateException())).isEqualTo(FileSystemFailureReason.OTHER);
	}

	@Test
	void realWriterFailuresGetTheirReason() throws Exception {
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		Path subdirectory = Files.createDirectory(this.directory.resolve("sub"));
		Path file = Files.writeString(this.directory.resolve("file"), "x");
		assertThat(reason(() -> writer.writeString(subdirectory, "x"))).isEqualTo(FileSystemFailureReason.IS_A_DIRECTORY);
		assertThat(reason(() -> writer.writeString(this.directory.resolve("missing/x"), "x")))
			.isEqualTo(FileSystemFailureReason.NOT_FOUND);
		assertThat(reason(() -> writer.writeString(file.resolve("x"), "x")))
			.isIn(FileSystemFailureReason.NOT_A_DIRECTORY, FileSystemFailureReason.NOT_FOUND);
		assertThat(reason(() -> writer.writeString(this.directory.resolve("n".repeat(300)), "x")))
			.isEqualTo(FileSystemFailureReason.NAME_TOO_LONG);
	}

	private static FileSystemFailureReason reason(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
		Throwable failure = catchThrowable(write);
		assertThat(failure).isInstanceOf(IOException.class);
		return FileSystemFailureReason.of(failure);
	}

}
