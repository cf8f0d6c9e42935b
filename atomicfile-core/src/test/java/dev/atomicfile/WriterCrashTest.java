package dev.atomicfile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Directories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing child JVM with SIGKILL at random moments, {@code atomicfile.crash.kills} times
 * (50 by default; CI may raise it): after every kill the target holds one complete payload, at
 * least as new as the last write the child reported done, and anything else left is a temp file
 * in the documented format (for the reaper).
 */
class WriterCrashTest {

	private static final String TARGET = "target.bin";

	@TempDir
	Path directory;

	@Test
	void killedWriterLeavesOneCompletePayloadEveryTime() throws Exception {
		int kills = Integer.getInteger("atomicfile.crash.kills", 50);
		long seed = Long.getLong("atomicfile.crash.seed", System.nanoTime());
		SplittableRandom random = new SplittableRandom(seed);
		Path target = this.directory.resolve(TARGET);
		int orphans = 0;
		for (int run = 0; run < kills; run++) {
			String context = "seed " + seed + " (-Datomicfile.crash.seed), kill " + run;
			Process child = ChildJvm.start(CrashingWriterMain.class, target.toString(), String.valueOf(run));
			long acknowledged;
			try {
				acknowledged = waitForWritesThenKill(child, random, context);
			}
			finally {
				ChildJvm.kill9(child);
			}
			byte[] content = Files.readAllBytes(target);
			assertThat(CrashingWriterMain.isComplete(content)).as(context + ": complete payload").isTrue();
			assertThat(CrashingWriterMain.run(content)).as(context + ": run").isEqualTo(run);
			assertThat(CrashingWriterMain.sequence(content)).as(context + ": not older than the last write reported")
				.isGreaterThanOrEqualTo(acknowledged);
			List<String> leftovers = Directories.names(this.directory).stream().filter((name) -> !name.equals(TARGET)).toList();
			assertThat(leftovers).as(context + ": leftovers")
				.hasSizeLessThanOrEqualTo(1)
				.allSatisfy((name) -> assertThat(TempFileNames.isTempNameOf(name, TARGET)).isTrue());
			orphans += leftovers.size();
			for (String leftover : leftovers) {
				Files.delete(this.directory.resolve(leftover));
			}
		}
		System.out.printf("WriterCrashTest: %d kills, %d left an orphan temp file (killed mid-write), seed %d%n", kills,
				orphans, seed);
	}

	/**
	 * Reads 2 to 4 "written" lines, then lets a random fraction of one write's duration pass before
	 * the SIGKILL, so that kills land anywhere in a write: creating, writing, syncing, renaming.
	 * @return the sequence number of the last write the child reported done
	 */
	private static long waitForWritesThenKill(Process child, SplittableRandom random, String context)
			throws Exception {
		BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		int writes = random.nextInt(2, 5);
		long previous = 0;
		long interval = 1;
		long sequence = -1;
		for (int i = 0; i < writes; i++) {
			String line = lines.readLine();
			assertThat(line).as(context + ": child output").isNotNull().startsWith("written ");
			sequence = Long.parseLong(line.substring("written ".length()));
			long now = System.nanoTime();
			interval = now - previous;
			previous = now;
		}
		// Jitter, not synchronisation: the child is known to be writing already.
		long deadline = System.nanoTime() + random.nextLong(Math.max(1, interval));
		while (System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		child.destroyForcibly();
		return sequence;
	}

}
