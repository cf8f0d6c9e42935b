package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown at startup when a configured root failed a check of {@code atomicfile.startup-check.fail-on}:
 * atomic file writes cannot keep their promise there. {@link VolumeCheckFailureAnalyzer} turns it
 * into a report that names each root, what failed and what to do.
 */
public class VolumeCheckFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The failed roots; serialized as the message only. */
	private final transient List<Failure> failures;

	/**
	 * Creates a new exception.
	 * @param failures the roots that failed, at least one
	 */
	public VolumeCheckFailedException(List<Failure> failures) {
		super(failures.stream()
			.map((failure) -> "atomicfile root '" + failure.alias() + "' (" + failure.directory() + ") failed "
					+ failure.checks() + ": " + failure.problems())
			.collect(Collectors.joining("; ")));
		this.failures = List.copyOf(failures);
	}

	/**
	 * The roots that failed.
	 * @return each root with what failed there
	 */
	public List<Failure> getFailures() {
		return (this.failures != null) ? this.failures : List.of();
	}

	/**
	 * One root that failed.
	 *
	 * @param alias the root's alias
	 * @param directory the directory checked
	 * @param checks the checks in {@code fail-on} that failed
	 * @param problems what failed, with the errors
	 */
	public record Failure(String alias, Path directory, List<AtomicFileProperties.StartupCheck.Check> checks,
			List<String> problems) {

		/**
		 * Copies the lists.
		 * @param alias the root's alias
		 * @param directory the directory checked
		 * @param checks the checks that failed
		 * @param problems what failed
		 */
		public Failure {
			Objects.requireNonNull(alias, "alias");
			Objects.requireNonNull(directory, "directory");
			checks = List.copyOf(checks);
			problems = List.copyOf(problems);
		}

	}

}
