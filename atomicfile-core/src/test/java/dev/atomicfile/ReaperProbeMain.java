package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that tests locks or reaps, for runs under another user:
 * <ul>
 * <li>{@code probe <directory> <name>...}: one lock test per entry, each printed as
 * {@code PROBE <name> <state> <milliseconds> <problem>};</li>
 * <li>{@code passes <directory> <count>}: that many passes of a reaper with both ages zero, each
 * printed as a {@link ReaperMain#line REPORT} line.</li>
 * </ul>
 * It ends after its last line, whatever helper thread may still wait in an open.
 */
public final class ReaperProbeMain {

	private ReaperProbeMain() {
	}

	public static void main(String[] args) throws IOException {
		Path directory = Path.of(args[1]);
		if (args[0].equals("probe")) {
			for (int i = 2; i < args.length; i++) {
				probe(directory, args[i]);
			}
		}
		else {
			OrphanReaper eager = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build();
			for (int pass = 0; pass < Integer.parseInt(args[2]); pass++) {
				System.out.println(ReaperMain.line(eager.reap(directory)));
				System.out.flush();
			}
		}
	}

	private static void probe(Path directory, String name) throws IOException {
		// Closed after the test even when an open was abandoned: that must not hang either.
		try (ReaperDirectory opened = ReaperDirectory.open(directory)) {
			long start = System.nanoTime();
			try (ReaperLockProbe.Result result = ReaperLockProbe.test(opened, Path.of(name))) {
				long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
				System.out.println("PROBE\t" + name + "\t" + result.state() + "\t" + millis + "\t" + result.problem());
				System.out.flush();
			}
		}
	}

}
