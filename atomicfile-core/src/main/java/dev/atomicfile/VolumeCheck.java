package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks, by doing each for real, that a directory can keep {@link AtomicFileWriter}'s promises:
 * a file can be created, written and synced; renamed atomically; locked; and the directory itself
 * synced. Elasticsearch refuses a data path where atomic moves fail; an application can do the same
 * at start. The probe file is named like a temp file ({@code .atomicfile-check.tmp.af-…}), so one
 * left by a crash is an ordinary orphan for the reaper.
 */
public final class VolumeCheck {

	private static final String PROBE_NAME = ".atomicfile-check";

	private VolumeCheck() {
	}

	/**
	 * Checks {@code directory}. Never throws for what the file system does: each failed check is a
	 * {@code false} and a line in {@link VolumeReport#problems()}.
	 * @param directory an existing directory
	 * @return what worked there
	 */
	public static VolumeReport check(Path directory) {
		Objects.requireNonNull(directory, "directory");
		List<String> problems = new ArrayList<>();
		long usable = -1;
		long total = -1;
		try {
			FileStore store = Files.getFileStore(directory);
			usable = store.getUsableSpace();
			total = store.getTotalSpace();
		}
		catch (IOException ex) {
			problems.add("free space unknown: " + ex);
		}
		Path probe = directory.resolve(PROBE_NAME);
		TempFile temp;
		try {
			temp = TempFile.create(probe, new Destination(probe.toAbsolutePath(), null), Metadata.OWN_FILE);
		}
		catch (IOException | RuntimeException ex) {
			problems.add("cannot create a file: " + ex);
			return new VolumeReport(directory, false, false, false, false, usable, total, problems);
		}
		boolean writable = false;
		boolean atomicRename = false;
		boolean locks = !TempFileNames.isUnlocked(String.valueOf(temp.path().getFileName()));
		if (!locks) {
			problems.add("fcntl locks are refused: reapers judge temps by max-age alone, and commit recovery "
					+ "cannot tell a live commit from a dead one");
		}
		boolean directorySync = false;
		Throwable cleanUp = new IOException("volume check of " + directory);
		try {
			temp.write(ByteBuffer.wrap(new byte[] { 1 }));
			temp.force();
			writable = true;
			Path renamed = directory.resolve(TempFileNames.newTempName(PROBE_NAME));
			temp.moveTo(renamed);
			atomicRename = true;
			// Deleted while still open and locked; discard below then only closes it.
			Files.deleteIfExists(renamed);
		}
		catch (IOException | RuntimeException ex) {
			problems.add((writable ? "cannot rename atomically: " : "cannot write and sync a file: ") + ex);
		}
		finally {
			temp.discard(cleanUp);
		}
		try {
			DirectorySyncs.fsync(directory);
			directorySync = true;
		}
		catch (IOException | RuntimeException ex) {
			problems.add("the directory refuses fsync, so Durability.FULL cannot hold (use FILE): " + ex);
		}
		for (Throwable problem : cleanUp.getSuppressed()) {
			problems.add("clean-up: " + problem);
		}
		return new VolumeReport(directory, writable, atomicRename, locks, directorySync, usable, total, problems);
	}

}
