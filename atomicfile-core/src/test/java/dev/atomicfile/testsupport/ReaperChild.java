package dev.atomicfile.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM spoken to line by line: commands go to its standard input, and the test waits for
 * the answer lines it prints, which are the only synchronisation between the two processes.
 * Killing it kills its whole process tree, so that a JVM started under {@code unshare --fork} dies
 * too, and returns only once every one of those processes is gone.
 */
public final class ReaperChild implements AutoCloseable {

	private static final long ANSWER_TIMEOUT_SECONDS = 60;

	private static final String EOF = "\u0000EOF";

	private final Process process;

	private final Writer stdin;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private ReaperChild(Process process) {
		this.process = process;
		this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		Thread pump = new Thread(this::pumpStdout, "reaper-child-stdout-" + process.pid());
		pump.setDaemon(true);
		pump.start();
	}

	/** Starts {@code mainClass} in a new JVM under {@code wrapper} (none when empty). */
	public static ReaperChild start(List<String> wrapper, Class<?> mainClass, String... args) throws IOException {
		return new ReaperChild(ChildJvm.start(wrapper, mainClass, args));
	}

	/**
	 * Starts {@code mainClass} in a JVM that is not root, so that file permissions bind it: as
	 * root (CI), one run as user nobody ({@link OtherUser}, its class path copied into
	 * {@code scratch}); otherwise one run as the test's own user.
	 */
	public static ReaperChild startNotRoot(Path scratch, Class<?> mainClass, String... args) throws IOException {
		return new ReaperChild(ChildJvm.isRoot() ? OtherUser.startJvm(scratch, List.of(), mainClass, args)
				: ChildJvm.start(mainClass, args));
	}

	/** Sends one command line. */
	public void send(String line) throws IOException {
		this.stdin.write(line + "\n");
		this.stdin.flush();
	}

	/**
	 * Waits for the next line that starts with {@code prefix}, skipping others (such as log lines).
	 * @throws AssertionError if the child ends or stays silent for a minute first
	 */
	public String awaitLine(String prefix) throws InterruptedException {
		while (true) {
			String line = this.lines.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			if (line == null) {
				throw new AssertionError("No line starting with '" + prefix + "' from " + this.process + " within "
						+ ANSWER_TIMEOUT_SECONDS + " s");
			}
			if (line.equals(EOF)) {
				throw new AssertionError("Child " + this.process + " ended (exit " + this.process.waitFor()
						+ ") before printing a line starting with '" + prefix + "'");
			}
			if (line.startsWith(prefix)) {
				return line;
			}
		}
	}

	/** The process as started (for a wrapped JVM, the wrapper). */
	public Process process() {
		return this.process;
	}

	/** Kills the child and every process below it with SIGKILL, and waits until all are gone. */
	public void kill9() throws InterruptedException {
		List<ProcessHandle> tree = this.process.descendants().toList();
		tree.forEach(ProcessHandle::destroyForcibly);
		ChildJvm.kill9(this.process);
		for (ProcessHandle descendant : tree) {
			descendant.onExit().join();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill9();
		}
	}

	private void pumpStdout() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The pipe broke because the child was killed: that is the end of its output.
		}
		finally {
			this.lines.add(EOF);
		}
	}

}
