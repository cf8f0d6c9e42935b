package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools that make real faults (mount, umount, chattr, mkfifo) and fails loudly
 * when one of them does not succeed, so that a fault test never passes without its fault.
 */
public final class Commands {

	private Commands() {
	}

	/**
	 * Runs {@code command} and waits for it.
	 * @return its standard output and error, merged
	 * @throws AssertionError if it exits with anything but 0 or takes over a minute
	 */
	public static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(1, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError(List.of(command) + " did not finish within a minute");
		}
		if (process.exitValue() != 0) {
			throw new AssertionError(List.of(command) + " exited with " + process.exitValue() + ": " + output);
		}
		return output;
	}

	/** Mounts a fresh tmpfs of {@code size} (for example {@code 1m}) on {@code directory}. */
	public static void mountTmpfs(Path directory, String size) throws IOException, InterruptedException {
		run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory.toString());
	}

	/** Makes {@code mountPoint} a read-only view of {@code source} (a bind mount remounted read-only). */
	public static void bindReadOnly(Path source, Path mountPoint) throws IOException, InterruptedException {
		bind(source, mountPoint);
		run("mount", "-o", "remount,bind,ro", mountPoint.toString());
	}

	/** Bind-mounts {@code source} (a file or a directory) on {@code mountPoint}. */
	public static void bind(Path source, Path mountPoint) throws IOException, InterruptedException {
		run("mount", "--bind", source.toString(), mountPoint.toString());
	}

	/** Unmounts {@code mountPoint}. */
	public static void umount(Path mountPoint) throws IOException, InterruptedException {
		run("umount", mountPoint.toString());
	}

	/** Sets ({@code true}) or clears the immutable attribute of {@code path}. */
	public static void immutable(Path path, boolean immutable) throws IOException, InterruptedException {
		run("chattr", immutable ? "+i" : "-i", path.toString());
	}

	/** Creates a named pipe at {@code path}. */
	public static void mkfifo(Path path) throws IOException, InterruptedException {
		run("mkfifo", path.toString());
	}

}
