package dev.atomicfile.sample;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What the store knows of a document besides its bytes, kept in a sidecar JSON file next to it
 * and committed together with it: {@code {"size":5,"sha256":"<64 hex digits>","contentType":"text/plain"}}.
 * The store writes and reads only this exact form (no JSON library, so the sample builds the same
 * on every Boot line); anything else in a sidecar reads as no metadata.
 *
 * @param size the document's size in bytes
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 * @param contentType its media type as the uploader declared it, normalised
 */
public record DocumentMetadata(long size, String sha256, String contentType) {

	private static final Pattern FORM = Pattern
		.compile("\\{\"size\":(\\d{1,19}),\"sha256\":\"([0-9a-f]{64})\",\"contentType\":\"((?:[^\"\\\\]|\\\\.)*)\"}\n?");

	/** Checks the fields. */
	public DocumentMetadata {
		Objects.requireNonNull(sha256, "sha256");
		Objects.requireNonNull(contentType, "contentType");
		if (size < 0 || !sha256.matches("[0-9a-f]{64}")) {
			throw new IllegalArgumentException("size " + size + ", sha256 " + sha256);
		}
	}

	/** The SHA-256 as bytes. */
	byte[] sha256Bytes() {
		return HexFormat.of().parseHex(this.sha256);
	}

	/** The sidecar's content. */
	String toJson() {
		return "{\"size\":" + this.size + ",\"sha256\":\"" + this.sha256 + "\",\"contentType\":\""
				+ escape(this.contentType) + "\"}\n";
	}

	/** The metadata a sidecar holds, or {@code null} when it is not in the form {@link #toJson()} writes. */
	static @Nullable DocumentMetadata parse(String json) {
		Matcher matcher = FORM.matcher(json);
		if (!matcher.matches()) {
			return null;
		}
		try {
			return new DocumentMetadata(Long.parseLong(matcher.group(1)), matcher.group(2), unescape(matcher.group(3)));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Media types are ASCII; quotes and backslashes (in quoted parameters) are escaped, control characters refused. */
	private static String escape(String value) {
		StringBuilder escaped = new StringBuilder(value.length());
		for (char c : value.toCharArray()) {
			if (c < 0x20 || c > 0x7e) {
				throw new IllegalArgumentException("not a printable ASCII media type: " + value);
			}
			if (c == '"' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	private static String unescape(String value) {
		return value.replaceAll("\\\\(.)", "$1");
	}

}
