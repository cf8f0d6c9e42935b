package dev.atomicfile.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.atomicfile.Durability;
import dev.atomicfile.VolumeCheck;
import dev.atomicfile.VolumeReport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Checks, once at startup, that each configured root can keep the writer's promises, with
 * {@link VolumeCheck}: a file can be created, written and fsynced there, renamed atomically and
 * locked, and the directory fsynced. It runs as a {@link SmartLifecycle} in {@link #PHASE}, before
 * {@link StartupCommitRecovery}, the startup reap and the web server. A failed check in
 * {@code atomicfile.startup-check.fail-on} stops startup with a {@link VolumeCheckFailedException};
 * any other failed check logs a warning. A missing root is not checked (the reaper warns of it).
 * Directory fsync matters only for {@link Durability#FULL}: with another durability its failure is
 * logged at INFO and never stops startup.
 *
 * <p>The results stay for the health indicator and the endpoint: they report locks and directory
 * fsync as found here, since checking them for real on every probe would write and fsync each time.
 */
public class VolumeStartupCheck implements SmartLifecycle {

	/** The lifecycle phase: before {@link StartupCommitRecovery#PHASE}, so nothing touches a bad root first. */
	public static final int PHASE = StartupCommitRecovery.PHASE - 500;

	private static final Logger logger = LoggerFactory.getLogger(VolumeStartupCheck.class);

	private final AtomicFileRoots roots;

	private final Set<AtomicFileProperties.StartupCheck.Check> failOn;

	private final Durability durability;

	private final Map<String, VolumeReport> reports = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * Creates the check.
	 * @param roots the roots to check
	 * @param failOn the checks whose failure stops startup
	 * @param durability the writer's durability: directory fsync is checked for {@link Durability#FULL} only
	 */
	public VolumeStartupCheck(AtomicFileRoots roots, Set<AtomicFileProperties.StartupCheck.Check> failOn,
			Durability durability) {
		this.roots = Objects.requireNonNull(roots, "roots");
		this.failOn = failOn.isEmpty() ? EnumSet.noneOf(AtomicFileProperties.StartupCheck.Check.class)
				: EnumSet.copyOf(failOn);
		this.durability = Objects.requireNonNull(durability, "durability");
	}

	/**
	 * Checks every root that exists, once.
	 * @throws VolumeCheckFailedException when a check in {@code fail-on} failed at some root
	 */
	@Override
	public void start() {
		List<VolumeCheckFailedException.Failure> failures = new ArrayList<>();
		for (AtomicFileRoots.Root root : this.roots.getRoots()) {
			Path directory = directoryOf(root.path());
			if (directory == null) {
				logger.debug("Not checking atomicfile root '{}': {} does not exist", root.alias(), root.path());
				continue;
			}
			VolumeReport report = VolumeCheck.check(directory);
			synchronized (this.reports) {
				this.reports.put(root.alias(), report);
			}
			List<AtomicFileProperties.StartupCheck.Check> failed = failed(report);
			List<AtomicFileProperties.StartupCheck.Check> fatal = failed.stream().filter(this.failOn::contains).toList();
			if (!fatal.isEmpty()) {
				failures.add(new VolumeCheckFailedException.Failure(root.alias(), directory, fatal, report.problems()));
			}
			else if (!failed.isEmpty()) {
				logger.warn("atomicfile root '{}' ({}) failed the startup check of {}: {}", root.alias(), directory,
						failed, report.problems());
			}
			else if (!report.directorySync()) {
				logger.info("atomicfile root '{}' ({}) refuses directory fsync; harmless with durability {}",
						root.alias(), directory, this.durability);
			}
		}
		if (!failures.isEmpty()) {
			throw new VolumeCheckFailedException(failures);
		}
		this.running = true;
	}

	/** Which checks failed, directory fsync only when the durability needs it. */
	private List<AtomicFileProperties.StartupCheck.Check> failed(VolumeReport report) {
		List<AtomicFileProperties.StartupCheck.Check> failed = new ArrayList<>();
		if (!report.writable()) {
			failed.add(AtomicFileProperties.StartupCheck.Check.WRITABLE);
		}
		// A file that was never written was never renamed either: that is not a second problem.
		if (report.writable() && !report.atomicRename()) {
			failed.add(AtomicFileProperties.StartupCheck.Check.ATOMIC_RENAME);
		}
		if (report.writable() && !report.locks()) {
			failed.add(AtomicFileProperties.StartupCheck.Check.LOCKS);
		}
		if (!report.directorySync() && this.durability == Durability.FULL) {
			failed.add(AtomicFileProperties.StartupCheck.Check.DIRECTORY_SYNC);
		}
		return failed;
	}

	/** A directory root itself, a file root's directory; {@code null} when it does not exist. */
	private static @Nullable Path directoryOf(Path root) {
		if (Files.isDirectory(root)) {
			return root;
		}
		Path parent = root.getParent();
		return (Files.exists(root) && parent != null && Files.isDirectory(parent)) ? parent : null;
	}

	/**
	 * What the startup check found at a root.
	 * @param alias the root's alias
	 * @return the report, or empty when the root was not checked (it did not exist, or the check has
	 * not run yet)
	 */
	public Optional<VolumeReport> report(String alias) {
		synchronized (this.reports) {
			return Optional.ofNullable(this.reports.get(alias));
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
