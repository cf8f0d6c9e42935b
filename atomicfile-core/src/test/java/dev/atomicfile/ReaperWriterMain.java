package dev.atomicfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A writer child JVM for reaper tests. Reads tab-separated commands from standard input:
 * <ul>
 * <li>{@code begin <id> <target>}: starts a real write of {@link #content(String)} whose callback
 * writes the head and blocks; answers {@code <id> READY <tempfile>};</li>
 * <li>{@code beginFile <id> <target>}: the same through {@code writeFile}, whose producer writes
 * the head into its file and blocks; answers {@code <id> READY <temp directory>};</li>
 * <li>{@code finish <id>}: lets it complete; answers {@code <id> DONE};</li>
 * <li>{@code hold <id> <file>}: locks the existing {@code file} as a writer locks its temp file (a
 * {@code writeFile} directory's lock file, say) and keeps it locked; answers {@code <id> HELD};</li>
 * <li>{@code release <id>}: closes that file, which drops the lock; answers {@code <id> RELEASED}.</li>
 * </ul>
 * A command that fails answers {@code <id> FAILED <error>}: every answer starts with its id.
 * The tests kill it with SIGKILL while writes are in flight.
 */
public final class ReaperWriterMain {

	private ReaperWriterMain() {
	}

	/** The complete content that write {@code id} would give its target. */
	public static String content(String id) {
		return head(id) + tail();
	}

	static String head(String id) {
		return "new content of write " + id + ", head;";
	}

	static String tail() {
		return " tail";
	}

	public static void main(String[] args) throws IOException {
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(Durability.NONE).build();
		Map<String, ReaperBlockedWrite> writes = new ConcurrentHashMap<>();
		Map<String, FileChannel> held = new ConcurrentHashMap<>();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String[] command = line.split("\t");
			String id = command[1];
			try {
				if (command[0].startsWith("begin")) {
					ReaperBlockedWrite.Api api = command[0].equals("beginFile")
							? ReaperBlockedWrite.Api.TEMP_FILE_PRODUCER : ReaperBlockedWrite.Api.CONTENT_WRITER;
					ReaperBlockedWrite write = ReaperBlockedWrite.start(writer, api, Path.of(command[2]), head(id),
							tail());
					writes.put(id, write);
					answer(id + "\tREADY\t" + write.tempFile());
				}
				else if (command[0].equals("finish")) {
					writes.remove(id).finish();
					answer(id + "\tDONE");
				}
				else if (command[0].equals("hold")) {
					FileChannel channel = FileChannel.open(Path.of(command[2]), StandardOpenOption.WRITE);
					channel.lock();
					held.put(id, channel);
					answer(id + "\tHELD");
				}
				else if (command[0].equals("release")) {
					held.remove(id).close();
					answer(id + "\tRELEASED");
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
