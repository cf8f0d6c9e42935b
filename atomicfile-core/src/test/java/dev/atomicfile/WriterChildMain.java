package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A child JVM that makes a few writes and reports each outcome on standard output, for tests that
 * must watch a writer from outside (strace, a different umask).
 *
 * <p>Arguments: pairs of {@code <durability> <target>}. Each target gets the text
 * {@link #payload(Durability)}; the outcome is one line, {@code OK <target>} or
 * {@code FAILED <target> <exception>}.
 */
public final class WriterChildMain {

	private WriterChildMain() {
	}

	/** The content written at {@code durability}: easy to spot in a trace. */
	public static String payload(Durability durability) {
		return "PAYLOAD-" + durability + "-recognisable-content\n";
	}

	public static void main(String[] args) {
		for (int i = 0; i + 1 < args.length; i += 2) {
			Durability durability = Durability.valueOf(args[i]);
			Path target = Path.of(args[i + 1]);
			try {
				AtomicFileWriter.builder().durability(durability).build().writeString(target, payload(durability));
				System.out.println("OK " + target);
			}
			catch (IOException | RuntimeException ex) {
				System.out.println("FAILED " + target + " " + ex);
			}
		}
	}

}
