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
	 * The uid and gid new files get from this process, read once from {@code /proc/self} (owned by
	 * the effective ids); {@code null} where that is unknown, and then every write tries.
	 */
	private static final int[] PROCESS_IDS = processIds();

	private Ownership() {
	}

	/**
	 * Gives {@code temp} the owner {@code uid} and group {@code gid} if they differ from the
	 * process's; a refusal (no privilege) is skipped with a DEBUG line.
	 */
	static void carryOver(Path temp, int uid, int gid) {
		boolean ownerDiffers = PROCESS_IDS == null || PROCESS_IDS[0] != uid;
		boolean groupDiffers = PROCESS_IDS == null || PROCESS_IDS[1] != gid;
		try {
			if (ownerDiffers) {
				Files.setAttribute(temp, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
			}
			if (groupDiffers) {
				Files.setAttribute(temp, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.debug("Cannot give {} the owner {}:{} of the file it replaces; keeping the process's", temp, uid, gid,
					ex);
		}
	}

	private static int[] processIds() {
		try {
			Map<String, Object> ids = Files.readAttributes(Path.of("/proc/self"), "unix:uid,gid");
			return new int[] { (Integer) ids.get("uid"), (Integer) ids.get("gid") };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
