package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.atomicfile.Durability;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for atomic file writes.
 *
 * @see AtomicFileAutoConfiguration
 */
@ConfigurationProperties("atomicfile")
public class AtomicFileProperties {

	/**
	 * Whether to auto-configure the atomic file writer, the orphan reaper, the commit recovery and
	 * their metrics.
	 */
	private boolean enabled = true;

	/**
	 * How much of each write must reach stable storage before it returns: 'none' survives
	 * process crashes only, 'file' also power cuts without losing the old content, 'full' also
	 * makes the new content itself survive a power cut.
	 */
	private Durability durability = Durability.FULL;

	/**
	 * Whether a replaced file keeps the permission bits of the file it replaces.
	 */
	private boolean preservePermissions = true;

	/**
	 * Whether a replaced file keeps the owner and group of the file it replaces, where the process
	 * may set them (root or CAP_CHOWN); elsewhere they are skipped quietly.
	 */
	private boolean preserveOwnership = true;

	/**
	 * Whether a target that is a symbolic link is written through, replacing the file it points
	 * to (like Files.write); when false the link itself is replaced by the new file and the file
	 * behind it is never touched.
	 */
	private boolean followLinks = true;

	/**
	 * How many files of one commit are fsynced at once, at least 1; when unset, the core's
	 * default: min(128, max(16, 2 * available processors)).
	 */
	private @Nullable Integer fsyncParallelism;

	/**
	 * Permissions of the files the writer creates, exactly, whatever the umask, such as
	 * "rw-------" or "rw-r-----"; when unset, a new file gets the mode Files.write would give it.
	 */
	private @Nullable String newFilePermissions;

	/**
	 * Whether writes to one path wait for each other, in arrival order; when false, each write is
	 * atomic and the last rename wins.
	 */
	private boolean serializeWrites;

	private final Reaper reaper = new Reaper();

	private final Recovery recovery = new Recovery();

	private final Health health = new Health();

	private final StartupCheck startupCheck = new StartupCheck();

	/** Creates the properties with their defaults; Spring Boot binds {@code atomicfile.*} onto them. */
	public AtomicFileProperties() {
	}

	/**
	 * {@return whether to auto-configure the atomic file writer, the orphan reaper and their metrics;
	 * default {@code true}}
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether to auto-configure the atomic file writer, the orphan reaper and their metrics.
	 * @param enabled whether to auto-configure them
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * {@return how much of each write must reach stable storage before it returns; default
	 * {@link Durability#FULL}}
	 */
	public Durability getDurability() {
		return this.durability;
	}

	/**
	 * Sets how much of each write must reach stable storage before it returns.
	 * @param durability the durability level
	 */
	public void setDurability(Durability durability) {
		this.durability = durability;
	}

	/**
	 * {@return whether a replaced file keeps the permission bits of the file it replaces;
	 * default {@code true}}
	 */
	public boolean isPreservePermissions() {
		return this.preservePermissions;
	}

	/**
	 * Sets whether a replaced file keeps the permission bits of the file it replaces.
	 * @param preservePermissions whether to keep them
	 */
	public void setPreservePermissions(boolean preservePermissions) {
		this.preservePermissions = preservePermissions;
	}

	/**
	 * {@return whether a replaced file keeps the owner and group of the file it replaces, where the process
	 * may set them; default {@code true}}
	 */
	public boolean isPreserveOwnership() {
		return this.preserveOwnership;
	}

	/**
	 * Sets whether a replaced file keeps the owner and group of the file it replaces.
	 * @param preserveOwnership whether to keep them
	 */
	public void setPreserveOwnership(boolean preserveOwnership) {
		this.preserveOwnership = preserveOwnership;
	}

	/** {@return whether a target that is a symbolic link is written through; default {@code true}} */
	public boolean isFollowLinks() {
		return this.followLinks;
	}

	/**
	 * Sets whether a target that is a symbolic link is written through.
	 * @param followLinks whether to write through links
	 */
	public void setFollowLinks(boolean followLinks) {
		this.followLinks = followLinks;
	}

	/**
	 * {@return how many files of one commit are fsynced at once, or {@code null} for the core's
	 * default, {@link dev.atomicfile.AtomicFileWriter.Builder#DEFAULT_FSYNC_PARALLELISM}}
	 */
	public @Nullable Integer getFsyncParallelism() {
		return this.fsyncParallelism;
	}

