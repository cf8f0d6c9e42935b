package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.atomicfile.Durability;

/**
 * The floor: an atomic replace per {@link Durability} written by hand in plain Java, with no error
 * handling, no clean-up and no listener, the least any correct implementation must do.
 */
final class RawSequence {

	private static final AtomicLong sequence = new AtomicLong();

	private static final Set<StandardOpenOption> CREATE_NEW_WRITE = Set.of(StandardOpenOption.CREATE_NEW,
			StandardOpenOption.WRITE);

	private RawSequence() {
	}

	/**
	 * The minimal sequence: {@code CREATE_NEW}, write all, [fsync], close, permission copy
	 * (the target's mode read with one {@code stat}, set with one {@code chmod}), rename, [directory
	 * fsync]. No lock: a reaper could not tell this temp file's writer is alive.
	 */
	static void write(Path target, byte[] bytes, Durability durability) throws IOException {
		Path temp = tempFor(target);
		Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target);
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			writeAll(channel, bytes);
			if (durability != Durability.NONE) {
				channel.force(true);
			}
		}
		Files.setPosixFilePermissions(temp, mode);
		Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
		if (durability == Durability.FULL) {
			syncDirectory(target.getParent());
		}
	}

	/**
	 * The library's own system-call sequence by hand: {@code lstat} of the target, {@code CREATE_NEW}
	 * with the target's permission bits, an exclusive fcntl lock held through the rename, write all,
	 * the whole mode set after the content, [fsync], rename, close, [directory fsync]. Its difference
	 * to {@link #write} is what liveness for reapers costs; the library's difference to this is pure
	 * Java overhead.
	 */
	static void writeLocked(Path target, byte[] bytes, Durability durability) throws IOException {
		Path temp = tempFor(target);
		int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
		try (FileChannel channel = FileChannel.open(temp, CREATE_NEW_WRITE,
				PosixFilePermissions.asFileAttribute(permissions(mode)))) {
			channel.lock();
			writeAll(channel, bytes);
			Files.setAttribute(temp, "unix:mode", mode);
			if (durability != Durability.NONE) {
				channel.force(true);
			}
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
		}
		if (durability == Durability.FULL) {
			syncDirectory(target.getParent());
		}
	}

	private static Set<PosixFilePermission> permissions(int mode) {
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] bits = PosixFilePermission.values();
		for (int i = 0; i < bits.length; i++) {
			if ((mode & (0400 >> i)) != 0) {
				permissions.add(bits[i]);
			}
		}
		return permissions;
	}

	static Path tempFor(Path target) {
		return target.resolveSibling(target.getFileName() + ".tmp." + sequence.incrementAndGet());
	}

	static void writeAll(FileChannel channel, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	static void syncDirectory(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
