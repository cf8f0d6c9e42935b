package dev.atomicfile.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.atomicfile.CommitChildMain;
import dev.atomicfile.testsupport.CommitFiles.Target;
import dev.atomicfile.testsupport.StraceLog.Call;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches or breaks one commit of a child JVM with strace, counting only the commit's own system
 * calls.
 *
 * <p>strace counts a call for {@code -e inject=…:when=N} per system call and per thread, and a JVM
 * makes thousands of file calls while it starts. So strace is not the child's parent: the child
 * (see {@code CommitChildMain once}) warms up, prints {@code READY <thread id>} and waits; strace
 * attaches then, to the committing thread alone ({@code -p <thread id>}, counters from zero, and
 * with a fsync parallelism of 1 that thread makes every file call of the commit) or to every thread
 * ({@code -f -p <pid>}, to check that claim); once strace reports the attach, the child is told to go.
 * It prints {@code BEGIN}, commits, and prints {@code END …}; the calls between those two writes
 * are the commit's.
 */
public final class CommitStrace {

	/**
	 * The system calls that make, fill, sync, rename, delete, lock or close files, whichever of them
	 * a JDK uses.
	 */
	public static final String FILE_CALLS = "open,openat,creat,write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,"
			+ "sync_file_range,rename,renameat,renameat2,link,linkat,unlink,unlinkat,mkdir,mkdirat,rmdir,fcntl,flock,"
			+ "ftruncate,fallocate,chmod,fchmod,fchmodat,fchown,fchownat,close";

	private CommitStrace() {
	}

