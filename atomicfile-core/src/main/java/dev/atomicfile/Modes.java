package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whether a file created with a mode's permission bits ends up with the whole mode by itself, or
 * needs a {@code chmod} after its content: setuid, setgid and sticky cannot be given at creation,
 * and the umask removes bits. Skipping the chmod where it changes nothing saves a system call on
 * almost every write, and keeps a by-path {@code chmod} out of the common case.
 */
final class Modes {

	/** The process's umask, read once; -1 where unknown (then every write chmods). */
	private static final int UMASK = umask();

	private Modes() {
	}

	/** Whether a file created with {@code mode}'s permission bits lacks part of {@code mode}. */
	static boolean needsChmodAfterCreation(int mode) {
		return UMASK < 0 || (mode & 07000) != 0 || (mode & UMASK & 0777) != 0;
	}

	/** The mode bits of {@code permissions}. */
	static int of(Set<PosixFilePermission> permissions) {
		int mode = 0;
		for (PosixFilePermission permission : permissions) {
			// OWNER_READ (0400) comes first, OTHERS_EXECUTE (0001) last.
			mode |= 1 << (8 - permission.ordinal());
		}
		return mode;
	}

	/**
	 * From {@code /proc/self/status} (Linux 4.7 and later). A umask changed later by native code is
	 * not seen: files then get a narrower mode than their target's, never a wider one.
	 */
	private static int umask() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("Umask:")) {
					return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Unknown: chmod always.
		}
		return -1;
	}

}
