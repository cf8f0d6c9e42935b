package dev.atomicfile;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.atomicfile.testsupport.LogCapture;

/**
 * A child JVM that writes through every API of the writer, for tests that need another process:
 * another user, another locale, a kernel that refuses locks.
 *
 * <p>Arguments: optionally {@code --durability=<level>} (default FULL), then pairs of
 * {@code <api> <target>}, where {@code api} is one of {@link Api} (in lower
 * case with dashes) and {@code target} is a path, or {@code each:<directory>} for every regular
 * file a listing of that directory returns (names the JVM cannot decode included). Each target gets
 * {@link #content(String)}. Prints one line per write, {@code OK\t<target>} or
 * {@code FAILED\t<target>\t<exception>}, then every event the library logged at DEBUG and above as
 * {@code LOG\t<level>\t<message>}, then {@code END}.
 */
public final class WriterApisMain {

	private static final String DURABILITY = "--durability=";

	private WriterApisMain() {
	}

	/** How a target is written. */
	enum Api {

		/** {@code write(Path, byte[])}. */
		BYTES,

		/** {@code write(Path, ContentWriter)}. */
		STREAM,

		/** {@code writeFile}, the producer writing its path with {@code Files.write}. */
		FILE,

		/** {@code writeFile}, the producer appending two parts with {@code new FileOutputStream(path, true)}. */
		FILE_APPEND,

		/**
		 * {@code writeFile}, the producer printing {@code PRODUCING\t<path>} and waiting for a line on
		 * standard input before it writes.
		 */
		FILE_BLOCK,

		/**
		 * {@code writeFile}, the producer also leaving a tree of read-only directories beside its file,
		 * as an archive extracted with its modes would.
		 */
		FILE_READ_ONLY_TREE;

		static Api of(String argument) {
			return valueOf(argument.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
		}

	}

	/** What {@code api} writes. */
	public static String content(String api) {
		return "content written through " + api + "\n";
	}

	public static void main(String[] args) throws IOException {
		int first = (args.length > 0 && args[0].startsWith(DURABILITY)) ? 1 : 0;
		Durability durability = (first == 1) ? Durability.valueOf(args[0].substring(DURABILITY.length()))
				: Durability.FULL;
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(durability).build();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		List<ILoggingEvent> logged;
		try (LogCapture log = new LogCapture(Level.DEBUG)) {
			for (int i = first; i + 1 < args.length; i += 2) {
				for (Path target : targets(args[i + 1])) {
					try {
						write(writer, args[i], target, in);
						System.out.println("OK\t" + target);
					}
					catch (IOException | RuntimeException ex) {
						System.out.println("FAILED\t" + target + "\t" + ex);
					}
				}
			}
			logged = log.events();
		}
		for (ILoggingEvent event : logged) {
			System.out.println("LOG\t" + event.getLevel() + "\t" + event.getFormattedMessage().replace('\n', ' '));
		}
		System.out.println("END");
		System.out.flush();
	}

	private static List<Path> targets(String argument) throws IOException {
		if (!argument.startsWith("each:")) {
			return List.of(Path.of(argument));
		}
		try (Stream<Path> entries = Files.list(Path.of(argument.substring("each:".length())))) {
			return entries.filter(Files::isRegularFile).sorted().toList();
		}
	}

	/**
	 * Writes {@code target} through {@code api}.
	 * @param in where {@code file-block} waits for its release; unused by the others
	 */
	static void write(AtomicFileWriter writer, String api, Path target, BufferedReader in) throws IOException {
		byte[] content = content(api).getBytes(StandardCharsets.UTF_8);
		switch (Api.of(api)) {
			case BYTES -> writer.write(target, content);
			case STREAM -> writer.write(target, (out) -> out.write(content));
			case FILE -> writer.writeFile(target, (path) -> Files.write(path, content));
			case FILE_APPEND -> writer.writeFile(target, (path) -> {
				int half = content.length / 2;
				appendTo(path, content, 0, half);
				appendTo(path, content, half, content.length - half);
			});
			case FILE_BLOCK -> writer.writeFile(target, (path) -> {
				System.out.println("PRODUCING\t" + path);
				System.out.flush();
				if (in.readLine() == null) {
					throw new IOException("standard input ended before the producer was released");
				}
				Files.write(path, content);
			});
			case FILE_READ_ONLY_TREE -> writer.writeFile(target, (path) -> {
				Files.write(path, content);
				Path tree = Files.createDirectories(path.resolveSibling("tree").resolve("sub"));
				Files.writeString(tree.resolve("left-over.txt"), "left over");
				Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-xr-xr-x"));
				Files.setPosixFilePermissions(tree.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
			});
		}
	}

	private static void appendTo(Path path, byte[] content, int offset, int length) throws IOException {
		try (OutputStream out = new FileOutputStream(path.toFile(), true)) {
			out.write(content, offset, length);
		}
	}

	/** Waits for {@code child} (a JVM running this class) to end, and reads what it printed. */
	static Output awaitOutput(Process child) throws IOException, InterruptedException {
		child.getOutputStream().close();
		String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!child.waitFor(2, TimeUnit.MINUTES)) {
			child.destroyForcibly();
			throw new AssertionError("The writer child did not end within two minutes; its output:\n" + stdout);
		}
		return Output.parse(stdout);
	}

	/** The lines of a finished run. */
	record Output(List<String> ok, List<String> failed, List<String> logged) {

		static Output parse(String stdout) {
			List<String> ok = new ArrayList<>();
			List<String> failed = new ArrayList<>();
			List<String> logged = new ArrayList<>();
			boolean ended = false;
			for (String line : stdout.split("\n")) {
				if (line.startsWith("OK\t")) {
					ok.add(line.substring(3));
				}
				else if (line.startsWith("FAILED\t")) {
					failed.add(line.substring(7));
				}
				else if (line.startsWith("LOG\t")) {
					logged.add(line.substring(4));
				}
				else if (line.equals("END")) {
					ended = true;
				}
			}
			if (!ended) {
				throw new AssertionError("The writer child did not finish; its output:\n" + stdout);
			}
			return new Output(ok, failed, logged);
		}

		/** The logged lines at {@code level}: {@code <message>}. */
		List<String> logged(String level) {
			return this.logged.stream()
				.filter((line) -> line.startsWith(level + "\t"))
				.map((line) -> line.substring(level.length() + 1))
				.toList();
		}

	}

}
