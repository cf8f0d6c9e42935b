package dev.atomicfile;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

/**
 * File names as the file system holds them. A name read from a directory listing may hold bytes
 * that are invalid in the JVM's file-name charset (a POSIX locale decodes everything but ASCII as
 * U+FFFD); its string form then no longer names the file, nor says how long the name is.
 * {@link Path#toUri()} keeps the raw bytes, percent-encoded.
 */
final class RawNames {

	private RawNames() {
	}

	/** Whether {@code name}, as the JVM decoded it, lost bytes it could not decode. */
	static boolean isUndecodable(String name) {
		return name.indexOf('\uFFFD') >= 0;
	}

	/** The length in bytes of {@code file}'s name as the file system holds it. */
	static int nameLength(Path file) {
		String name = String.valueOf(file.getFileName());
		if (!isUndecodable(name)) {
			return TempFileNames.utf8Length(name);
		}
		String rawPath = file.toUri().getRawPath();
		if (rawPath.endsWith("/")) {
			rawPath = rawPath.substring(0, rawPath.length() - 1);
		}
		return decode(rawPath.substring(rawPath.lastIndexOf('/') + 1)).length;
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

}
