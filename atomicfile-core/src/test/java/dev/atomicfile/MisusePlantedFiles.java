package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.atomicfile.testsupport.TreeSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * What a round of {@link MisuseRandomizedTest} puts in its directory before any write: the
 * targets' first versions, files and directories of other programs that no reaper may touch
 * (lookalike names included), the orphans of a dead process of this library that the reapers
 * must remove, and legacy junk that the round's extra patterns make reapable.
 */
final class MisusePlantedFiles {

	/** Targets: a name and its neighbours ({@code db2}, {@code db.json}), a space, a non-ASCII name. */
	static final List<String> TARGET_NAMES = List.of("db", "db2", "db.json", "a b.txt", "é.txt");

	/** Modes of existing targets, special bits included. */
	private static final List<Integer> MODES = List.of(0600, 0640, 0644, 0444, 04755, 02750);

	/**
	 * Extra patterns of a round that uses them: one that matches the targets' temp names (which
	 * must still be judged by their lock alone) and one for legacy junk.
	 */
	static final List<String> EXTRA_PATTERNS = List.of("db*.tmp.af*", "*.legacy");

	/** Names that look like temp files and are not in the library's format. */
	private static final List<String> LOOKALIKES = List.of("data.tmp", "notes.txt", "x.tmp.af-1",
			"x.tmp.af-1-zzzzzzzz-1-1", "x.tmp.af-1-deadbeef-1", "x.tmp.af-1-deadbeef-1-1.bak", ".tmp.af-1-deadbeef-1-1",
			"x.tmp.af-1-deadbeef-1-1\n", "x.tmp.afu-", "a b.txt.tmp", "db2.tmp");

	private final Path directory;

	private final SplittableRandom random;

	/** Each target's content before the round ({@code null}: it does not exist). */
	final Map<String, byte @Nullable []> initialContent = new LinkedHashMap<>();

	/** Each existing target's whole mode before the round. */
	final Map<String, Integer> initialMode = new HashMap<>();

	/** Paths, relative to the directory, that must be gone once the reapers ran. */
	final Set<String> mustGo = new HashSet<>();

	/** Top-level names that may stay or go (temp-named links: a reaper may unlink a link, never follow it). */
	final Set<String> mayGo = new HashSet<>();

	private final String deadProcess;

	private int sequence;

	MisusePlantedFiles(Path directory, SplittableRandom random) {
		this.directory = directory;
		this.random = random;
		String own = TempFileNames.newSuffix().split("-")[2];
		String token;
		do {
			token = String.format("%08x", random.nextInt());
		}
		while (token.equals(own));
		this.deadProcess = random.nextInt(100_000, 4_000_000) + "-" + token;
	}

	/** Plants everything; {@code patterns}: whether this round's reapers use {@link #EXTRA_PATTERNS}. */
	void plant(List<String> targets, boolean patterns) throws IOException {
		Files.createDirectories(this.directory);
		for (String target : targets) {
			target(target);
		}
		Path cache = Files.createDirectory(this.directory.resolve("cache.tmp"));
		Files.writeString(cache.resolve("inner.tmp.af-1"), "a foreign file in a foreign directory");
		for (String name : LOOKALIKES) {
			if (this.random.nextInt(3) == 0) {
				Files.writeString(this.directory.resolve(name), "foreign " + name);
			}
		}
		// Temp-named, non-empty, no lock file: another program's directory, never ours to delete.
		Path foreignDirectory = Files.createDirectory(this.directory.resolve("x.tmp.af-7-cafebabe-1-9"));
		Files.writeString(foreignDirectory.resolve("keep.txt"), "foreign content");
		// Temp-named links: to a foreign directory (a reaper that followed it would empty it) and to a file.
		link("x.tmp.af-" + this.deadProcess + "-1-" + next(), Path.of("cache.tmp"));
		link("notes.tmp.af-" + this.deadProcess + "-1-" + next(), Path.of("x.tmp.af-7-cafebabe-1-9", "keep.txt"));
		int orphans = this.random.nextInt(1, 6);
		for (int i = 0; i < orphans; i++) {
			orphan(targets.get(this.random.nextInt(targets.size())));
		}
		orphanFile(cache, "db", false);
		if (patterns) {
			legacy("db.legacy");
			legacy("notes.legacy");
		}
	}

