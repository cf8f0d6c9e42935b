package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.atomicfile.ReapReport;
import dev.atomicfile.RecoveryReport;

/**
 * What the last passes found: per reaped path the last {@link ReapReport} and when it finished, and
 * the last startup recovery's {@link RecoveryReport}. {@link ConfiguredPathsReaper} records each
 * path's report when its pass finishes, {@link StartupCommitRecovery} the recovery's total; the
 * health indicator and the {@code atomicfile} endpoint read them.
 */
public class ReapHistory {

	private final Clock clock;

	private final Map<Path, Recorded<ReapReport>> reaps = new ConcurrentHashMap<>();

	private final AtomicReference<Recorded<RecoveryReport>> recovery = new AtomicReference<>();

	/** Creates an empty history on the system clock. */
	public ReapHistory() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates an empty history.
	 * @param clock tells when a pass finished
	 */
	public ReapHistory(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Records a finished reap of one path, replacing the one before.
	 * @param path the path as configured
	 * @param report what the pass did there
	 */
	public void reaped(Path path, ReapReport report) {
		this.reaps.put(key(path), new Recorded<>(report, this.clock.instant()));
	}

	/**
	 * Records a finished recovery pass, replacing the one before.
	 * @param report what it did over all paths
	 */
	public void recovered(RecoveryReport report) {
		this.recovery.set(new Recorded<>(report, this.clock.instant()));
	}

	/**
	 * The last reap of a path.
	 * @param path the path, as configured or normalized
	 * @return its last report and when it finished, or empty when it was never reaped
	 */
	public Optional<Recorded<ReapReport>> lastReap(Path path) {
		return Optional.ofNullable(this.reaps.get(key(path)));
	}

	/**
	 * The last recovery pass.
	 * @return its report and when it finished, or empty when none ran
	 */
	public Optional<Recorded<RecoveryReport>> lastRecovery() {
		return Optional.ofNullable(this.recovery.get());
	}

	private static Path key(Path path) {
		return path.toAbsolutePath().normalize();
	}

	/**
	 * A report and when its pass finished.
	 *
	 * @param <R> the report's type
	 * @param report the report
	 * @param finished when the pass finished
	 */
	public record Recorded<R>(R report, Instant finished) {

		/**
		 * Checks the parts.
		 * @param report the report
		 * @param finished when the pass finished
		 */
		public Recorded {
			Objects.requireNonNull(report, "report");
			Objects.requireNonNull(finished, "finished");
		}

	}

}
