package dev.atomicfile.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cuts the power of one mounted file system, as xfstests' {@code godown} does: the shutdown ioctl
 * with the "no log flush" flag. From that instant every operation on the file system fails, and
 * whatever was not yet durable (journal transactions not committed, data not written) is gone after
 * the next mount, as after a power cut.
 *
 * <p>The ioctl is issued by a small python3 process, started ahead and holding a descriptor of the
 * mount, so that the cut comes from outside the writing process at the instant {@link #cut} is
 * called, not after an interpreter has started. Just before the ioctl it writes a canary file
 * without fsync: a cut that really dropped what was not durable has lost the canary's content.
 */
public final class ShutdownSwitch implements AutoCloseable {

	/**
	 * {@code _IOR('X', 125, __u32)}: {@code EXT4_IOC_SHUTDOWN}, {@code XFS_IOC_GOINGDOWN} and
	 * {@code BTRFS_IOC_SHUTDOWN} share the number.
	 */
	static final int SHUTDOWN_IOCTL = 0x8004587D;

	/**
	 * {@code EXT4_GOING_FLAGS_NOLOGFLUSH}, {@code XFS_FSOP_GOING_FLAGS_NOLOGFLUSH}: shut down
	 * without writing the log first (0 would freeze and sync, 1 would commit the log).
	 */
	static final int NO_LOG_FLUSH = 2;

	// time.monotonic_ns() reads CLOCK_MONOTONIC, as System.nanoTime() does on Linux: one clock for both.
	private static final String SCRIPT = """
			import fcntl, os, struct, sys, time
			descriptor = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
			print('armed', flush=True)
			token = sys.stdin.readline().strip()
			if token:
			    with open(sys.argv[2], 'w') as canary:
			        canary.write(token)
			    before = time.monotonic_ns()
			    fcntl.ioctl(descriptor, %d, struct.pack('I', %d))
			    print('cut', before, time.monotonic_ns(), flush=True)
			""".formatted(SHUTDOWN_IOCTL, NO_LOG_FLUSH);

	private final Process process;

	private final BufferedReader output;

	private ShutdownSwitch(Process process) {
		this.process = process;
		this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	/**
	 * Starts the process that will cut the file system mounted at {@code mountPoint}; call
	 * {@link #awaitArmed()} before relying on the cut's timing.
	 * @param canary the file written without fsync just before the cut
	 */
	public static ShutdownSwitch start(Path mountPoint, Path canary) throws IOException {
		return new ShutdownSwitch(
				new ProcessBuilder("python3", "-c", SCRIPT, mountPoint.toString(), canary.toString())
					.redirectErrorStream(true)
					.start());
	}

	/** Waits until the process holds its descriptor of the mount and waits for the order. */
	public void awaitArmed() throws IOException {
		expect("armed");
	}

	/**
	 * Writes {@code canaryContent} to the canary without fsync, issues the shutdown ioctl at once,
	 * and returns when it has.
	 * @return when the ioctl ran, in {@link System#nanoTime()}'s time
	 * @throws AssertionError if the ioctl failed (ENOTTY: this file system or kernel has none)
	 */
	public Instant cut(String canaryContent) throws IOException {
		long ordered = System.nanoTime();
		OutputStream input = this.process.getOutputStream();
		input.write((canaryContent + "\n").getBytes(StandardCharsets.UTF_8));
		input.flush();
		String[] words = expect("cut").split(" ");
		Instant instant = new Instant(Long.parseLong(words[1]), Long.parseLong(words[2]));
		long told = System.nanoTime();
		if (instant.notBefore() < ordered || instant.notAfter() > told) {
			throw new AssertionError("The shutdown ioctl process's clock is not System.nanoTime()'s: " + instant
					+ " is not within [" + ordered + ", " + told + "]");
		}
		return instant;
	}

	private String expect(String word) throws IOException {
		String read = this.output.readLine();
		if (read == null || !read.split(" ")[0].equals(word)) {
			// It may be waiting for its order: without one it ends, and what it said can be read.
			this.process.getOutputStream().close();
			StringBuilder rest = new StringBuilder((read != null) ? read : "");
			for (String more = this.output.readLine(); more != null; more = this.output.readLine()) {
				rest.append('\n').append(more);
			}
			String hint = rest.toString().contains("[Errno 25]")
					? " (ENOTTY: no shutdown ioctl for this file system on this kernel; btrfs has one from Linux 6.19"
							+ " on, in kernels built with CONFIG_BTRFS_EXPERIMENTAL)"
					: "";
			throw new AssertionError("The shutdown ioctl process did not say '" + word + "'" + hint + ": " + rest);
		}
		return read;
	}

	/** Ends the process (without a cut, if none was ordered) and waits for it. */
	@Override
	public void close() throws IOException, InterruptedException {
		this.process.getOutputStream().close();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor();
		}
	}

	/**
	 * When the shutdown happened, in {@link System#nanoTime()}'s time: after {@code notBefore} and
	 * before {@code notAfter} (the ioctl's call and return). A write that returned before
	 * {@code notBefore} returned before the power went; in a real power cut nothing returns after.
	 */
	public record Instant(long notBefore, long notAfter) {
	}

}
