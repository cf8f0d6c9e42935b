package dev.atomicfile;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link VolumeCheck#check(Path)} found out about a directory, each by doing it for real.
 *
 * @param directory the directory checked
 * @param writable whether a file could be created, written and synced there
 * @param atomicRename whether a file could be renamed there with {@code ATOMIC_MOVE}
 * @param locks whether an fcntl lock could be taken there (without them reapers judge temps by
 * {@code maxAge} alone, and commit recovery cannot tell a live commit)
 * @param directorySync whether the directory accepts an fsync (some network and FUSE file systems
 * answer {@code EINVAL}: there {@link Durability#FULL} cannot hold)
 * @param usableBytes the space a file could still take there, or -1 if unknown
 * @param totalBytes the size of the file system, or -1 if unknown
 * @param problems one line per check that failed, with the error
 */
public record VolumeReport(Path directory, boolean writable, boolean atomicRename, boolean locks,
		boolean directorySync, long usableBytes, long totalBytes, List<String> problems) {

	/**
	 * Copies the list of problems.
	 * @param directory the directory checked
	 * @param writable whether a file could be created, written and synced there
	 * @param atomicRename whether an atomic rename worked there
	 * @param locks whether an fcntl lock worked there
	 * @param directorySync whether the directory accepted an fsync
	 * @param usableBytes the usable space, or -1
	 * @param totalBytes the file system's size, or -1
	 * @param problems what failed
	 */
	public VolumeReport {
		problems = List.copyOf(problems);
	}

	/**
	 * Whether every promise of {@link Durability#FULL} can hold there.
	 * @return {@code true} when all four checks passed
	 */
	public boolean healthy() {
		return this.writable && this.atomicRename && this.locks && this.directorySync;
	}

}
