package dev.atomicfile;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

/**
 * File names as the file system holds them. A name read from a directory listing may hold bytes
 * that are invalid in the JVM's file-name charset (a POSIX locale decodes everything but ASCII as
 * U+FFFD); its string form then names another file. {@link Path#toUri()} keeps the raw bytes,
 * percent-encoded, and {@link Path#of(java.net.URI)} turns them back into the same bytes.
 */
final class RawNames {

	private static final String UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

	private RawNames() {
	}

	/** Whether {@code file}'s name needs its raw bytes: its string form lost some. */
	static boolean isUndecodable(Path file) {
		return String.valueOf(file.getFileName()).indexOf('\uFFFD') >= 0;
	}

	/** The raw bytes of {@code file}'s name. */
	static byte[] nameOf(Path file) {
		String rawPath = rawPath(file);
		return decode(rawPath.substring(rawPath.lastIndexOf('/') + 1));
	}

	/** The sibling of {@code file} whose name is the raw bytes {@code base} followed by ASCII {@code suffix}. */
	static Path sibling(Path file, byte[] base, String suffix) {
		String rawPath = rawPath(file);
		String rawDirectory = rawPath.substring(0, rawPath.lastIndexOf('/') + 1);
		return Path.of(java.net.URI.create("file://" + rawDirectory + encode(base) + suffix));
	}

	/** Without the slash {@code toUri} appends when the path is an existing directory. */
	private static String rawPath(Path file) {
		String rawPath = file.toUri().getRawPath();
		return rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
	}

	private static byte[] decode(String percentEncoded) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(percentEncoded.length());
		for (int i = 0; i < percentEncoded.length(); i++) {
			char c = percentEncoded.charAt(i);
			if (c == '%' && i + 2 < percentEncoded.length()) {
				bytes.write(Integer.parseInt(percentEncoded, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		return bytes.toByteArray();
	}

	private static String encode(byte[] raw) {
		StringBuilder encoded = new StringBuilder(raw.length * 3);
		for (byte b : raw) {
			int unsigned = b & 0xFF;
			if (unsigned < 0x80 && UNRESERVED.indexOf(unsigned) >= 0) {
				encoded.append((char) unsigned);
			}
			else {
				encoded.append('%').append(Character.toUpperCase(Character.forDigit(unsigned >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(unsigned & 0xF, 16)));
			}
		}
		return encoded.toString();
	}

}
