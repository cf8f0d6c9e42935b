package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.atomicfile.testsupport.ReaperChild;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real leftovers of a committer: a {@link CommitLeftoversChildMain} JVM runs one commit under
 * {@code strace}, which delivers a signal at a chosen system call: the n-th of a kind on the
 * committing thread, or the first on a chosen path ({@code -P}, which also matches a descriptor
 * opened on that path). SIGKILL leaves
 * exactly what a crash at that instant leaves; SIGSTOP freezes a live committer there, its locks
 * held, until {@link Stopped#resume()}.
 */
final class CommitLeftovers {

	/**
	 * Where in a commit the signal arrives.
	 *
	 * @param syscalls the system calls counted
	 * @param path the path they must touch ({@code -P}), or {@code null} for any
	 * @param when which of them, counted per thread
	 */
	record Point(String syscalls, Path path, int when) {

		/**
		 * The {@code n}-th rename of the committing thread. A commit renames each replica (one per
		 * directory) and then each temp over its target, in staged order; nothing else in the child
		 * renames. ({@code -P} cannot select a rename by its target: strace 6.1 matches only the
		 * first path of {@code rename(2)}, the temp's, whose name is not known in advance.)
		 */
		static Point rename(int n) {
			return new Point("rename,renameat,renameat2", null, n);
		}

		/**
		 * The first fsync of {@code directory}: the commit point's directory sync (step 4), so every
		 * replica is written and no target renamed yet.
		 */
		static Point directorySync(Path directory) {
			return new Point("fsync,fdatasync", directory, 1);
		}

	}

	private CommitLeftovers() {
	}

	/**
	 * Commits {@link CommitLeftoversChildMain#content} of {@code id} to {@code targets} at {@link Durability#FULL}
	 * in a child JVM killed with SIGKILL at {@code point}, and returns once it is gone.
	 * @return the targets with the content commit {@code id} gives each
	 */
	static Map<Path, byte[]> commitKilledAt(Point point, String id, List<Path> targets) throws Exception {
		try (ReaperChild child = ReaperChild.start(strace(point, "KILL"), CommitLeftoversChildMain.class)) {
			commit(child, id, targets);
			assertThat(child.process().waitFor(2, TimeUnit.MINUTES)).as("killed child gone").isTrue();
			Throwable end = org.assertj.core.api.Assertions.catchThrowable(() -> child.awaitLine(id + "\t"));
			assertThat(end).as("the commit must die at %s, not finish", point)
				.isInstanceOf(AssertionError.class)
				.hasMessageContaining("ended");
		}
		return newContents(id, targets);
	}

	/**
	 * Starts the same commit in a child JVM that SIGSTOP freezes at {@code point},
	 * and returns once it is frozen there: a live committer past that point, its records locked.
	 */
	static Stopped commitStoppedAt(Point point, String id, List<Path> targets) throws Exception {
		ReaperChild child = ReaperChild.start(strace(point, "STOP"), CommitLeftoversChildMain.class);
		try {
			commit(child, id, targets);
			ProcessHandle java = awaitStoppedJava(child);
			return new Stopped(child, java, id, newContents(id, targets));
		}
		catch (Exception | Error ex) {
			child.close();
			throw ex;
		}
	}

	/** What commit {@code id} gives each target. */
	static Map<Path, byte[]> newContents(String id, List<Path> targets) {
		Map<Path, byte[]> contents = new LinkedHashMap<>();
		for (Path target : targets) {
			contents.put(target, CommitLeftoversChildMain.content(id, target).getBytes(StandardCharsets.UTF_8));
		}
		return contents;
	}

	/** The temps in {@code directories} (not below them), sorted. */
	static List<Path> tempsIn(Path... directories) throws IOException {
		List<Path> temps = new ArrayList<>();
		for (Path directory : directories) {
			temps.addAll(ReaperFixtures.tempNames(directory).stream().map(directory::resolve).toList());
		}
		return temps;
	}

	private static void commit(ReaperChild child, String id, List<Path> targets) throws Exception {
		List<String> command = new ArrayList<>(List.of("commit", id, Durability.FULL.name()));
		targets.forEach((target) -> command.add(target.toAbsolutePath().toString()));
		child.send(String.join("\t", command));
		child.awaitLine(id + "\tSTAGED");
	}

	private static List<String> strace(Point point, String signal) {
		// No --seccomp-bpf: strace 6.1 then skips the injection for calls filtered by -P.
		List<String> strace = new ArrayList<>(List.of("strace", "-f", "-qq", "-o", "/dev/null", "-e",
				"trace=" + point.syscalls()));
		if (point.path() != null) {
			strace.addAll(List.of("-P", point.path().toAbsolutePath().toString()));
		}
		strace.addAll(List.of("-e", "inject=" + point.syscalls() + ":signal=" + signal + ":when=" + point.when()));
		return strace;
	}

	/**
	 * Waits until the JVM below strace is in a stopped state. Polls {@code /proc}: the stop is a
	 * state of another process that nothing notifies; the poll only observes it, it orders nothing.
	 */
	private static ProcessHandle awaitStoppedJava(ReaperChild child) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
		while (System.nanoTime() < deadline) {
			assertThat(child.process().isAlive()).as("stopped child still alive").isTrue();
			for (ProcessHandle descendant : child.process().descendants().toList()) {
				if (descendant.info().command().map((command) -> command.endsWith("/java")).orElse(false)
						&& isStopped(descendant.pid())) {
					return descendant;
				}
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		throw new AssertionError("The committing child was not stopped within a minute");
	}

	private static boolean isStopped(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// pid (comm) state ...: comm may hold spaces and parentheses, the state follows the last ')'.
			char state = stat.charAt(stat.lastIndexOf(')') + 2);
			return state == 'T' || state == 't';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** A committer frozen mid-commit. */
	static final class Stopped implements AutoCloseable {

		private final ReaperChild child;

		private final ProcessHandle java;

		private final String id;

		private final Map<Path, byte[]> newContents;

		Stopped(ReaperChild child, ProcessHandle java, String id, Map<Path, byte[]> newContents) {
			this.child = child;
			this.java = java;
			this.id = id;
			this.newContents = newContents;
		}

		/** What the commit gives each target. */
		Map<Path, byte[]> newContents() {
			return this.newContents;
		}

		/** Lets the committer go on, and returns its answer once the commit has ended. */
		String resume() throws Exception {
			dev.atomicfile.testsupport.Commands.run("kill", "-CONT", Long.toString(this.java.pid()));
			return this.child.awaitLine(this.id + "\t");
		}

		@Override
		public void close() throws InterruptedException {
			this.child.close();
		}

	}

}
