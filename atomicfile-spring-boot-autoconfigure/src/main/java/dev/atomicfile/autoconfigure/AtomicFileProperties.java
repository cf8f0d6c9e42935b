package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.atomicfile.Durability;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for atomic file writes.
 *
 * @see AtomicFileAutoConfiguration
 */
@ConfigurationProperties("atomicfile")
public class AtomicFileProperties {

	/**
	 * Whether to auto-configure the atomic file writer, the orphan reaper and their metrics.
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

	private final Reaper reaper = new Reaper();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Durability getDurability() {
		return this.durability;
	}

	public void setDurability(Durability durability) {
		this.durability = durability;
	}

	public boolean isPreservePermissions() {
		return this.preservePermissions;
	}

	public void setPreservePermissions(boolean preservePermissions) {
		this.preservePermissions = preservePermissions;
	}

	public boolean isPreserveOwnership() {
		return this.preserveOwnership;
	}

	public void setPreserveOwnership(boolean preserveOwnership) {
		this.preserveOwnership = preserveOwnership;
	}

	public boolean isFollowLinks() {
		return this.followLinks;
	}

	public void setFollowLinks(boolean followLinks) {
		this.followLinks = followLinks;
	}

	public Reaper getReaper() {
		return this.reaper;
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

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<Path> getPaths() {
			return this.paths;
		}

		public void setPaths(List<Path> paths) {
			this.paths = paths;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		public Duration getMinAge() {
			return this.minAge;
		}

		public void setMinAge(Duration minAge) {
			this.minAge = minAge;
		}

		public boolean isRecursive() {
			return this.recursive;
		}

		public void setRecursive(boolean recursive) {
			this.recursive = recursive;
		}

		public List<String> getExtraPatterns() {
			return this.extraPatterns;
		}

		public void setExtraPatterns(List<String> extraPatterns) {
			this.extraPatterns = extraPatterns;
		}

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

	}

}
