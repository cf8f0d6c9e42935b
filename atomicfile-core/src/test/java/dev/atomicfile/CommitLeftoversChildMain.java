package dev.atomicfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A committing child JVM for recovery and reaper tests, which kill it (SIGKILL through strace at a
 * chosen system call, or by hand) or stop it mid-commit. Reads tab-separated commands from
 * standard input:
 * <ul>
 * <li>{@code commit <id> <durability> <target>...}: commits {@link #content(String, Path)} of
 * {@code id} to every target in one batch; answers {@code <id> STAGED} once every file is staged
 * and before {@code commit()} runs, then {@code <id> DONE} or {@code <id> FAILED <exception>}.</li>
 * </ul>
 * Every answer starts with its id.
 */
public final class CommitLeftoversChildMain {

	private CommitLeftoversChildMain() {
	}

	/**
	 * What commit {@code id} gives {@code target}: self-describing, a few KiB so that a torn or
	 * wrong temp differs in size and checksum.
	 */
	static String content(String id, Path target) {
		String head = "commit " + id + " of " + target.getFileName() + "\n";
		return head + ("filler " + id + ";").repeat(300) + "\nend\n";
	}

	public static void main(String[] args) throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String[] command = line.split("\t");
			String id = command[1];
			try {
				if (command[0].equals("commit")) {
					Durability durability = Durability.valueOf(command[2]);
					List<Path> targets = Arrays.stream(command, 3, command.length).map(Path::of).toList();
					AtomicFileWriter writer = AtomicFileWriter.builder().durability(durability).build();
					try (CommitBatch batch = writer.newBatch()) {
						for (Path target : targets) {
							batch.writeString(target, content(id, target));
						}
						answer(id + "\tSTAGED");
						batch.commit();
					}
					answer(id + "\tDONE");
				}
			}
			catch (IOException | RuntimeException ex) {
				answer(id + "\tFAILED\t" + ex);
			}
		}
	}

	private static synchronized void answer(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
