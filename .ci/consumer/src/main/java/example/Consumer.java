package example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaper;
import dev.atomicfile.ReapReport;

/**
 * Uses atomicfile-core as a plain-Java application would: writes a file atomically, then reaps a
 * directory that holds the orphan of a writer killed mid-write, and prints what it did.
 */
public final class Consumer {

	private Consumer() {
	}

	public static void main(String[] args) throws IOException {
		Path directory = Files.createDirectories(Path.of(args[0]));
		System.out.println("atomicfile-core from " + Path.of(jarOf(AtomicFileWriter.class)));

		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		Path target = directory.resolve("greeting.txt");
		writer.writeString(target, "hello from a jar-only consumer");
		System.out.println("wrote " + target.getFileName() + ": " + Files.readString(target));

		// What a writer in another, now dead, process left behind: a name in the temp format with a
		// foreign process id and token, a regular file that no process holds locked.
		Path orphan = directory.resolve("greeting.txt.tmp.af-1-0badf00d-1-1");
		Files.writeString(orphan, "half-written");
		ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).build().reap(directory);
		System.out.println("reaped " + report.reaped() + " orphan(s), " + report.bytesReclaimed() + " bytes, kept "
				+ report.keptLive() + " live and " + report.keptYoung() + " young, " + report.failed() + " failed");
		System.out.println("left in the directory: " + list(directory));
	}

	private static java.net.URI jarOf(Class<?> type) {
		try {
			return type.getProtectionDomain().getCodeSource().getLocation().toURI();
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String list(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.map((entry) -> entry.getFileName().toString()).sorted().collect(Collectors.joining(", "));
		}
	}

}