	/** Everything below the directory now, but what must or may go and the targets. */
	Map<String, String> foreignSnapshot() {
		return withoutTargetsAnd(TreeSnapshot.of(this.directory), this.mustGo);
	}

	/** The same view of the directory as it is now, without what may go and the targets. */
	Map<String, String> currentForeignSnapshot() {
		return withoutTargetsAnd(TreeSnapshot.of(this.directory), Set.of());
	}

	private Map<String, String> withoutTargetsAnd(Map<String, String> snapshot, Set<String> alsoLeftOut) {
		Map<String, String> kept = new LinkedHashMap<>();
		snapshot.forEach((path, description) -> {
			String top = Path.of(path).getName(0).toString();
			boolean leftOut = alsoLeftOut.stream()
				.anyMatch((gone) -> path.equals(gone) || path.startsWith(gone + "/"));
			if (!this.initialContent.containsKey(top) && !this.mayGo.contains(top) && !leftOut) {
				kept.put(path, description);
			}
		});
		return kept;
	}

	private void target(String name) throws IOException {
		if (this.random.nextInt(5) < 2) {
			this.initialContent.put(name, null);
			return;
		}
		byte[] content = ("initial content of " + name + "\n").repeat(this.random.nextInt(1, 50))
			.getBytes(StandardCharsets.UTF_8);
		Path file = Files.write(this.directory.resolve(name), content);
		int mode = MODES.get(this.random.nextInt(MODES.size()));
		Files.setAttribute(file, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
		this.initialContent.put(name, content);
		this.initialMode.put(name, mode);
	}

	private void link(String name, Path to) throws IOException {
		Files.createSymbolicLink(this.directory.resolve(name), to);
		this.mayGo.add(name);
	}

	/** An orphan of the dead process: a temp file, or a temp directory as {@code writeFile} leaves it. */
	private void orphan(String target) throws IOException {
		boolean unlocked = this.random.nextInt(4) == 0;
		switch (this.random.nextInt(4)) {
			case 0, 1 -> orphanFile(this.directory, target, unlocked);
			case 2 -> {
				Path orphan = Files.createDirectory(this.directory.resolve(orphanName(target, unlocked)));
				Files.writeString(orphan.resolve(TempFileNames.LOCK_FILE_NAME), "");
				Files.writeString(orphan.resolve(target), "half of what a producer made");
				if (this.random.nextBoolean()) {
					// What a producer may leave: nested directories, and links out that must not be followed.
					Path nested = Files.createDirectories(orphan.resolve("work").resolve("deeper"));
					Files.writeString(nested.resolve("part"), "scratch");
					Files.createSymbolicLink(nested.resolve("to-cache"), this.directory.resolve("cache.tmp"));
					Files.createSymbolicLink(orphan.resolve("to-cache"), Path.of("..", "cache.tmp"));
				}
				age(orphan.resolve(TempFileNames.LOCK_FILE_NAME));
				age(orphan);
				this.mustGo.add(orphan.getFileName().toString());
			}
			default -> {
				// A writer killed between its mkdir and its lock file.
				Path orphan = Files.createDirectory(this.directory.resolve(orphanName(target, unlocked)));
				age(orphan);
				this.mustGo.add(orphan.getFileName().toString());
			}
		}
	}

	private void orphanFile(Path in, String target, boolean unlocked) throws IOException {
		Path orphan = Files.writeString(in.resolve(orphanName(target, unlocked)), "partial content of " + target);
		age(orphan);
		this.mustGo.add(this.directory.relativize(orphan).toString());
	}

	private void legacy(String name) throws IOException {
		Files.writeString(this.directory.resolve(name), "legacy junk");
		this.mustGo.add(name);
	}

	private String orphanName(String target, boolean unlocked) {
		return TempFileNames.baseFor(target) + (unlocked ? ".tmp.afu-" : ".tmp.af-") + this.deadProcess + "-1-" + next();
	}

	private int next() {
		return ++this.sequence;
	}

	/** Now, or two minutes ago: past the minimum age of every reaper of the round, or only of some. */
	private void age(Path path) throws IOException {
		if (this.random.nextBoolean()) {
			Files.setLastModifiedTime(path, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
		}
	}

}