	/**
	 * Starts {@code mainClass} with {@code args}, attaches strace with {@code straceOptions} once it is
	 * ready, lets it commit, and returns when it has ended.
	 * @param allThreads whether to trace every thread of the child, or only the committing one
	 */
	public static Run run(Class<?> mainClass, List<String> args, List<String> straceOptions, boolean allThreads,
			Path traceFile) throws IOException, InterruptedException {
		Process child = ChildJvm.start(mainClass, args.toArray(String[]::new));
		Process strace = null;
		try {
			BufferedReader lines = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String ready = lines.readLine();
			assertThat(ready).as("the child's first line").isNotNull().startsWith("READY ");
			int thread = Integer.parseInt(ready.substring("READY ".length()));
			List<String> command = new ArrayList<>(List.of("strace", "-s", "256", "-o", traceFile.toString()));
			command.addAll(allThreads ? List.of("-f", "-p", String.valueOf(child.pid()))
					: List.of("-p", String.valueOf(thread)));
			command.addAll(List.of("-e", "trace=" + FILE_CALLS));
			command.addAll(straceOptions);
			strace = new ProcessBuilder(command).redirectErrorStream(true).start();
			BufferedReader straceSays = new BufferedReader(
					new InputStreamReader(strace.getInputStream(), StandardCharsets.UTF_8));
			// "strace: Process N attached" (with -f: "... attached with M threads") comes once the
			// thread is stopped: every call it makes from here on is counted.
			String said = straceSays.readLine();
			assertThat(said).as("strace's report of its attach, %s", command).isNotNull().contains(" attached");
			OutputStream go = child.getOutputStream();
			go.write("go\n".getBytes(StandardCharsets.UTF_8));
			go.flush();
			StringBuilder output = new StringBuilder();
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				output.append(line).append('\n');
			}
			assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("child ended").isTrue();
			assertThat(strace.waitFor(1, TimeUnit.MINUTES)).as("strace ended").isTrue();
			straceSays.lines().forEach((line) -> {
				assertThat(line).as("strace's output").doesNotContain("invalid", "Invalid", "Unknown");
			});
			if (!allThreads) {
				// One thread traced: strace prints no thread ids; StraceLog wants them.
				List<String> prefixed = Files.readAllLines(traceFile, StandardCharsets.UTF_8)
					.stream()
					.map((line) -> thread + " " + line)
					.toList();
				Files.write(traceFile, prefixed, StandardCharsets.UTF_8);
			}
			return new Run(output.toString(), child.exitValue(), thread, StraceLog.read(traceFile));
		}
		finally {
			child.destroyForcibly();
			if (strace != null) {
				strace.destroyForcibly();
			}
		}
	}

	/**
	 * One traced run.
	 * @param output what the child printed after {@code READY}
	 * @param exitValue the child's exit status (137: killed by SIGKILL)
	 * @param thread the committing thread
	 * @param trace what strace saw
	 */
	public record Run(String output, int exitValue, int thread, StraceLog trace) {

		/** Whether the child was killed by SIGKILL. */
		public boolean killed() {
			return this.exitValue == 128 + 9;
		}

		/** The {@code END} line the child printed, or null. */
		public String end() {
			return this.output.lines().filter((line) -> line.startsWith("END ")).findFirst().orElse(null);
		}

		/** The index of the committing thread's {@code write} of {@code marker} to standard output. */
		public int marker(String marker) {
			return this.trace
				.first(0, (call) -> call.pid() == this.thread && call.is("write") && call.fd().orElse(-1) == 1
						&& call.arguments().startsWith("1, \"" + marker))
				.orElseThrow(() -> new AssertionError("no write of " + marker + " in the trace; output: " + this.output))
				.index();
		}

		/** The calls of the commit, between the {@code BEGIN} and {@code END} markers, on every thread. */
		public List<Call> commitCalls() {
			return this.trace.between(marker("BEGIN") + 1, marker("END"), (call) -> true);
		}

		/** How many {@code name} calls the committing thread made from the attach up to the call at {@code index}. */
		public int countBefore(String name, int index) {
			return this.trace.between(0, index + 1, (call) -> call.pid() == this.thread && call.is(name)).size();
		}

	}

	/**
	 * The commit the strace tests break: three files in two directories, {@code a/x.bin} and
	 * {@code a/y.bin} replaced (commit 0 to 1), {@code b/z.bin} new, at {@code FULL} with an fsync
	 * parallelism of 1, made afresh under one root for each run.
	 */
	public static final class OneCommit {

		private final Path root;

		private final List<Target> targets;

		public OneCommit(Path root) {
			this.root = root;
			this.targets = List.of(new Target(0, 1, root.resolve("a/x.bin")), new Target(1, 2, root.resolve("a/y.bin")),
					new Target(2, 0, root.resolve("b/z.bin")));
		}

		public List<Target> targets() {
			return this.targets;
		}

		/** What the targets hold before the commit: commit 0, and nothing for the new one. */
		public Map<Target, Long> before() {
			return Map.of(this.targets.get(0), 0L, this.targets.get(1), 0L, this.targets.get(2), -1L);
		}

		public List<Path> directories() {
			return List.of(this.root.resolve("a"), this.root.resolve("b"));
		}

		/** Makes the layout afresh and runs the child's commit under strace (see {@link CommitStrace#run}). */
		public Run run(List<String> straceOptions, boolean allThreads) throws IOException, InterruptedException {
			if (Files.exists(this.root)) {
				try (Stream<Path> paths = Files.walk(this.root)) {
					for (Path path : paths.sorted((x, y) -> y.compareTo(x)).toList()) {
						Files.delete(path);
					}
				}
			}
			for (Path directory : directories()) {
				Files.createDirectories(directory);
			}
			CommitFiles.writeInitial(this.targets.subList(0, 2));
			List<String> args = new ArrayList<>(List.of("once", "FULL", "1", this.root.resolve("warm-up").toString()));
			this.targets.forEach((target) -> args.add(target.argument()));
			return CommitStrace.run(CommitChildMain.class, args, straceOptions, allThreads,
					this.root.resolveSibling(this.root.getFileName() + ".trace"));
		}

		/**
		 * Settles the directories as the next start would and asserts all old or all new.
		 * @return whether all are new
		 */
		public boolean settleAndJudge(String context) throws IOException {
			CommitFiles.settle(directories(), context);
			return CommitFiles.assertAllOrNothing(this.targets, before(), 1, context);
		}

	}

}
