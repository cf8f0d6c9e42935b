package dev.atomicfile.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.atomicfile.AtomicFileWriter;

/**
 * Run in a child JVM: starts a real atomic write of {@code args[0]}, writes part of the content,
 * creates {@code args[1]} as the signal that its temp file exists, then stays in the middle of
 * the write until its standard input closes. Killed with SIGKILL meanwhile, it leaves the orphan
 * a crash leaves; left alive, it is a live writer whose temp file must be spared.
 */
public final class AbandonedWriter {

	private AbandonedWriter() {
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
