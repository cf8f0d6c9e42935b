package dev.atomicfile.autoconfigure;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.atomicfile.Durability;
import dev.atomicfile.ReapReport;
import dev.atomicfile.RecoveryReport;
import dev.atomicfile.VolumeReport;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code atomicfile} actuator endpoint ({@code /actuator/atomicfile} once exposed): the
 * configured roots, the durability, per root the startup check's findings and the last reap's report
 * with its time, the last startup recovery, and the writes in flight. Its write operation reaps every
 * configured path now and returns what each pass found. It never recovers commits: a commit record
 * appears only when a process crashes, and where locks fail recovery cannot tell a commit in flight
 * from a dead one, so recovery runs at startup only.
 */
@Endpoint(id = "atomicfile")
public class AtomicFileEndpoint {

	private final AtomicFileRoots roots;

	private final Durability durability;

	private final ReapHistory history;

	private final ObjectProvider<VolumeStartupCheck> startupCheck;

	private final ObjectProvider<AtomicFileWriterActivity> activity;

	private final ObjectProvider<ConfiguredPathsReaper> reaper;

	/**
	 * Creates the endpoint.
	 * @param roots the configured roots
	 * @param durability the writer's durability
	 * @param history the last reaps and the startup recovery
	 * @param startupCheck the startup check, if there is one
	 * @param activity counts the writes in flight, if the writer is observed
	 * @param reaper reaps the configured paths, if reaping is on
	 */
	public AtomicFileEndpoint(AtomicFileRoots roots, Durability durability, ReapHistory history,
			ObjectProvider<VolumeStartupCheck> startupCheck, ObjectProvider<AtomicFileWriterActivity> activity,
			ObjectProvider<ConfiguredPathsReaper> reaper) {
		this.roots = Objects.requireNonNull(roots, "roots");
		this.durability = Objects.requireNonNull(durability, "durability");
		this.history = Objects.requireNonNull(history, "history");
		this.startupCheck = Objects.requireNonNull(startupCheck, "startupCheck");
		this.activity = Objects.requireNonNull(activity, "activity");
		this.reaper = Objects.requireNonNull(reaper, "reaper");
	}

	/**
	 * What the library knows about its roots now.
	 * @return the descriptor
	 */
	@ReadOperation
	public AtomicFileDescriptor atomicFile() {
		Map<String, RootDescriptor> roots = new LinkedHashMap<>();
		VolumeStartupCheck check = this.startupCheck.getIfAvailable();
		for (AtomicFileRoots.Root root : this.roots.getRoots()) {
			VolumeReport volume = (check != null) ? check.report(root.alias()).orElse(null) : null;
			roots.put(root.alias(),
					new RootDescriptor(root.path().toString(), (volume != null) ? VolumeDescriptor.of(volume) : null,
							this.history.lastReap(root.path())
								.map((recorded) -> ReapDescriptor.of(recorded.report(), recorded.finished()))
								.orElse(null)));
		}
		AtomicFileWriterActivity activity = this.activity.getIfAvailable();
		return new AtomicFileDescriptor(this.durability.name(), (activity != null) ? activity.inFlight() : null, roots,
				this.history.lastRecovery()
					.map((recorded) -> RecoveryDescriptor.of(recorded.report(), recorded.finished()))
					.orElse(null));
	}

	/**
	 * Reaps every configured path now, one after the other, as the periodic reaper would.
	 * @return each path's report, by path; empty when reaping is off
	 */
	@WriteOperation
	public ReapPassDescriptor reap() {
		ConfiguredPathsReaper reaper = this.reaper.getIfAvailable();
		if (reaper == null) {
			return new ReapPassDescriptor(false, Map.of());
		}
		reaper.reap();
		Map<String, ReapDescriptor> reports = new LinkedHashMap<>();
		for (java.nio.file.Path path : reaper.getPaths()) {
			this.history.lastReap(path)
				.ifPresent((recorded) -> reports.put(this.roots.aliasOf(path),
						ReapDescriptor.of(recorded.report(), recorded.finished())));
		}
		return new ReapPassDescriptor(true, reports);
	}

