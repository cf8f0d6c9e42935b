package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the reaper's settings before any bean uses them, so a mistake stops startup with a
 * clear report rather than surfacing later as a surprising deletion or none at all.
 */
final class AtomicFilePropertiesValidator {

	private static final Logger logger = LoggerFactory.getLogger(AtomicFilePropertiesValidator.class);

	private AtomicFilePropertiesValidator() {
	}

	static void validateAges(AtomicFileProperties.Reaper reaper) {
		requirePositive("atomicfile.reaper.max-age", reaper.getMaxAge());
		requirePositive("atomicfile.reaper.min-age", reaper.getMinAge());
		if (reaper.getMinAge().compareTo(reaper.getMaxAge()) > 0) {
			throw new InvalidAtomicFilePropertyException("atomicfile.reaper.min-age", reaper.getMinAge(),
					"it is longer than atomicfile.reaper.max-age (" + reaper.getMaxAge() + ")",
					"Set atomicfile.reaper.min-age to at most atomicfile.reaper.max-age: it is the short grace "
							+ "period for temp files of dead writers, max-age the long one for files of unknown owner.");
		}
	}

	static Duration validInterval(Duration interval) {
		requirePositive("atomicfile.reaper.interval", interval);
		return interval;
	}

	/** A missing path is fine (a first start creates it later); anything but a directory or file is not. */
	static void validatePaths(AtomicFileProperties.Reaper reaper) {
		for (Path path : reaper.getPaths()) {
			BasicFileAttributes attributes;
			try {
				attributes = Files.readAttributes(path, BasicFileAttributes.class);
			}
			catch (NoSuchFileException ex) {
				logger.warn("atomicfile.reaper.paths entry {} does not exist (yet); it will be reaped once it does", path);
				continue;
			}
			catch (IOException ex) {
				throw new InvalidAtomicFilePropertyException("atomicfile.reaper.paths", path,
						"it cannot be read: " + ex, "Make " + path + " readable by the application, or remove it.");
			}
			if (!attributes.isDirectory() && !attributes.isRegularFile()) {
				throw new InvalidAtomicFilePropertyException("atomicfile.reaper.paths", path,
						"it is neither a directory nor a regular file",
						"List directories whose temp files to reap, or files whose own temp siblings to reap.");
			}
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new InvalidAtomicFilePropertyException(property, value, "it must be longer than zero",
					"Set " + property + " to a positive duration, such as 10s or 1h.");
		}
	}

}
