package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a temp file to the owner and group of the file it replaces, when the process may (root,
 * or CAP_CHOWN): a root process (a container entrypoint, a backup job) rewriting an application's
 * file must not leave it owned by root.
 */
final class Ownership {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFileWriter.class);

	/**
	 * The uid new files get from this process, read once from {@code /proc/self} (owned by the
	 * effective uid); -1 where that is unknown, and then every write sets the owner.
	 */
	private static final int PROCESS_UID = processUid();

	private Ownership() {
	}

	/**
	 * Whether this process may be tricked into changing files it does not own: root follows a
	 * link planted in a directory someone else may write, where a mere user can only harm itself.
	 */
	static boolean isPrivileged() {
		return PROCESS_UID == 0 || PROCESS_UID == -1;
	}

	/**
	 * Gives {@code temp} the owner {@code uid} (unless it is the process's own) and the group
	 * {@code gid} (always: in a setgid directory a new file takes the directory's group, not the
	 * process's). Each is tried on its own and a refusal (no privilege) is skipped with a DEBUG
	 * line. By path without following links: {@code lchown}.
	 */
	static void carryOver(Path temp, int uid, int gid) {
		if (uid != PROCESS_UID) {
			set(temp, "unix:uid", uid);
		}
		set(temp, "unix:gid", gid);
	}

	private static void set(Path temp, String attribute, int id) {
		try {
			Files.setAttribute(temp, attribute, id, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.debug("Cannot set {} {} on {} as the file it replaces has; keeping the process's", attribute, id,
					temp, ex);
		}
	}

	private static int processUid() {
		try {
			Map<String, Object> ids = Files.readAttributes(Path.of("/proc/self"), "unix:uid");
			return (Integer) ids.get("uid");
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
