package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Removes a dead writer's temp directory with everything in it, whatever its producer left there:
 * iteratively (any depth), never following a link (a link is removed, not its target), every step
 * relative to its parent's descriptor.
 */
final class ReaperTreeRemoval {

	private ReaperTreeRemoval() {
	}

	/**
	 * Removes directory {@code name} of {@code parent} and its whole content.
	 * @return the total size of the regular files removed
	 * @throws InterruptedIOException if the thread was interrupted: the removal stops where it is,
	 * and the rest is left for the next pass
	 * @throws IOException if something could not be removed (the rest stays too)
	 */
	static long remove(ReaperDirectory parent, Path name) throws IOException {
		long bytes = 0;
		try (ReaperStack stack = new ReaperStack(parent.openDirectory(name))) {
			while (!stack.isEmpty()) {
				if (Thread.currentThread().isInterrupted()) {
					throw new InterruptedIOException("interrupted while removing " + parent.pathOf(name));
				}
				ReaperStack.Level level = stack.top();
				Path entry = level.directory().nextName();
				if (entry == null) {
					stack.pop();
					if (!stack.isEmpty()) {
						deleteDirectory(stack.top().directory(), Objects.requireNonNull(level.name()));
					}
					continue;
				}
				BasicFileAttributes attributes;
				try {
					attributes = level.directory().attributes(entry);
				}
				catch (NoSuchFileException ex) {
					continue;
				}
				if (attributes.isDirectory()) {
					stack.enter(entry);
				}
				else {
					deleteFile(level.directory(), entry);
					bytes += attributes.isRegularFile() ? attributes.size() : 0;
				}
			}
		}
		deleteDirectory(parent, name);
		return bytes;
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
