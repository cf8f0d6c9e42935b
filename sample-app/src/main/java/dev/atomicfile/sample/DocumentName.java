package dev.atomicfile.sample;

import java.util.regex.Pattern;

/**
 * A syntactically checked document name: it can only ever name a file directly inside the data
 * directory.
 *
 * <p>Allowed: 1 to 200 of {@code A-Z a-z 0-9 . _ -}, not starting with a dot (so no {@code .},
 * {@code ..} or hidden files). Names the configured reaper would delete are refused too, by
 * {@link DocumentStore}, which asks the reaper.
 *
 * @param value the name, as checked
 */
public record DocumentName(String value) {

	private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

	/**
	 * Checks {@code value}.
	 * @throws InvalidDocumentNameException if it is not an allowed name
	 */
	public DocumentName {
		if (!isAllowed(value)) {
			throw new InvalidDocumentNameException(value);
		}
	}

	/** Whether {@code value} is an allowed document name, as far as its characters go. */
	static boolean isAllowed(String value) {
		return value != null && ALLOWED.matcher(value).matches();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
