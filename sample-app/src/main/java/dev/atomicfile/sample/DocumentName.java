package dev.atomicfile.sample;

import java.util.regex.Pattern;

/**
 * A checked document name: it can only ever name a file directly inside the data directory.
 *
 * <p>Allowed: 1 to 200 of {@code A-Z a-z 0-9 . _ -}, not starting with a dot (so no {@code .},
 * {@code ..} or hidden files). Refused as well: names in the writer's temp-file format, since the
 * reaper would delete such a document after a crash, and the listing would hide it.
 *
 * @param value the name, as checked
 */
public record DocumentName(String value) {

	private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

	/** The temp-file format of {@link dev.atomicfile.AtomicFileWriter}: {@code <name>.tmp.af-<pid>-<nonce>-<tid>-<seq>}. */
	private static final Pattern TEMP_FILE = Pattern.compile(".*\\.tmp\\.af-\\d{1,19}-[0-9a-f]{8}-\\d{1,19}-\\d{1,19}");

	/**
	 * Checks {@code value}.
	 * @throws InvalidDocumentNameException if it is not an allowed name
	 */
	public DocumentName {
		if (!isAllowed(value)) {
			throw new InvalidDocumentNameException(value);
		}
	}

	/** Whether {@code value} is an allowed document name. */
	static boolean isAllowed(String value) {
		return value != null && ALLOWED.matcher(value).matches() && !isTempFile(value);
	}

	/** Whether {@code fileName} is a temp file of the writer, live or orphaned. */
	static boolean isTempFile(String fileName) {
		return TEMP_FILE.matcher(fileName).matches();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
