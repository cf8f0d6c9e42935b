package dev.atomicfile.autoconfigure;

/**
 * Thrown at startup when an {@code atomicfile.*} property has a value the library cannot work
 * with; {@link InvalidAtomicFilePropertyFailureAnalyzer} turns it into a clear report.
 */
public class InvalidAtomicFilePropertyException extends RuntimeException {

	private final String property;

	private final Object value;

	private final String action;

	/**
	 * Creates a new exception.
	 * @param property the full property name, such as {@code atomicfile.reaper.max-age}
	 * @param value the offending value
	 * @param reason why the value is invalid
	 * @param action what to change
	 */
	public InvalidAtomicFilePropertyException(String property, Object value, String reason, String action) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	/**
	 * The full name of the offending property.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The offending value.
	 * @return the value
	 */
	public Object getValue() {
		return this.value;
	}

	/**
	 * What the user should change.
	 * @return the suggested action
	 */
	public String getAction() {
		return this.action;
	}

}
