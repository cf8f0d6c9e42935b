package dev.atomicfile;

import java.nio.file.Path;

/**
 * One file of a commit, staged: its temp is filled, has its whole mode, and is still open and
 * locked.
 *
 * @param target the path the caller gave
 * @param file what the rename replaces: absolute, in the directory's real path
 * @param temp the filled temp file beside it
 * @param bytes the size of its content
 */
record StagedFile(Path target, Path file, TempFile temp, long bytes) {

	Path directory() {
		return this.file.getParent();
	}

}
