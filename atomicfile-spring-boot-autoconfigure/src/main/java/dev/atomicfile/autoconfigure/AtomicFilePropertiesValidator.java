package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;

/**
 * Checks the writer's and the reaper's settings where they are used, so that a mistake stops startup with a report
 * that quotes the value as the user wrote it and where (file, environment, command line), rather
 * than a stack trace, a surprising deletion or none at all.
 */
final class AtomicFilePropertiesValidator {

	/** Shorter intervals make the reaper a busy loop over the file system. */
	static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

	static final String DURATION_EXAMPLES = "a duration such as 10s, 15m or 1h (or ISO-8601: PT15M)";

	private static final Logger logger = LoggerFactory.getLogger(AtomicFilePropertiesValidator.class);

	private final Environment environment;

	AtomicFilePropertiesValidator(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Positive ages are this module's rule (zero is for tests); that {@code min-age} is at most
	 * {@code max-age} is the core's, asked of {@link OrphanReaper.Builder#build()} and reported
	 * against the properties.
	 */
	void validateAges(AtomicFileProperties.Reaper reaper) {
		requirePositive("atomicfile.reaper.max-age", reaper.getMaxAge());
		requirePositive("atomicfile.reaper.min-age", reaper.getMinAge());
		try {
			OrphanReaper.builder().maxAge(reaper.getMaxAge()).minAge(reaper.getMinAge()).build();
		}
		catch (IllegalArgumentException ex) {
			// Both ages are positive: what the builder still refuses is their order.
			throw written("atomicfile.reaper.min-age").invalid(reaper.getMinAge(),
					"it is longer than atomicfile.reaper.max-age (" + reaper.getMaxAge() + ")",
					"Set atomicfile.reaper.min-age to at most atomicfile.reaper.max-age: it is the short grace "
							+ "period for temp files of dead writers, max-age the long one for files of unknown owner.");
		}
	}

	/**
	 * The core refuses fewer than one concurrent fsync; reported against the property, with the
	 * default a user gets by removing it.
	 */
	@Nullable Integer fsyncParallelism(AtomicFileProperties properties) {
		Integer parallelism = properties.getFsyncParallelism();
		String property = "atomicfile.fsync-parallelism";
		if (parallelism != null && parallelism < 1) {
			throw written(property).invalid(parallelism, "it must be at least 1",
					"Set " + property + " to how many files of one commit may be fsynced at once, at least 1, "
							+ "or remove it for the default (" + AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM
							+ " on this machine: 2 per processor, at least 16, at most 128).");
		}
		return parallelism;
	}

	/** The permissions of new files, or {@code null} when the property is not set. */
	@Nullable Set<PosixFilePermission> newFilePermissions(AtomicFileProperties properties) {
		String permissions = properties.getNewFilePermissions();
		String property = "atomicfile.new-file-permissions";
		if (permissions == null) {
			return null;
		}
		try {
			return PosixFilePermissions.fromString(permissions);
		}
		catch (IllegalArgumentException ex) {
			throw written(property).invalid(permissions, "it is not nine characters of r, w, x or -",
					"Set " + property + " as ls -l shows permissions, such as rw------- (0600) or rw-r----- (0640), "
							+ "or remove it for the mode Files.write gives.");
		}
	}

	/** The interval, when the property is present (possibly empty). */
	Duration interval(AtomicFileProperties.Reaper reaper) {
		Duration interval = reaper.getInterval();
		String property = "atomicfile.reaper.interval";
		if (interval == null) {
			throw written(property).invalid("", "it is empty",
					"Set " + property + " to " + DURATION_EXAMPLES + ", or remove it to reap at startup only.");
		}
		if (interval.compareTo(MIN_INTERVAL) < 0) {
			throw written(property).invalid(interval,
					(interval.isZero() || interval.isNegative()) ? "it must be longer than zero"
							: "it is shorter than " + MIN_INTERVAL.toSeconds() + "s, which would make reaping a busy loop",
					"Set " + property + " to at least 1s, " + DURATION_EXAMPLES
							+ ", or remove it to reap at startup only.");
		}
		return interval;
	}

	void validateExtraPatterns(AtomicFileProperties.Reaper reaper) {
		List<String> patterns = reaper.getExtraPatterns();
		String property = "atomicfile.reaper.extra-patterns";
		for (int i = 0; i < patterns.size(); i++) {
			String pattern = patterns.get(i);
			WrittenProperty written = WrittenProperty.of(this.environment, property, i);
			String howToWriteOne = "Write each glob as its own list element: a YAML list item (- \"*.{tmp,bak}\"), "
					+ "or an index: " + property + "[0]=*.{tmp,bak} in a properties file or on the command line, "
					+ "ATOMICFILE_REAPER_EXTRAPATTERNS_0_ in the environment.";
			if (pattern == null || pattern.isBlank()) {
				throw written.invalid(String.valueOf(pattern), "element " + i + " is empty",
						"Remove the empty element. " + howToWriteOne);
			}
			if (pattern.contains("/")) {
				throw written.invalid(pattern, "'" + pattern + "' contains '/', but patterns match file names only",
						"Write a glob for the file name, such as *.tmp, and list the directory in "
								+ "atomicfile.reaper.paths.");
			}
			try {
				// The core's rule for a valid glob, asked of the builder.
				OrphanReaper.builder().extraPatterns(List.of(pattern)).build();
			}
			catch (IllegalArgumentException ex) {
				String description = (ex.getCause() instanceof PatternSyntaxException syntax) ? syntax.getDescription()
						: ex.getMessage();
				boolean split = written.value() instanceof String whole && !whole.equals(pattern)
						&& whole.contains("{") && whole.contains(",");
				throw written.invalid(pattern,
						split ? "Spring split it at its commas into separate globs, and '" + pattern
								+ "' is not a valid glob on its own (" + description + ")"
								: "'" + pattern + "' is not a valid glob: " + description,
						split ? howToWriteOne
								: "Write a glob as java.nio.file.FileSystem#getPathMatcher reads it: * ? [abc] {a,b}. "
										+ howToWriteOne);
			}
		}
	}

	/** A missing path is fine (a first start creates it later); an empty or unusable one is not. */
	void validatePaths(AtomicFileProperties.Reaper reaper) {
		validatePaths(reaper, true);
	}

	/**
	 * Checks the paths as {@link #validatePaths(AtomicFileProperties.Reaper)} does.
	 * @param warnMissing whether to warn of a missing path: the startup recovery checks the same
	 * paths as the reaper, and one warning is enough when both use them
	 */
	void validatePaths(AtomicFileProperties.Reaper reaper, boolean warnMissing) {
		List<Path> paths = reaper.getPaths();
		String property = "atomicfile.reaper.paths";
		for (int i = 0; i < paths.size(); i++) {
			Path path = paths.get(i);
			if (path == null || path.toString().isEmpty()) {
				throw WrittenProperty.of(this.environment, property, i)
					.invalid("", "element " + i + " is empty",
							"Remove the empty element: list directories (or files) separated by single commas, "
									+ "or as YAML list items that each have a value.");
			}
			BasicFileAttributes attributes;
			try {
				attributes = Files.readAttributes(path, BasicFileAttributes.class);
			}
			catch (NoSuchFileException ex) {
				if (!warnMissing) {
					continue;
				}
				logger.warn("atomicfile.reaper.paths entry {} does not exist (yet); it will be reaped once it does", path);
				continue;
			}
			catch (IOException ex) {
				throw WrittenProperty.of(this.environment, property, i)
					.invalid(path, path + " cannot be read: " + ex,
							"Make " + path + " readable by the application, or remove it.");
			}
			if (!attributes.isDirectory() && !attributes.isRegularFile()) {
				throw WrittenProperty.of(this.environment, property, i)
					.invalid(path, path + " is neither a directory nor a regular file",
							"List directories whose temp files to reap, or files whose own temp siblings to reap.");
			}
		}
	}

	private void requirePositive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw written(property).invalid(value, "it must be longer than zero",
					"Set " + property + " to a positive duration, " + DURATION_EXAMPLES + ".");
		}
	}

	private WrittenProperty written(String property) {
		return WrittenProperty.of(this.environment, property);
	}

}
