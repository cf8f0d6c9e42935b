package dev.atomicfile.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;

/**
 * Thrown at startup when an {@code atomicfile.*} property has a value the library cannot work
 * with; {@link InvalidAtomicFilePropertyFailureAnalyzer} turns it into a report that quotes the
 * value as written, says where it came from and what to write instead.
 *
 * @serial exclude its {@link Origin} is not serializable: it has no serialized form
 */
public class InvalidAtomicFilePropertyException extends RuntimeException {

	private final String property;

	private final @Nullable Object value;

	private final @Nullable Origin origin;

	private final String reason;

	private final String action;

	/**
	 * Creates a new exception.
	 * @param property the full property name, such as {@code atomicfile.reaper.max-age}
	 * @param value the offending value, as the user wrote it where it is known
	 * @param origin where the value came from (a file and line, an environment variable, the
	 * command line), or {@code null} when unknown
	 * @param reason why the value is invalid
	 * @param action what to write instead
	 */
	public InvalidAtomicFilePropertyException(String property, @Nullable Object value, @Nullable Origin origin,
			String reason, String action) {
		super("Invalid value '" + value + "' for property '" + property + "'"
				+ ((origin != null) ? " (from " + origin + ")" : "") + ": " + reason);
		this.property = property;
		this.value = value;
		this.origin = origin;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Creates a new exception for a value of unknown origin.
	 * @param property the full property name, such as {@code atomicfile.reaper.max-age}
	 * @param value the offending value
	 * @param reason why the value is invalid
	 * @param action what to write instead
	 */
	public InvalidAtomicFilePropertyException(String property, Object value, String reason, String action) {
		this(property, value, null, reason, action);
	}

	/**
	 * The full name of the offending property.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The offending value, as written where known.
	 * @return the value
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * Where the value came from.
	 * @return the origin, or {@code null} when unknown
	 */
	public @Nullable Origin getOrigin() {
		return this.origin;
	}

	/**
	 * Why the value is invalid.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * What the user should write instead.
	 * @return the suggested action
	 */
	public String getAction() {
		return this.action;
	}

}
