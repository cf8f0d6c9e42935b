package dev.atomicfile.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.atomicfile.AtomicFileWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Run in a child JVM: starts a real atomic write of {@code args[0]}, writes part of the content,
 * creates {@code args[1]} as the signal that its temp file exists, then stays in the middle of
 * the write until its standard input closes. Killed with SIGKILL meanwhile, it leaves the orphan
 * a crash leaves; left alive, it is a live writer whose temp file must be spared.
 */
public final class AbandonedWriter {

	private AbandonedWriter() {
	}

	/** Starts a writer of {@code directory/target} in a child JVM and returns once it is mid-write. */
	static Process start(Path directory, String target) throws IOException {
		Path ready = directory.resolveSibling(directory.getFileName() + "-" + target + ".ready");
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), AbandonedWriter.class.getName(),
				directory.resolve(target).toString(), ready.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ready) || !process.isAlive());
		assertThat(process.isAlive()).as("writer of %s is mid-write", target).isTrue();
		Files.delete(ready);
		return process;
	}

	/** The one temp file (or temp directory) a writer of {@code target} has in {@code directory}. */
	static Path tempFileOf(Path directory, String target) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> temps = files.filter((file) -> file.getFileName().toString().startsWith(target + ".tmp.af"))
				.toList();
			assertThat(temps).as("temp files of %s", target).hasSize(1);
			return temps.get(0);
		}
	}

	public static void main(String[] args) throws IOException {
		Path target = Path.of(args[0]);
		Path ready = Path.of(args[1]);
		AtomicFileWriter.builder().build().write(target, (out) -> {
			out.write("half of the new vers".getBytes(StandardCharsets.UTF_8));
			out.flush();
			Files.createFile(ready);
			// Blocks until the parent closes our stdin (or kills us).
			while (System.in.read() != -1) {
				// Nothing to do: any input just keeps us waiting.
			}
			throw new IOException("Parent went away; abandoning the write");
		});
	}

}
