package dev.atomicfile;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temp files this JVM is writing right now, by file name (names are unique within a JVM).
 *
 * <p>fcntl locks belong to the process: if a reaper in this JVM opened and closed one of our own
 * temp files just to test its lock, the close would silently drop the writer's lock. So an
 * in-process reaper asks here first and never touches a name that is listed.
 */
final class InFlightTempFiles {

	private static final Set<String> names = ConcurrentHashMap.newKeySet();

	private InFlightTempFiles() {
	}

	static void register(String tempName) {
		names.add(tempName);
	}

	static void unregister(String tempName) {
		names.remove(tempName);
	}

	static boolean contains(String tempName) {
		return names.contains(tempName);
	}

}
