package dev.atomicfile.autoconfigure;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Why the file system refused a write, told from the exception: its class, or the system's
 * message that the JDK passes on ({@code "No space left on device"}, {@code "Read-only file
 * system"}...). Used as the {@code reason} tag of {@code atomicfile.write.failures}, and by
 * applications that answer a failed write (the sample maps {@link #NO_SPACE} to 507).
 *
 * <p>The messages are the C library's English ones; a JVM running in another locale may get
 * translated messages, which then count as {@link #OTHER} unless the exception's class tells.
 */
public enum FileSystemFailureReason {

	/** No space left on the device, or the disk quota is exhausted (ENOSPC, EDQUOT). */
	NO_SPACE("FileSystemException", "no space left on device", "disk quota exceeded"),

	/** The file system is mounted read-only (EROFS). */
	READ_ONLY("FileSystemException", "read-only file system"),

	/** Permission denied, or the operation is not permitted, for instance on an immutable file (EACCES, EPERM). */
	PERMISSION("AccessDeniedException|FileSystemException", "permission denied", "operation not permitted"),

	/** A path element that must be a directory is not one (ENOTDIR). */
	NOT_A_DIRECTORY("FileSystemException", "not a directory"),

	/** The target is a directory (EISDIR), or a non-empty directory stands where the file goes. */
	IS_A_DIRECTORY("FileSystemException", "is a directory", "directory not empty"),

	/** The target is a device, socket or pipe, which cannot be replaced atomically. */
	NOT_A_REGULAR_FILE("FileSystemException", "not a regular file"),

	/** The target's directory does not exist (ENOENT). */
	NOT_FOUND("NoSuchFileException", "no such file or directory"),

	/** The target's name is in the writer's temp-file format, which the reaper would delete. */
	RESERVED_NAME("FileSystemException", "reserved name"),

	/** The name, or its temp file's, is longer than the file system allows (ENAMETOOLONG). */
	NAME_TOO_LONG("FileSystemException", "file name too long"),

	/** Symbolic links loop, or are nested too deep (ELOOP). */
	LINK_LOOP("FileSystemException", "too many levels of symbolic links"),

	/** The target is busy, for instance a mount point (EBUSY, ETXTBSY). */
	BUSY("FileSystemException", "device or resource busy", "text file busy"),

	/** The process has too many open files (EMFILE, ENFILE). */
	TOO_MANY_OPEN_FILES("FileSystemException", "too many open files"),

	/** The device reported an input/output error (EIO). */
	IO_ERROR("FileSystemException", "input/output error"),

	/** A file of that name appeared where the writer creates its temp file (EEXIST). */
	ALREADY_EXISTS("FileAlreadyExistsException", "file exists"),

	/** The rename cannot be atomic here (another file system), so nothing was written. */
	NOT_ATOMIC("AtomicMoveNotSupportedException"),

	/** The writing thread was interrupted, so the write was abandoned. */
	INTERRUPTED("InterruptedIOException"),

	/** None of the above. */
	OTHER("FileSystemException|IOException");

	private final List<String> typicalExceptions;

	private final List<String> messages;

	FileSystemFailureReason(String typicalExceptions, String... messages) {
		this.typicalExceptions = List.of(typicalExceptions.split("\\|"));
		this.messages = List.of(messages);
	}

	/**
	 * The value of the {@code reason} tag: the name in lower case, such as {@code no_space}.
	 * @return the tag value
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The simple names of the exceptions a write usually throws for this reason, whose metric
	 * series exist from startup.
	 * @return the exception class names
	 */
	public List<String> typicalExceptions() {
		return this.typicalExceptions;
	}

	/**
	 * The reason of a failed write, from the exception the caller received or any of its causes.
	 * @param failure what the write threw
	 * @return the reason, {@link #OTHER} when nothing tells
	 */
	public static FileSystemFailureReason of(Throwable failure) {
		for (Throwable each = failure; each != null; each = (each.getCause() != each) ? each.getCause() : null) {
			FileSystemFailureReason reason = ofOne(each);
			if (reason != null) {
				return reason;
			}
		}
		return OTHER;
	}

	private static @Nullable FileSystemFailureReason ofOne(Throwable failure) {
		FileSystemFailureReason byClass = byClass(failure, Classes.BEFORE_MESSAGE);
		if (byClass != null) {
			return byClass;
		}
		String text = (failure instanceof FileSystemException fileSystem && fileSystem.getReason() != null)
				? fileSystem.getReason() : failure.getMessage();
		if (text != null) {
			String lower = text.toLowerCase(Locale.ROOT);
			for (FileSystemFailureReason reason : values()) {
				for (String message : reason.messages) {
					if (lower.startsWith(message) || lower.contains(": " + message)) {
						return reason;
					}
				}
			}
		}
		return byClass(failure, Classes.AFTER_MESSAGE);
	}

	private static @Nullable FileSystemFailureReason byClass(Throwable failure,
			Map<Class<? extends Throwable>, FileSystemFailureReason> classes) {
		for (Map.Entry<Class<? extends Throwable>, FileSystemFailureReason> entry : classes.entrySet()) {
			if (entry.getKey().isInstance(failure)) {
				return entry.getValue();
			}
		}
		return null;
	}

	/** Exception classes that tell a reason: some whatever the message, the others only when it does not. */
	private static final class Classes {

		static final Map<Class<? extends Throwable>, FileSystemFailureReason> BEFORE_MESSAGE = Map.of(
				InterruptedIOException.class, INTERRUPTED, ClosedByInterruptException.class, INTERRUPTED,
				AtomicMoveNotSupportedException.class, NOT_ATOMIC);

		static final Map<Class<? extends Throwable>, FileSystemFailureReason> AFTER_MESSAGE = Map.of(
				NoSuchFileException.class, NOT_FOUND, AccessDeniedException.class, PERMISSION,
				NotDirectoryException.class, NOT_A_DIRECTORY, DirectoryNotEmptyException.class, IS_A_DIRECTORY,
				FileAlreadyExistsException.class, ALREADY_EXISTS, FileSystemLoopException.class, LINK_LOOP);

	}

}
