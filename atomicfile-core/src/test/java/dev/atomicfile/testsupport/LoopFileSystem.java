package dev.atomicfile.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A small file system of its own on a loop device, made fresh from a sparse image, that a test may
 * shut down as a power cut would and mount again (the journal replays). Root only.
 *
 * <p>{@link #close()} unmounts it and detaches the loop device whatever state it is in, so that a
 * failed test leaves neither behind.
 */
public final class LoopFileSystem implements AutoCloseable {

	/** The file systems with a shutdown ioctl that drops what is not yet durable. */
	public enum Kind {

		/** ext4: {@code EXT4_IOC_SHUTDOWN}. */
		EXT4(64, "mkfs.ext4", "-q", "-F"),

		/** XFS: {@code XFS_IOC_GOINGDOWN}; recent xfsprogs refuse file systems under 300 MiB. */
		XFS(320, "mkfs.xfs", "-q", "-f"),

		/**
		 * btrfs: {@code BTRFS_IOC_SHUTDOWN} exists from Linux 6.19 on, and only in kernels built with
		 * {@code CONFIG_BTRFS_EXPERIMENTAL}; elsewhere the ioctl fails with ENOTTY.
		 */
		BTRFS(320, "mkfs.btrfs", "-q", "-f");

		private final int megabytes;

		private final List<String> mkfs;

		Kind(int megabytes, String... mkfs) {
			this.megabytes = megabytes;
			this.mkfs = List.of(mkfs);
		}

		/** The program that makes this file system, such as {@code mkfs.xfs}. */
		public String mkfsProgram() {
			return this.mkfs.get(0);
		}

		/** The name {@code mount} and the logs use, such as {@code xfs}. */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

		/** The sysfs directory that exists while this file system on {@code device} lives, if known. */
		@Nullable Path sysfs(String device) {
			// btrfs names its directory by UUID, not by device.
			return (this != BTRFS) ? Path.of("/sys/fs", label(), Path.of(device).getFileName().toString()) : null;
		}

	}

	private final Kind kind;

	private final Path image;

	private final Path mountPoint;

	private @Nullable String device;

	private boolean mounted;

	private LoopFileSystem(Kind kind, Path image, Path mountPoint) {
		this.kind = kind;
		this.image = image;
		this.mountPoint = mountPoint;
	}

	/**
	 * Makes a fresh file system of {@code kind} in a sparse image file in {@code directory}, attaches
	 * it to a free loop device and mounts it there.
	 */
	public static LoopFileSystem create(Kind kind, Path directory) throws IOException, InterruptedException {
		Path image = directory.resolve(kind.label() + ".img");
		Path mountPoint = Files.createDirectories(directory.resolve(kind.label()));
		LoopFileSystem fileSystem = new LoopFileSystem(kind, image, mountPoint);
		try {
			fileSystem.makeFresh();
			return fileSystem;
		}
		catch (IOException | InterruptedException | RuntimeException | Error ex) {
			fileSystem.close();
			throw ex;
		}
	}

	/** Makes the file system anew (all content gone) and mounts it. */
	public void makeFresh() throws IOException, InterruptedException {
		close();
		Files.deleteIfExists(this.image);
		try (RandomAccessFile file = new RandomAccessFile(this.image.toFile(), "rw")) {
			file.setLength(this.kind.megabytes * 1024L * 1024L);
		}
		List<String> mkfs = new ArrayList<>(this.kind.mkfs);
		mkfs.add(this.image.toString());
		Commands.run(mkfs.toArray(new String[0]));
		this.device = Commands.run("losetup", "--find", "--show", this.image.toString()).strip();
		mount();
	}

	/**
	 * Unmounts and mounts again: after a shutdown, the journal replays.
	 * @throws HeldElsewhereException if the unmount did not end the file system, so that mounting
	 * again would give back the one that was shut down, journal not replayed
	 */
	public void remount() throws IOException, InterruptedException {
		unmount();
		mount();
	}

	/** Where the file system is mounted. */
	public Path mountPoint() {
		return this.mountPoint;
	}

	private void mount() throws IOException, InterruptedException {
		Commands.run("mount", "-t", this.kind.label(), this.device, this.mountPoint.toString());
		this.mounted = true;
	}

	private void unmount() throws IOException, InterruptedException {
		if (this.mounted) {
			Commands.run("umount", this.mountPoint.toString());
			this.mounted = false;
			awaitEnd();
		}
	}

	/**
	 * Waits until the file system's sysfs directory (one per live ext4 or XFS super block) is gone.
	 * It stays while any other mount namespace holds a copy of the mount: a process that unshared
	 * its mounts (as {@code unshare --mount} does) while this one was mounted keeps it alive.
	 */
	private void awaitEnd() throws HeldElsewhereException {
		Path live = this.kind.sysfs(this.device);
		if (live == null) {
			return;
		}
		try {
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(live));
		}
		catch (ConditionTimeoutException ex) {
			throw new HeldElsewhereException(this + " outlived its unmount (" + live + " is still there): another"
					+ " mount namespace holds it, so mounting again would give back the same file system");
		}
	}

	/**
	 * Unmounts (lazily if something still holds the mount) and detaches the loop device; the image
	 * stays for the caller's temp directory to remove.
	 */
	@Override
	public void close() throws IOException, InterruptedException {
		AssertionError failure = null;
		if (this.mounted) {
			try {
				unmount();
			}
			catch (HeldElsewhereException ex) {
				// Nothing to undo here: it ends when its last holder does; the detach below waits for that.
			}
			catch (AssertionError ex) {
				failure = ex;
				Commands.run("umount", "--lazy", this.mountPoint.toString());
				this.mounted = false;
			}
		}
		if (this.device != null) {
			// A device still in use is only marked: the kernel detaches it when its last user goes.
			Commands.run("losetup", "--detach", this.device);
			this.device = null;
		}
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * The file system outlived its unmount because another mount namespace holds it; the test
	 * cannot mount it again fresh, and must make a new one.
	 */
	public static final class HeldElsewhereException extends IOException {

		HeldElsewhereException(String message) {
			super(message);
		}

	}

	@Override
	public String toString() {
		return this.kind.label() + " on " + this.device + " at " + this.mountPoint;
	}

}
