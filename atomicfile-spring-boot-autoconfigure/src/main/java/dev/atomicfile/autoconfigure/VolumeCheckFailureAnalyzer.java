package dev.atomicfile.autoconfigure;

import java.util.Locale;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a root that failed the startup self-check: which root, which check failed with the
 * system's error, and what to do, instead of a stack trace.
 */
class VolumeCheckFailureAnalyzer extends AbstractFailureAnalyzer<VolumeCheckFailedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, VolumeCheckFailedException cause) {
		StringBuilder description = new StringBuilder(
				"Atomic file writes cannot keep their promise under the configured root(s) below:\n");
		for (VolumeCheckFailedException.Failure failure : cause.getFailures()) {
			description.append("\n    Root: '")
				.append(failure.alias())
				.append("' (")
				.append(failure.directory())
				.append(")\n    Failed: ")
				.append(names(failure))
				.append('\n');
			for (String problem : failure.problems()) {
				description.append("    - ").append(problem).append('\n');
			}
		}
		String action = "Point atomicfile.reaper.paths at a local, writable file system (ext4, xfs, btrfs, tmpfs, or "
				+ "NFS with a lock manager); if the volume is mounted read-only or its permissions refuse this "
				+ "user, fix the mount or the owner. To start anyway, with writes under that root failing, "
				+ "leave the check out of atomicfile.startup-check.fail-on (or set "
				+ "atomicfile.startup-check.enabled=false).";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private static String names(VolumeCheckFailedException.Failure failure) {
		return String.join(", ", failure.checks()
			.stream()
			.map((check) -> check.name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.toList());
	}

}
