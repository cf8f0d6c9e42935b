package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Removes a dead writer's temp directory with everything in it, whatever its producer left there:
 * iteratively (any depth), never following a link (a link is removed, not its target), every step
 * relative to its parent's descriptor, and read-only directories made writable by their owner
 * first, as the writer's own clean-up does.
 */
final class ReaperTreeRemoval {

	private ReaperTreeRemoval() {
	}

	/**
	 * Removes directory {@code name} of {@code parent} and its whole content, its entry
	 * {@code last} only once everything else in it is gone: a removal cut short (an interrupt, a
	 * crash) leaves a directory that still holds its lock file, which the next pass recognises as
	 * a dead writer's and removes, rather than one it must take for somebody else's.
	 * @return the total size of the regular files removed
	 * @throws InterruptedIOException if the thread was interrupted: the removal stops where it is,
	 * and the rest is left for the next pass
	 * @throws IOException if something could not be removed (the rest stays too)
	 */
	static long remove(ReaperDirectory parent, Path name, Path last) throws IOException {
		long bytes = 0;
		parent.makeOwnerWritable(name);
		try (ReaperStack stack = new ReaperStack(parent.openDirectory(name))) {
			while (!stack.isEmpty()) {
				if (Thread.currentThread().isInterrupted()) {
					throw new InterruptedIOException("interrupted while removing " + parent.pathOf(name));
				}
				ReaperStack.Level level = stack.top();
				boolean top = level.name() == null;
				Path entry = level.directory().nextName();
				if (entry == null) {
					if (top) {
						bytes += delete(level.directory(), last);
					}
					stack.pop();
					if (!stack.isEmpty()) {
						deleteDirectory(stack.top().directory(), Objects.requireNonNull(level.name()));
					}
				}
				else if (!top || !entry.equals(last)) {
					bytes += delete(stack, level.directory(), entry);
				}
			}
		}
		deleteDirectory(parent, name);
		return bytes;
	}

	/** Deletes a file, or enters a directory to empty it first; returns the bytes freed now. */
	private static long delete(ReaperStack stack, ReaperDirectory directory, Path entry) throws IOException {
		BasicFileAttributes attributes = directory.attributesIfPresent(entry);
		if (attributes != null && attributes.isDirectory()) {
			directory.makeOwnerWritable(entry);
			stack.enter(entry);
			return 0;
		}
		return delete(directory, entry, attributes);
	}

	/** Deletes {@code entry}, which is not a directory; returns its size if it was a regular file. */
	private static long delete(ReaperDirectory directory, Path entry) throws IOException {
		return delete(directory, entry, directory.attributesIfPresent(entry));
	}

	private static long delete(ReaperDirectory directory, Path entry, @Nullable BasicFileAttributes attributes)
			throws IOException {
		if (attributes == null) {
			// Another reaper got there first.
			return 0;
		}
		deleteFile(directory, entry);
		return attributes.isRegularFile() ? attributes.size() : 0;
	}

	private static void deleteFile(ReaperDirectory directory, Path name) throws IOException {
		try {
			directory.deleteFile(name);
		}
		catch (NoSuchFileException ex) {
			// Another reaper got there first.
		}
	}

	private static void deleteDirectory(ReaperDirectory directory, Path name) throws IOException {
		try {
			directory.deleteDirectory(name);
		}
		catch (NoSuchFileException ex) {
			// Another reaper got there first.
		}
	}

}