	/**
	 * Sets how many files of one commit are fsynced at once.
	 * @param fsyncParallelism at least 1, or {@code null} for the core's default
	 */
	public void setFsyncParallelism(@Nullable Integer fsyncParallelism) {
		this.fsyncParallelism = fsyncParallelism;
	}

	/**
	 * {@return the permissions of new files, such as {@code rw-------}, or {@code null} for the mode
	 * {@code Files.write} would give}
	 */
	public @Nullable String getNewFilePermissions() {
		return this.newFilePermissions;
	}

	/**
	 * Sets the permissions of the files the writer creates.
	 * @param newFilePermissions nine characters as {@code ls -l} shows them, or {@code null}
	 */
	public void setNewFilePermissions(@Nullable String newFilePermissions) {
		this.newFilePermissions = newFilePermissions;
	}

	/** {@return whether writes to one path wait for each other; default {@code false}} */
	public boolean isSerializeWrites() {
		return this.serializeWrites;
	}

	/**
	 * Sets whether writes to one path wait for each other.
	 * @param serializeWrites whether they do
	 */
	public void setSerializeWrites(boolean serializeWrites) {
		this.serializeWrites = serializeWrites;
	}

	/** {@return the reaping settings, {@code atomicfile.reaper.*}} */
	public Reaper getReaper() {
		return this.reaper;
	}

	/** {@return the startup recovery settings, {@code atomicfile.recovery.*}} */
	public Recovery getRecovery() {
		return this.recovery;
	}

	/** {@return the health indicator settings, {@code atomicfile.health.*}} */
	public Health getHealth() {
		return this.health;
	}

	/** {@return the startup self-check settings, {@code atomicfile.startup-check.*}} */
	public StartupCheck getStartupCheck() {
		return this.startupCheck;
	}

	/**
	 * Recovery, at startup, of the multi-file commits that crashed processes left half done.
	 */
	public static class Recovery {

		/**
		 * Whether to complete or roll back, at startup and before any reaping, the commits that
		 * crashed processes left half done under atomicfile.reaper.paths, even when reaping is
		 * disabled.
		 */
		private boolean enabled = true;

		/** Creates the recovery settings with their defaults. */
		public Recovery() {
		}

		/**
		 * {@return whether to settle half-done commits under the configured paths at startup;
		 * default {@code true}}
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether to settle half-done commits under the configured paths at startup.
		 * @param enabled whether to recover at startup
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Reaping of the temp files that writers killed mid-write left behind.
	 */
	public static class Reaper {

		/**
		 * Whether to reap orphaned temp files under the configured paths at startup.
		 */
		private boolean enabled = true;

		/**
		 * Directories (their temp files) or files (their own temp siblings) to reap.
		 */
		private List<Path> paths = new ArrayList<>();

		/**
		 * Age after which a temp file whose ownership cannot be determined, or one matching only
		 * an extra pattern, is reaped.
		 */
		private Duration maxAge = Duration.ofHours(1);

		/**
		 * Grace period before the temp file of a provably dead writer is reaped.
		 */
		private Duration minAge = Duration.ofSeconds(10);

		/**
		 * Whether to reap the subdirectories of configured directories too.
		 */
		private boolean recursive;

		/**
		 * Glob patterns, matched against file names, of legacy or foreign temp files to reap once
		 * they are older than max-age.
		 */
		private List<String> extraPatterns = new ArrayList<>();

		/**
		 * Interval at which to reap again while the application runs; when unset, reaping happens
		 * at startup only.
		 */
		private @Nullable Duration interval;

		/** Creates the reaping settings with their defaults. */
		public Reaper() {
		}

		/**
		 * {@return whether to reap orphaned temp files under the configured paths at startup;
		 * default {@code true}}
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether to reap orphaned temp files under the configured paths at startup.
		 * @param enabled whether to reap at startup
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return the directories (their temp files) or files (their own temp siblings) to reap} */
		public List<Path> getPaths() {
			return this.paths;
		}

		/**
		 * Sets the directories or files to reap.
		 * @param paths the paths
		 */
		public void setPaths(List<Path> paths) {
			this.paths = paths;
		}

		/**
		 * {@return the age after which a temp file of unknown ownership, or an extra-pattern match, is
		 * reaped; default 1 hour}
		 */
		public Duration getMaxAge() {
			return this.maxAge;
		}

