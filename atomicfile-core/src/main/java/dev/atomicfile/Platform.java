package dev.atomicfile;

/**
 * What the operating system allows, in one place: the write path asks here instead of testing
 * for Windows itself.
 */
final class Platform {

	private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

	private Platform() {
	}

	/**
	 * Whether an open file can be renamed. POSIX can, so the temp file (and the lock that marks it
	 * alive) stays open through the rename; Windows cannot, so it is closed first.
	 */
	static boolean canRenameOpenFiles() {
		return !WINDOWS;
	}

	/** Whether a file can be deleted while this process holds it open (Windows refuses by default). */
	static boolean canDeleteOpenFiles() {
		return !WINDOWS;
	}

	/** Whether a directory can be opened and fsynced; the JDK cannot open one on Windows. */
	static boolean canSyncDirectories() {
		return !WINDOWS;
	}

}