	/**
	 * What the read operation returns.
	 *
	 * @param durability the writer's durability: {@code NONE}, {@code FILE} or {@code FULL}
	 * @param writesInFlight the writes and commits under way, or {@code null} when not counted (no
	 * {@link AtomicFileWriterActivity} bean)
	 * @param roots each configured root by alias
	 * @param lastStartupRecovery the startup recovery's total, or {@code null} when it did not run
	 */
	public record AtomicFileDescriptor(String durability, @Nullable Integer writesInFlight,
			Map<String, RootDescriptor> roots, @Nullable RecoveryDescriptor lastStartupRecovery) {
	}

	/**
	 * One configured root.
	 *
	 * @param path its absolute path
	 * @param startupCheck what the startup check found, or {@code null} when it did not check it
	 * @param lastReap the last reap's report, or {@code null} when it was never reaped
	 */
	public record RootDescriptor(String path, @Nullable VolumeDescriptor startupCheck,
			@Nullable ReapDescriptor lastReap) {
	}

	/**
	 * What the startup check found at a root.
	 *
	 * @param writable a file could be created, written and fsynced
	 * @param atomicRename a file could be renamed atomically
	 * @param locks an fcntl lock could be taken
	 * @param directorySync the directory accepted an fsync
	 * @param problems what failed, with the errors
	 */
	public record VolumeDescriptor(boolean writable, boolean atomicRename, boolean locks, boolean directorySync,
			List<String> problems) {

		static VolumeDescriptor of(VolumeReport report) {
			return new VolumeDescriptor(report.writable(), report.atomicRename(), report.locks(),
					report.directorySync(), report.problems());
		}

	}

	/**
	 * One reap pass over one path.
	 *
	 * @param finished when it finished, ISO-8601
	 * @param pathExists whether the path existed
	 * @param scanned directory entries looked at
	 * @param reaped orphaned temp files and directories deleted
	 * @param bytesReclaimed their total size
	 * @param keptLive temp files kept because a live writer owns them
	 * @param keptYoung temp files kept because they are too young to judge
	 * @param failed entries that could not be read, judged or deleted
	 * @param interrupted whether the pass stopped early
	 * @param durationMillis how long it took
	 */
	public record ReapDescriptor(String finished, boolean pathExists, long scanned, long reaped, long bytesReclaimed,
			long keptLive, long keptYoung, long failed, boolean interrupted, long durationMillis) {

		static ReapDescriptor of(ReapReport report, Instant finished) {
			return new ReapDescriptor(finished.toString(), report.pathExists(), report.scanned(), report.reaped(),
					report.bytesReclaimed(), report.keptLive(), report.keptYoung(), report.failed(),
					report.interrupted(), report.duration().toMillis());
		}

	}

	/**
	 * The startup recovery of half-done commits, over all paths.
	 *
	 * @param finished when it finished, ISO-8601
	 * @param records commit records found
	 * @param completed commits completed
	 * @param rolledBack commits rolled back
	 * @param keptLive commits left to a live process
	 * @param failed records that could not be settled
	 * @param durationMillis how long it took
	 */
	public record RecoveryDescriptor(String finished, long records, long completed, long rolledBack, long keptLive,
			long failed, long durationMillis) {

		static RecoveryDescriptor of(RecoveryReport report, Instant finished) {
			return new RecoveryDescriptor(finished.toString(), report.records(), report.completed(),
					report.rolledBack(), report.keptLive(), report.failed(), report.duration().toMillis());
		}

	}

	/**
	 * What the write operation returns.
	 *
	 * @param reaped whether a pass ran ({@code false} when reaping is off)
	 * @param roots each reaped path's report, by root alias
	 */
	public record ReapPassDescriptor(boolean reaped, Map<String, ReapDescriptor> roots) {
	}

}
