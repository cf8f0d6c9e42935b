package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.atomicfile.CommitRecovery;
import dev.atomicfile.RecoveryReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the half-done commits under the configured paths ({@code atomicfile.reaper.paths}) once,
 * one path after the other: the pass that {@link StartupCommitRecovery} runs at startup, before
 * the startup reap. Replace this bean to recover other paths; the startup pass recovers yours.
 *
 * <p>A path whose recovery throws anything, {@link Error}s included, is logged at WARN and counted
 * as one failed record, and the other paths are recovered all the same: one bad directory must not
 * leave the commits in the others half done.
 */
public class ConfiguredPathsRecovery {

	private static final Logger logger = LoggerFactory.getLogger(ConfiguredPathsRecovery.class);

	private final CommitRecovery recovery;

	private final List<Path> paths;

	/**
	 * Creates a recovery of the given paths.
	 * @param recovery the recovery to run over each path
	 * @param paths the directories (their whole trees) or files (the records in their directories)
	 * to recover, in order
	 */
	public ConfiguredPathsRecovery(CommitRecovery recovery, List<Path> paths) {
		this.recovery = Objects.requireNonNull(recovery, "recovery");
		this.paths = List.copyOf(paths);
	}

	/**
	 * The recovery run over each path.
	 * @return the recovery
	 */
	public CommitRecovery getRecovery() {
		return this.recovery;
	}

	/**
	 * The paths each pass recovers.
	 * @return the paths, in order
	 */
	public List<Path> getPaths() {
		return this.paths;
	}

	/**
	 * Recovers every path once.
	 * @return what the pass did over all paths, added up, with the first path's path; empty when
	 * there is no path to recover
	 */
	public Optional<RecoveryReport> recover() {
		RecoveryReport total = null;
		for (Path path : this.paths) {
			RecoveryReport report = recover(path);
			total = (total != null) ? total.plus(report) : report;
		}
		return Optional.ofNullable(total);
	}

	private RecoveryReport recover(Path path) {
		try {
			// The startup logs one summary of all paths; the core's per-path summaries go to DEBUG.
			return this.recovery.recoverQuietly(path);
		}
		catch (Throwable ex) {
			// Errors included: a bug in one directory must not keep the others half done.
			logger.warn("Recovering the commits under {} failed", path, ex);
			return new RecoveryReport(path, true, 0, 0, 0, 0, 1, Duration.ZERO);
		}
	}

}
