package dev.atomicfile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.atomicfile.testsupport.GenerationPayload.Content;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PowerCutTest}'s cuts left on one file system under one {@link Durability} level,
 * counted for the summary the CI log shows.
 */
final class PowerCutTally {

	private static final int EXAMPLES = 3;

	private final String name;

	private final Map<Outcome, Integer> files = new EnumMap<>(Outcome.class);

	private final List<String> examples = new ArrayList<>();

	private int cuts;

	private int notJudged;

	private int real;

	private int busy;

	private int losingReturnedWrites;

	private int losingBusy;

	private int leavingBrokenFiles;

	private int brokenBusy;

	private int returnedAfterCut;

	private int lostAfterCut;

	private int temps;

	private int tempDirectories;

	private long reaped;

	PowerCutTally(String name) {
		this.name = name;
	}

	void add(Cut cut) {
		this.cuts++;
		if (!cut.judged()) {
			this.notJudged++;
			return;
		}
		if (!cut.real()) {
			// Nothing was dropped: no evidence either way, so not counted with the real cuts.
			return;
		}
		this.real++;
		int busy = cut.busy() ? 1 : 0;
		this.busy += busy;
		cut.outcomes().forEach((outcome) -> this.files.merge(outcome, 1, Integer::sum));
		if (cut.outcomes().stream().anyMatch((outcome) -> outcome != Outcome.WHOLE_NEW)) {
			this.losingReturnedWrites++;
			this.losingBusy += busy;
		}
		if (cut.outcomes().stream().anyMatch((outcome) -> !outcome.whole())) {
			this.leavingBrokenFiles++;
			this.brokenBusy += busy;
		}
		cut.notWhole().stream().limit(EXAMPLES - this.examples.size()).forEach(this.examples::add);
		this.returnedAfterCut += cut.returnedAfterCut();
		this.lostAfterCut += cut.lostAfterCut();
		this.temps += cut.temps();
		this.tempDirectories += cut.tempDirectories();
		this.reaped += cut.reaped();
	}

	int cuts() {
		return this.cuts;
	}

	int judged() {
		return this.cuts - this.notJudged;
	}

	int real() {
		return this.real;
	}

	@Override
	public String toString() {
		return String.format("%s: %d cuts (%d real, %d not real, %d not judged), %d of the real ones with a bystander"
				+ " fsyncing | files: %d whole-new, %d whole-old, %d empty, %d torn, %d missing | cuts that lost a"
				+ " returned write: %d (%d busy), that left a file empty, torn or missing: %d (%d busy)%s | writes that"
				+ " returned once the shutdown had begun (not counted as returned): %d, lost %d | temps left %d"
				+ " (%d writeFile directories), reaped %d", this.name, this.cuts, this.real,
				judged() - this.real, this.notJudged, this.busy, count(Outcome.WHOLE_NEW), count(Outcome.WHOLE_OLD),
				count(Outcome.EMPTY), count(Outcome.TORN), count(Outcome.MISSING), this.losingReturnedWrites,
				this.losingBusy, this.leavingBrokenFiles, this.brokenBusy,
				this.examples.isEmpty() ? "" : ", such as " + String.join("; ", this.examples), this.returnedAfterCut,
				this.lostAfterCut, this.temps, this.tempDirectories, this.reaped);
	}

	private int count(Outcome outcome) {
		return this.files.getOrDefault(outcome, 0);
	}

	/** What one file held after a cut, against the last write of it that returned before the cut. */
	enum Outcome {

		WHOLE_NEW, WHOLE_OLD, EMPTY, TORN, MISSING;

		/** @param content what the file held, null if it was missing */
		static Outcome of(@Nullable Content content, long lastReturned) {
			if (content == null) {
				return MISSING;
			}
			return switch (content.kind()) {
				case WHOLE -> (content.generation() >= lastReturned) ? WHOLE_NEW : WHOLE_OLD;
				case EMPTY -> EMPTY;
				case TORN -> TORN;
			};
		}

		boolean whole() {
			return this == WHOLE_NEW || this == WHOLE_OLD;
		}

	}

	/**
	 * The verdict on one cut.
	 * @param judged false when the file system could not be mounted again fresh
	 * @param real whether the canary lost its content
	 * @param busy whether a bystander fsynced meanwhile
	 * @param outcomes one per file
	 * @param notWhole a description of each file left empty, torn or missing
	 * @param returnedAfterCut writes that returned once the shutdown had begun
	 * @param lostAfterCut of those, how many the file does not hold
	 * @param temps temp files and directories found after the remount
	 * @param tempDirectories of those, the writeFile directories
	 * @param reaped what the reaper pass deleted
	 * @param violations what broke the level's promise or the reaper's
	 */
	record Cut(boolean judged, boolean real, boolean busy, List<Outcome> outcomes, List<String> notWhole,
			int returnedAfterCut, int lostAfterCut, int temps, int tempDirectories, long reaped,
			List<String> violations) {

		/** A cut whose file system could not be mounted again fresh. */
		static final Cut NOT_JUDGED = new Cut(false, false, false, List.of(), List.of(), 0, 0, 0, 0, 0, List.of());

	}

}
