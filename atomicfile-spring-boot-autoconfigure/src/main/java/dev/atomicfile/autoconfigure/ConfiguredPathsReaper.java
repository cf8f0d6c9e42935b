package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.atomicfile.OrphanReaper;
import dev.atomicfile.ReapReport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaps the configured paths ({@code atomicfile.reaper.paths}) once, one after the other: the
 * pass that {@link OrphanReaperApplicationRunner} runs at startup and for its follow-ups, and that
 * {@link PeriodicOrphanReaper} runs every {@code interval}. Whoever runs a pass logs its one
 * summary line. Replace this bean to reap other paths (computed at runtime, say); the runner and
 * the schedule reap yours.
 *
 * <p>A path whose pass throws anything, {@link Error}s included, is logged at WARN and counted as
 * failed, and the other paths are reaped all the same. An interrupt ends the pass: the reaper
 * stops before its next entry, and no further path is begun.
 */
public class ConfiguredPathsReaper {

	private static final Logger logger = LoggerFactory.getLogger(ConfiguredPathsReaper.class);

	private final OrphanReaper reaper;

	private final List<Path> paths;

	private final ReapObserver observer;

	private final @Nullable ReapHistory history;

	/**
	 * Creates a reaper of the given paths.
	 * @param reaper the reaper to run over each path; its {@code minAge} and {@code maxAge} time the
	 * runner's follow-up passes
	 * @param paths the directories or files to reap, in order
	 */
	public ConfiguredPathsReaper(OrphanReaper reaper, List<Path> paths) {
		this(reaper, paths, null);
	}

	/**
	 * Creates a reaper of the given paths that records each path's report when its pass finishes.
	 * @param reaper the reaper to run over each path; its {@code minAge} and {@code maxAge} time the
	 * runner's follow-up passes
	 * @param paths the directories or files to reap, in order
	 * @param history where each finished path's report goes, or {@code null} for nowhere
	 */
	public ConfiguredPathsReaper(OrphanReaper reaper, List<Path> paths, @Nullable ReapHistory history) {
		this(reaper, paths, history, ReapObserver.NONE);
	}

	/** With each path's pass observed, as the auto-configuration creates it when Micrometer is there. */
	ConfiguredPathsReaper(OrphanReaper reaper, List<Path> paths, @Nullable ReapHistory history,
			ReapObserver observer) {
		this.reaper = Objects.requireNonNull(reaper, "reaper");
		this.paths = List.copyOf(paths);
		this.history = history;
		this.observer = Objects.requireNonNull(observer, "observer");
	}

	/**
	 * The reaper run over each path.
	 * @return the reaper
	 */
	public OrphanReaper getReaper() {
		return this.reaper;
	}

	/**
	 * The paths each pass reaps.
	 * @return the paths, in order
	 */
	public List<Path> getPaths() {
		return this.paths;
	}

	/**
	 * Reaps every path once.
	 * @return what the pass did over all paths: their reports added up with {@link ReapReport#plus},
	 * whose path is the first path's; empty when there is no path to reap
	 */
	public Optional<ReapReport> reap() {
		ReapReport total = null;
		for (Path path : this.paths) {
			ReapReport report = Thread.currentThread().isInterrupted() ? notBegun(path) : reap(path);
			if (this.history != null) {
				this.history.reaped(path, report);
			}
			total = (total != null) ? total.plus(report) : report;
			if (report.interrupted()) {
				break;
			}
		}
		return Optional.ofNullable(total);
	}

	private ReapReport reap(Path path) {
		try {
			return this.observer.observe(path, () -> this.reaper.reapQuietly(path));
		}
		catch (Throwable ex) {
			// Errors included: a bug in the reaper must not keep the other paths from being reaped.
			logger.warn("Reaping {} failed", path, ex);
			return new ReapReport(path, true, 0, 0, 0, 0, 1, 0, Duration.ZERO);
		}
	}

	/** The report of a pass that an interrupt ended before it began {@code path}. */
	private static ReapReport notBegun(Path path) {
		return new ReapReport(path, true, 0, 0, 0, 0, 0, 0, Duration.ZERO, true);
	}

}
