package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.atomicfile.ReapReport;
import dev.atomicfile.VolumeReport;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The health of each configured root, whatever the Spring Boot line: the {@code atomicFileHealthIndicator}
 * bean adapts it to the line's health API (Boot 3's {@code org.springframework.boot.actuate.health},
 * Boot 4's {@code org.springframework.boot.health.contributor}), one component per root alias.
 *
 * <p>Each probe is cheap: whether the root exists and the process may write there (an
 * {@code access(2)} check, which a read-only mount fails too), and its file system's free space against
 * the threshold. Nothing is written or fsynced per probe; whether atomic rename, fcntl locks and
 * directory fsync work there comes from the {@link VolumeStartupCheck}, when it ran. A root is
 * DOWN when it does not exist, cannot be written, has less free space than the threshold, or
 * failed the startup check's write or atomic rename; it stays UP without locks or directory fsync
 * (the details say so), and with failures in its last reap (the details count them).
 */
public class AtomicFileHealthIndicator {

	/** The status of a root that can be written. */
	public static final String UP = "UP";

	/** The status of a root that cannot be written. */
	public static final String DOWN = "DOWN";

	private final AtomicFileRoots roots;

	private final DataSize freeSpaceThreshold;

	private final @Nullable VolumeStartupCheck startupCheck;

	private final @Nullable ReapHistory history;

	/**
	 * Creates the indicator.
	 * @param roots the roots to report on
	 * @param freeSpaceThreshold free space below which a root is DOWN
	 * @param startupCheck the startup check whose results are reported, or {@code null}
	 * @param history the last reaps, or {@code null}
	 */
	public AtomicFileHealthIndicator(AtomicFileRoots roots, DataSize freeSpaceThreshold,
			@Nullable VolumeStartupCheck startupCheck, @Nullable ReapHistory history) {
		this.roots = Objects.requireNonNull(roots, "roots");
		this.freeSpaceThreshold = Objects.requireNonNull(freeSpaceThreshold, "freeSpaceThreshold");
		this.startupCheck = startupCheck;
		this.history = history;
	}

	/**
	 * The roots this indicator reports on.
	 * @return the roots
	 */
	public AtomicFileRoots getRoots() {
		return this.roots;
	}

	/**
	 * Probes one root.
	 * @param root the root
	 * @return its status and details
	 */
	public RootHealth health(AtomicFileRoots.Root root) {
		Map<String, Object> details = new LinkedHashMap<>();
		Path path = root.path();
		details.put("path", path.toString());
		boolean exists = Files.exists(path);
		boolean writable = exists && Files.isWritable(Files.isDirectory(path) ? path : parentOf(path));
		details.put("exists", exists);
		details.put("writable", writable);
		boolean enoughSpace = true;
		if (exists) {
			try {
				long free = Files.getFileStore(path).getUsableSpace();
				enoughSpace = free >= this.freeSpaceThreshold.toBytes();
				details.put("free", free);
			}
			catch (IOException ex) {
				details.put("free", "unknown: " + ex.getMessage());
			}
		}
		details.put("threshold", this.freeSpaceThreshold.toBytes());
		boolean checkPassed = true;
		VolumeReport report = (this.startupCheck != null) ? this.startupCheck.report(root.alias()).orElse(null) : null;
		if (report != null) {
			checkPassed = report.writable() && report.atomicRename();
			details.put("atomicRename", report.atomicRename());
			details.put("locks", report.locks());
			details.put("directorySync", report.directorySync());
			if (!report.problems().isEmpty()) {
				details.put("startupCheckProblems", report.problems());
			}
		}
		else {
			details.put("startupCheck", "not run");
		}
		ReapHistory.Recorded<ReapReport> lastReap = (this.history != null) ? this.history.lastReap(path).orElse(null)
				: null;
		if (lastReap != null) {
			details.put("lastReap", lastReap.finished().toString());
			details.put("lastReapFailures", lastReap.report().failed());
		}
		boolean up = exists && writable && enoughSpace && checkPassed;
		return new RootHealth(up ? UP : DOWN, details);
	}

	private static Path parentOf(Path file) {
		Path parent = file.getParent();
		return (parent != null) ? parent : file;
	}

	/**
	 * The health of one root.
	 *
	 * @param status {@link #UP} or {@link #DOWN}
	 * @param details what was found, by name
	 */
	public record RootHealth(String status, Map<String, Object> details) {

		/**
		 * Copies the details, keeping their order.
		 * @param status the status
		 * @param details the details
		 */
		public RootHealth {
			Objects.requireNonNull(status, "status");
			details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
		}

	}

}
