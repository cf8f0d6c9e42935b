package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * The open directories from where a walk started down to where it is now: the explicit stack that
 * replaces recursion, so that a tree of any depth costs heap and descriptors, never call stack.
 * Each level is opened relative to the one above it and keeps its place in its own listing.
 */
final class ReaperStack implements AutoCloseable {

	private final Deque<Level> levels = new ArrayDeque<>();

	/** Starts at {@code directory}, which the stack now owns. */
	ReaperStack(ReaperDirectory directory) {
		this.levels.push(new Level(directory, null));
	}

	boolean isEmpty() {
		return this.levels.isEmpty();
	}

	/** The deepest open level. */
	Level top() {
		Level top = this.levels.peek();
		if (top == null) {
			throw new IllegalStateException("The walk has ended");
		}
		return top;
	}

	/** Opens subdirectory {@code name} of the deepest level, never through a link; it becomes the deepest. */
	void enter(Path name) throws IOException {
		this.levels.push(new Level(top().directory().openDirectory(name), name));
	}

	/** Closes the deepest level and returns it; the one above it, if any, is the deepest now. */
	Level pop() {
		Level level = this.levels.pop();
		try {
			level.directory().close();
		}
		catch (IOException ex) {
			// Closing a directory that was only read cannot lose anything.
		}
		return level;
	}

	/** Closes every level still open. */
	@Override
	public void close() {
		while (!this.levels.isEmpty()) {
			pop();
		}
	}

	/**
	 * One open directory of the walk.
	 *
	 * @param directory the directory
	 * @param name its name in the level above, or {@code null} where the walk started
	 */
	record Level(ReaperDirectory directory, @Nullable Path name) {
	}

}
