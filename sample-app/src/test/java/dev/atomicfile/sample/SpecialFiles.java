package dev.atomicfile.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes the files a hostile or careless neighbour plants in a data directory: named pipes, and runs system tools. */
final class SpecialFiles {

	private SpecialFiles() {
	}

	/** Creates a named pipe at {@code path}. */
	static Path fifo(Path path) throws IOException, InterruptedException {
		run("mkfifo", path.toString());
		return path;
	}

	/** Whether the tests run as root, as CI does: mounting needs it. */
	static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	/**
	 * Runs {@code command} and waits for it.
	 * @throws AssertionError if it fails or takes over a minute, so a fault test never passes without its fault
	 */
	static String run(String... command) throws IOException, InterruptedException {
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

}
