package dev.atomicfile;

/**
 * How much of a write must reach stable storage before {@link AtomicFileWriter} returns.
 *
 * <p>Every level is atomic against a <em>process</em> crash: a reader, or the next start after a
 * {@code kill -9}, sees the complete old content or the complete new content. The levels differ in
 * what survives a <em>power cut or kernel crash</em>.
 */
public enum Durability {

	/**
	 * No fsync at all. Atomic against process crashes; after a power cut the target may be empty,
	 * torn or hold the old content, depending on the filesystem. The cheapest level, for caches that
	 * can be rebuilt.
	 */
	NONE,

	/**
	 * The temp file is fsynced before the rename. After a power cut the target holds the complete
	 * old or the complete new content, never a torn or empty file; the rename itself may be lost, so
	 * a write that returned may come back as the old content.
	 */
	FILE,

	/**
	 * {@link #FILE}, plus an fsync of the target's directory after the rename. Once the write
	 * returns, the new content survives a power cut. The default.
	 */
	FULL;

	/** Whether the temp file's content reaches stable storage before the rename. */
	boolean syncsFile() {
		return this != NONE;
	}

	/** Whether the directory entry the rename made reaches stable storage before the write returns. */
	boolean syncsDirectory() {
		return this == FULL;
	}

}
