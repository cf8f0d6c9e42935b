package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.atomicfile.testsupport.ReaperChild;
import dev.atomicfile.testsupport.SecondLibraryCopy;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded randomized misuse (issue 9): rounds of concurrent writes whose callbacks throw, swallow
 * failures, close early, write after closing, recreate or copy over their file, give it odd modes,
 * leave something else than a file, or pause mid-write; against reapers of this library copy, of a
 * second copy in another class loader and of another JVM, all with zero ages; with lookalike
 * names, foreign directories, temp-named links and orphans of a dead process planted around the
 * targets. After every round (see {@link MisuseRound}): each target holds one complete version;
 * every write that returned committed exactly its content; every write that threw left its target
 * as it was; no non-temp file was deleted; no temp is left.
 *
 * <p>{@code -Datomicfile.misuse.rounds=N} (default 100), {@code -Datomicfile.misuse.seed=S}
 * (default: the clock), {@code -Datomicfile.misuse.round=R} to replay round {@code R} of seed
 * {@code S} alone (the same plan; thread timing differs). Every message names seed and round.
 */
class MisuseRandomizedTest {

	private static final int ROUNDS = Integer.getInteger("atomicfile.misuse.rounds", 100);

	private static final long SEED = Long.getLong("atomicfile.misuse.seed", System.nanoTime());

	private static final Integer ONLY_ROUND = Integer.getInteger("atomicfile.misuse.round");

	private static final Logger libraryLogger = (Logger) LoggerFactory.getLogger("dev.atomicfile");

	private static Level libraryLevel;

	@TempDir
	static Path temp;

	private static ReaperChild child;

	private static SecondLibraryCopy copy;

	private static MisuseRound.Shared shared;

	@BeforeAll
	static void startReapersElsewhere() throws IOException {
		// Thousands of passes and throwing listeners log on every call; the assertions say what went wrong.
		libraryLevel = libraryLogger.getLevel();
		libraryLogger.setLevel(Level.OFF);
		child = ReaperChild.start(List.of(), MisuseReaperMain.class);
		copy = SecondLibraryCopy.load();
		assertThat(copy.loadClass(OrphanReaper.class.getName())).as("a second copy, not this one")
			.isNotSameAs(OrphanReaper.class);
		Path probe = Files.createFile(temp.resolve("new-file-mode"));
		int newFileMode = (Integer) Files.getAttribute(probe, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
		shared = new MisuseRound.Shared(child, copy, newFileMode);
	}

	@AfterAll
	static void stopReapersElsewhere() throws Exception {
		try {
			child.close();
			copy.close();
		}
		finally {
			libraryLogger.setLevel(libraryLevel);
		}
	}

	static IntStream rounds() {
		return (ONLY_ROUND != null) ? IntStream.of(ONLY_ROUND) : IntStream.range(0, ROUNDS);
	}

	@ParameterizedTest(name = "round {0}")
	@MethodSource("rounds")
	void everyGuaranteeHoldsUnderMisuse(int round) throws Exception {
		SoftAssertions softly = new SoftAssertions();
		MisuseRound misuse = new MisuseRound(SEED, round, temp.resolve("round-" + round), shared);
		try {
			misuse.run(softly);
		}
		catch (Exception ex) {
			throw new AssertionError(misuse + " could not run", ex);
		}
		softly.assertAll();
	}

}
