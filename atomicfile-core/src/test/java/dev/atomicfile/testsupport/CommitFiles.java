package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atomicfile.CommitRecovery;
import dev.atomicfile.OrphanReaper;
import dev.atomicfile.ReapReport;
import dev.atomicfile.RecoveryReport;
import dev.atomicfile.TempFileNames;
import dev.atomicfile.testsupport.GenerationPayload.Content;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of the multi-file commit crash and fault tests: self-checking payloads that say which
 * commit wrote them, the start that a crashed committer's successor makes (recovery, then a reaper
 * pass), and the all-or-nothing verdict on what the targets hold afterwards.
 *
 * <p>File {@code index} of commit {@code c} holds {@link GenerationPayload} generation
 * {@code c * 1000 + index} in the target's size class: a whole payload names both the commit and
 * the file it was written for, so a file holding another file's content, or a torn one, is told
 * apart from an old or new one. Commit 0 is the state before the test's first commit.
 */
public final class CommitFiles {

	/**
	 * The start of every commit record's name ({@code .atomicfile-commit.<id>} and its temp): none may
	 * be left once recovery has run.
	 */
	public static final String RECORD_PREFIX = ".atomicfile-commit";

	/** Generations per commit: a commit has fewer files than this. */
	private static final long FILES_PER_COMMIT = 1000;

	private CommitFiles() {
	}

	/**
	 * Settles {@code directories} as the next start after a crash does: {@link CommitRecovery} over
	 * each, then an {@link OrphanReaper} pass with no minimum age (the crashed writer is dead: every
	 * temp it left unnamed by a record is an orphan). Asserts that nothing failed or was kept live and
	 * that no temp and no record is left.
	 * @return the summed recovery counts
	 */
	public static Recovered settle(Collection<Path> directories, String context) throws IOException {
		CommitRecovery recovery = CommitRecovery.builder().build();
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ZERO).build();
		long completed = 0;
		long rolledBack = 0;
		for (Path directory : directories) {
			RecoveryReport recovered = recovery.recover(directory);
			assertThat(recovered.failed() + recovered.keptLive()).as("%s: recovery of %s failed or kept live: %s",
					context, directory, recovered).isZero();
			completed += recovered.completed();
			rolledBack += recovered.rolledBack();
			ReapReport reaped = reaper.reap(directory);
			assertThat(reaped.failed() + reaped.keptLive()).as("%s: reaper pass over %s: %s", context, directory, reaped)
				.isZero();
		}
		for (Path directory : directories) {
			assertThat(leftovers(directory)).as("%s: temps and records left in %s", context, directory).isEmpty();
		}
		return new Recovered(completed, rolledBack);
	}

	/** The temps and commit records in {@code directory} (not below it). */
	public static List<String> leftovers(Path directory) throws IOException {
		return Directories.names(directory)
			.stream()
			.filter((name) -> TempFileNames.isTempFileName(name) || name.startsWith(RECORD_PREFIX))
			.toList();
	}

	/**
	 * What each target holds: the commit that wrote it, or -1 when it does not exist.
	 * @throws AssertionError if a target holds anything but one whole payload written for it
	 */
	public static Map<Target, Long> state(List<Target> targets, String context) throws IOException {
		Map<Target, Long> state = new LinkedHashMap<>();
		for (Target target : targets) {
			state.put(target, target.commit(context));
		}
		return state;
	}

	/**
	 * Asserts that the targets hold all of {@code before} (-1: absent) or all of commit
	 * {@code after}, and nothing else.
	 * @return whether they hold the new content
	 */
	public static boolean assertAllOrNothing(List<Target> targets, Map<Target, Long> before, long after,
			String context) throws IOException {
		Map<Target, Long> state = state(targets, context);
		boolean allNew = state.values().stream().allMatch((commit) -> commit == after);
		if (!allNew) {
			assertThat(state).as("%s: neither all old %s nor all of commit %d", context, before, after)
				.isEqualTo(before);
		}
		return allNew;
	}

	/** Writes commit 0 of each target, as the state a test starts from. */
	public static void writeInitial(Collection<Target> targets) throws IOException {
		for (Target target : targets) {
			Files.write(target.path(), target.payload(0));
		}
	}

	/**
	 * One target of a test commit.
	 * @param index its place in the commit (part of its payloads' generation)
	 * @param sizeClass the size class of its payloads ({@link GenerationPayload}: bytes to MiB)
	 * @param path the file
	 */
	public record Target(int index, int sizeClass, Path path) {

		/** The target described by {@link #argument()} at {@code index}. */
		public static Target parse(int index, String argument) {
			int colon = argument.indexOf(':');
			return new Target(index, Integer.parseInt(argument.substring(0, colon)),
					Path.of(argument.substring(colon + 1)));
		}

		/** This target as one command-line argument, {@code <sizeClass>:<path>}. */
		public String argument() {
			return this.sizeClass + ":" + this.path;
		}

		/** The content commit {@code commit} gives this target. */
		public byte[] payload(long commit) {
			return GenerationPayload.of(this.sizeClass, commit * FILES_PER_COMMIT + this.index);
		}

		/**
		 * The commit whose content the file holds, -1 when it does not exist.
		 * @throws AssertionError if it holds anything else
		 */
		public long commit(String context) throws IOException {
			if (!Files.exists(this.path, LinkOption.NOFOLLOW_LINKS)) {
				return -1;
			}
			byte[] content = Files.readAllBytes(this.path);
			Content read = GenerationPayload.read(this.sizeClass, content);
			assertThat(read.kind()).as("%s: %s (%d bytes) is not one whole payload", context, this.path, content.length)
				.isEqualTo(Content.Kind.WHOLE);
			assertThat(read.generation() % FILES_PER_COMMIT).as("%s: %s holds the payload of another file (generation %d)",
					context, this.path, read.generation())
				.isEqualTo(this.index);
			return read.generation() / FILES_PER_COMMIT;
		}

		@Override
		public String toString() {
			return this.path.toString();
		}

	}

	/**
	 * What recovery did at one start.
	 * @param completed commits it rolled forward
	 * @param rolledBack commits it rolled back
	 */
	public record Recovered(long completed, long rolledBack) {
	}

	/** The distinct parent directories of {@code targets}, in first-seen order. */
	public static List<Path> directories(Collection<Target> targets) {
		List<Path> directories = new ArrayList<>();
		for (Target target : targets) {
			if (!directories.contains(target.path().getParent())) {
				directories.add(target.path().getParent());
			}
		}
		return directories;
	}

}
