package dev.atomicfile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.atomicfile.WriterApisMain.Output;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targets whose names the JVM cannot decode (issue 9 rule 10): the files are made by
 * {@code python3} with raw bytes that are invalid in the JVM's file-name charset, their paths come
 * from a directory listing, as an application gets them, and every API must replace that very file
 * and leave nothing else, as {@code Files.write} would. Checked from outside the JVM with
 * {@code python3} and {@code ls -b}, in this JVM (UTF-8) and in a child JVM in the POSIX locale,
 * where every byte above 0x7F is undecodable. Long names near the 255-byte limit included.
 */
class WriterUndecodableNamesTest {

	/** The APIs whose caller code, if any, uses the path through NIO. */
	private static final List<String> APIS = List.of("bytes", "stream", "file");

	/** Raw names: invalid UTF-8, long invalid names up to the 255-byte limit, valid non-ASCII UTF-8, ASCII. */
	private static final List<byte[]> NAMES = List.of(bytes("caf", 0xE9, ".txt"), bytes(0xE9),
			bytes(repeat(0xE9, 251), ".txt"), bytes(0xFF, 0xFE, "-" + "x".repeat(200)),
			"grüße.txt".getBytes(StandardCharsets.UTF_8), "plain.txt".getBytes(StandardCharsets.US_ASCII));

	private static final String OLD = "old";

	@TempDir
	Path directory;

	@Test
	void everyApiReplacesTheVeryFileInThisJvm() throws Exception {
		for (String api : APIS) {
			Path subdirectory = filesNamedRaw(api);
			try (Stream<Path> listed = Files.list(subdirectory)) {
				for (Path target : listed.toList()) {
					WriterApisMain.write(AtomicFileWriter.builder().build(), api, target, null);
				}
			}
			assertOnlyTheRawNamesWith(subdirectory, WriterApisMain.content(api));
		}
	}

	@Test
	void everyApiReplacesTheVeryFileInAJvmInThePosixLocale() throws Exception {
		List<String> args = new ArrayList<>();
		for (String api : APIS) {
			args.addAll(List.of(api, "each:" + filesNamedRaw(api)));
		}
		Process child = ChildJvm.start(List.of("env", "-u", "LANG", "-u", "LC_CTYPE", "LC_ALL=C"),
				WriterApisMain.class, args.toArray(String[]::new));
		Output output = WriterApisMain.awaitOutput(child);
		assertThat(output.failed()).isEmpty();
		assertThat(output.ok()).hasSize(APIS.size() * NAMES.size());
		assertThat(output.ok()).as("names the child could not decode").anyMatch((target) -> target.contains("?"));
		for (String api : APIS) {
			assertOnlyTheRawNamesWith(this.directory.resolve(api), WriterApisMain.content(api));
		}
	}

	@Test
	void producerUsingJavaIoFileCanWriteAnUndecodableTargetInThisJvm() throws Exception {
		// new FileOutputStream(path.toFile(), true), as ImageIO.write(File) and most older APIs do:
		// a java.io.File holds a String, so the producer's path must survive toFile() here, where
		// the JVM's charset (UTF-8) can express it.
		Path subdirectory = filesNamedRaw("file-append");
		try (Stream<Path> listed = Files.list(subdirectory)) {
			for (Path target : listed.toList()) {
				WriterApisMain.write(AtomicFileWriter.builder().build(), "file-append", target, null);
			}
		}
		assertOnlyTheRawNamesWith(subdirectory, WriterApisMain.content("file-append"));
	}

	@Test
	void newFileWithAnUndecodableNameIsCreatedUnderThatName() throws Exception {
		byte[] name = bytes("new-", 0xE9, ".txt");
		Path subdirectory = Files.createDirectory(this.directory.resolve("new"));
		Path target = Path.of(URI.create(subdirectory.toUri() + "new-%E9.txt"));
		assertThat(target.getFileName().toString()).contains("\uFFFD");
		AtomicFileWriter.builder().build().writeString(target, "created");
		assertThat(rawListing(subdirectory)).containsExactly(Map.entry(hex(name), "created"));
		assertThat(Commands.run("env", "LC_ALL=C", "ls", "-b", "-A", subdirectory.toString()))
			.isEqualTo("new-\\351.txt\n");
	}

	/** A directory named {@code name} holding a file with each of {@link #NAMES}, made by python. */
	private Path filesNamedRaw(String name) throws IOException, InterruptedException {
		Path subdirectory = Files.createDirectory(this.directory.resolve(name));
		List<String> command = new ArrayList<>(List.of("python3", "-c",
				"import os, sys\nd = os.fsencode(sys.argv[1])\nfor h in sys.argv[2:]:\n"
						+ "    open(os.path.join(d, bytes.fromhex(h)), 'wb').write(b'" + OLD + "')",
				subdirectory.toString()));
		NAMES.forEach((raw) -> command.add(hex(raw)));
		Commands.run(command.toArray(String[]::new));
		assertThat(rawListing(subdirectory)).hasSize(NAMES.size());
		return subdirectory;
	}

	private static void assertOnlyTheRawNamesWith(Path subdirectory, String content)
			throws IOException, InterruptedException {
		Map<String, String> expected = NAMES.stream()
			.collect(Collectors.toMap(WriterUndecodableNamesTest::hex, (raw) -> content, (a, b) -> a, TreeMap::new));
		assertThat(rawListing(subdirectory)).as("raw names and contents in %s", subdirectory)
			.containsExactlyEntriesOf(expected);
		String ls = Commands.run("env", "LC_ALL=C", "ls", "-b", "-A", subdirectory.toString());
		assertThat(ls.lines()).as("ls -b").hasSize(NAMES.size()).contains("caf\\351.txt", "gr\\303\\274\\303\\237e.txt")
			.noneMatch((line) -> line.contains(".tmp.af"));
	}

	/** Hex of each raw name in {@code directory} to its content, as python (no JVM decoding) sees them. */
	private static Map<String, String> rawListing(Path directory) throws IOException, InterruptedException {
		String output = Commands.run("python3", "-c",
				"import os, sys\nd = os.fsencode(sys.argv[1])\nfor n in sorted(os.listdir(d)):\n"
						+ "    print(n.hex(), open(os.path.join(d, n), 'rb').read().hex())",
				directory.toString());
		Map<String, String> listing = new TreeMap<>();
		for (String line : output.lines().toList()) {
			String[] fields = line.split(" ", -1);
			listing.put(fields[0], new String(HexFormat.of().parseHex(fields[1]), StandardCharsets.UTF_8));
		}
		return listing;
	}

	private static String hex(byte[] raw) {
		return HexFormat.of().formatHex(raw);
	}

	/** ASCII text and single bytes, in order. */
	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof Integer value) {
				out.write(value);
			}
			else if (part instanceof byte[] raw) {
				out.writeBytes(raw);
			}
			else {
				out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
			}
		}
		return out.toByteArray();
	}

	private static byte[] repeat(int value, int count) {
		byte[] repeated = new byte[count];
		Arrays.fill(repeated, (byte) value);
		return repeated;
	}

}