		/**
		 * Sets the age after which a temp file of unknown ownership, or an extra-pattern match, is reaped.
		 * @param maxAge the maximum age
		 */
		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		/**
		 * {@return the grace period before the temp file of a provably dead writer is reaped; default 10
		 * seconds}
		 */
		public Duration getMinAge() {
			return this.minAge;
		}

		/**
		 * Sets the grace period before the temp file of a provably dead writer is reaped.
		 * @param minAge the minimum age
		 */
		public void setMinAge(Duration minAge) {
			this.minAge = minAge;
		}

		/** {@return whether to reap the subdirectories of configured directories too; default {@code false}} */
		public boolean isRecursive() {
			return this.recursive;
		}

		/**
		 * Sets whether to reap the subdirectories of configured directories too.
		 * @param recursive whether to reap subdirectories
		 */
		public void setRecursive(boolean recursive) {
			this.recursive = recursive;
		}

		/** {@return the glob patterns, matched against file names, of legacy or foreign temp files to reap} */
		public List<String> getExtraPatterns() {
			return this.extraPatterns;
		}

		/**
		 * Sets the glob patterns of legacy or foreign temp files to reap.
		 * @param extraPatterns the patterns
		 */
		public void setExtraPatterns(List<String> extraPatterns) {
			this.extraPatterns = extraPatterns;
		}

		/**
		 * {@return the interval at which to reap again while the application runs, or {@code null} to reap
		 * at startup only}
		 */
		public @Nullable Duration getInterval() {
			return this.interval;
		}

		/**
		 * Sets the interval at which to reap again while the application runs.
		 * @param interval the interval, or {@code null} to reap at startup only
		 */
		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * The {@code atomicfile} health indicator (switched on and off by
	 * {@code management.health.atomicfile.enabled}).
	 */
	public static class Health {

		/**
		 * Free space below which a root is reported DOWN: a write there would likely fail with no
		 * space left on device.
		 */
		private DataSize freeSpaceThreshold = DataSize.ofMegabytes(10);

		/** Creates the health settings with their defaults. */
		public Health() {
		}

		/** {@return the free space below which a root is reported DOWN; default 10MB} */
		public DataSize getFreeSpaceThreshold() {
			return this.freeSpaceThreshold;
		}

		/**
		 * Sets the free space below which a root is reported DOWN.
		 * @param freeSpaceThreshold the threshold
		 */
		public void setFreeSpaceThreshold(DataSize freeSpaceThreshold) {
			this.freeSpaceThreshold = freeSpaceThreshold;
		}

	}

	/**
	 * The check, at startup, that each configured root can keep the writer's promises, by doing
	 * each thing for real once.
	 */
	public static class StartupCheck {

		/**
		 * Whether to check each root at startup, before commit recovery and reaping: create, write
		 * and fsync a file, rename it atomically, lock it, and fsync the directory.
		 */
		private boolean enabled = true;

		/**
		 * The checks whose failure stops startup; the others only log a warning. The default stops
		 * on a root where no file can be written or renamed atomically, since no write there could
		 * keep its promise.
		 */
		private Set<Check> failOn = EnumSet.of(Check.WRITABLE, Check.ATOMIC_RENAME);

		/** Creates the startup check settings with their defaults. */
		public StartupCheck() {
		}

		/** {@return whether to check each root at startup; default {@code true}} */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether to check each root at startup.
		 * @param enabled whether to check
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return the checks whose failure stops startup; default writable and atomic-rename} */
		public Set<Check> getFailOn() {
			return this.failOn;
		}

		/**
		 * Sets the checks whose failure stops startup.
		 * @param failOn the checks; empty to only warn
		 */
		public void setFailOn(Set<Check> failOn) {
			this.failOn = failOn;
		}

		/**
		 * One check of {@link dev.atomicfile.VolumeCheck}.
		 */
		public enum Check {

			/** A file can be created, written and fsynced in the root. */
			WRITABLE,

			/** A file can be renamed there with {@code ATOMIC_MOVE}. */
			ATOMIC_RENAME,

			/**
			 * An fcntl lock can be taken there; without, reapers judge temp files by max-age alone
			 * and commit recovery cannot tell a live commit from a dead one.
			 */
			LOCKS,

			/**
			 * The directory accepts an fsync; without, {@code durability=full} cannot hold (checked
			 * only when it is the durability).
			 */
			DIRECTORY_SYNC

		}

	}

}
