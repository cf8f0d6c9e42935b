package dev.atomicfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived reaper in another process for {@link MisuseRandomizedTest}: it reaps with the same
 * rules as any other process would, so a temp file of the test JVM is foreign to it and judged by
 * its lock alone. Tab-separated commands on standard input, one answer line each:
 * <ul>
 * <li>{@code loop <path> <minAgeMillis> <recursive> [pattern...]}: reaps {@code path} again and
 * again on a thread of its own until {@code stop}; answers {@code LOOPING};</li>
 * <li>{@code stop}: ends the loop; answers {@code STOPPED <passes>}, or {@code THREW <throwable>}
 * if a pass threw;</li>
 * <li>{@code reap <path> <minAgeMillis> <recursive> [pattern...]}: one pass; answers
 * {@code REAPED <report>} or {@code THREW <throwable>}.</li>
 * </ul>
 * {@code maxAge} is {@code minAge}: the smallest the builder allows. Ends at the end of its input.
 */
public final class MisuseReaperMain {

	/** What every answer starts with, so that nothing else the child prints is taken for one. */
	static final String ANSWER = "MISUSE\t";

	private static volatile boolean looping;

	private MisuseReaperMain() {
	}

	public static void main(String[] args) throws Exception {
		// Hundreds of passes a second, each with its summary and warnings: the answers are what counts.
		((Logger) LoggerFactory.getLogger("dev.atomicfile")).setLevel(Level.OFF);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		Thread loop = null;
		Throwable[] loopFailure = new Throwable[1];
		long[] passes = new long[1];
		String line;
		while ((line = in.readLine()) != null) {
			String[] command = line.split("\t");
			switch (command[0]) {
				case "loop" -> {
					OrphanReaper reaper = reaper(command);
					Path path = Path.of(command[1]);
					looping = true;
					loopFailure[0] = null;
					passes[0] = 0;
					loop = new Thread(() -> {
						SplittableRandom noise = new SplittableRandom();
						try {
							while (looping) {
								reaper.reap(path);
								passes[0]++;
								// Noise, not synchronisation: lets the writers' threads have the cores.
								LockSupport.parkNanos(noise.nextLong(2_000_000));
							}
						}
						catch (Throwable ex) {
							loopFailure[0] = ex;
						}
					}, "misuse-reaper-loop");
					loop.start();
					answer("LOOPING");
				}
				case "stop" -> {
					looping = false;
					if (loop != null) {
						loop.join();
					}
					answer((loopFailure[0] != null) ? "THREW\t" + loopFailure[0] : "STOPPED\t" + passes[0]);
				}
				case "reap" -> {
					try {
						answer("REAPED\t" + reaper(command).reap(Path.of(command[1])));
					}
					catch (Throwable ex) {
						answer("THREW\t" + ex);
					}
				}
				default -> answer("UNKNOWN\t" + line);
			}
		}
	}

	private static OrphanReaper reaper(String[] command) {
		Duration minAge = Duration.ofMillis(Long.parseLong(command[2]));
		List<String> patterns = Arrays.asList(command).subList(4, command.length);
		return OrphanReaper.builder()
			.minAge(minAge)
			.maxAge(minAge)
			.recursive(Boolean.parseBoolean(command[3]))
			.extraPatterns(patterns)
			.build();
	}

	private static void answer(String line) {
		System.out.println(ANSWER + line.replace('\n', ' '));
		System.out.flush();
	}

}
