package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A commit record read by the test's own parser of the format DESIGN-11 fixes, independent of the
 * library's: so that a record the library writes is checked against the contract, and so that
 * tests can find the temps a record names.
 *
 * @param file the record
 * @param header the first line's fields
 * @param id the {@code id} line's value
 * @param replicas the {@code replica} lines, relative to the record's directory
 * @param entries the {@code entry} lines
 * @param endChecksum the {@code end} line's checksum
 * @param checksumOfPreceding the CRC32C of every byte before the {@code end} line
 * @param afterEnd what follows the {@code end} line's fields
 */
record CommitRecordFile(Path file, List<String> header, String id, List<String> replicas, List<Entry> entries,
		long endChecksum, long checksumOfPreceding, String afterEnd) {

	/**
	 * One staged file.
	 *
	 * @param target the target, relative to the record's directory
	 * @param temp its temp: relative to the record's directory (DESIGN-11), or a bare name beside
	 * the target (the implementation)
	 * @param size the temp's size
	 * @param crc the CRC32C of the temp's content (DESIGN-11), or {@code null} when the line has none
	 */
	record Entry(String target, String temp, long size, Long crc) {
	}

	static CommitRecordFile read(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		String text = new String(bytes, StandardCharsets.UTF_8);
		int end = text.lastIndexOf("\nend\t");
		if (end < 0) {
			throw new IOException("No end line in " + file + ": " + text);
		}
		int preceding = text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, preceding);
		String[] endFields = text.substring(end + 1).split("\t", -1);
		String endValue = endFields[1];
		String afterEnd = "";
		int newline = endValue.indexOf('\n');
		if (newline >= 0) {
			afterEnd = endValue.substring(newline);
			endValue = endValue.substring(0, newline);
		}
		List<String> header = null;
		String id = null;
		List<String> replicas = new ArrayList<>();
		List<Entry> entries = new ArrayList<>();
		for (String line : text.substring(0, end).split("\n", -1)) {
			List<String> fields = Arrays.stream(line.split("\t", -1)).map(CommitRecordFile::unescape).toList();
			if (header == null) {
				header = fields;
				continue;
			}
			switch (fields.get(0)) {
				case "id" -> id = fields.get(1);
				case "replica" -> replicas.add(fields.get(1));
				case "entry" -> entries.add(new Entry(fields.get(1), fields.get(2), Long.parseLong(fields.get(3)),
						(fields.size() > 4) ? Long.valueOf(Long.parseLong(fields.get(4), 16)) : null));
				default -> throw new IOException("Unknown line in " + file + ": " + line);
			}
		}
		return new CommitRecordFile(file, header, id, replicas, entries, Long.parseLong(endValue, 16),
				crc.getValue(), afterEnd);
	}

	/** The record's directory. */
	Path directory() {
		return this.file.getParent();
	}

	/** Every target, resolved against the record's directory and normalised. */
	List<Path> targets() {
		return this.entries.stream().map((entry) -> directory().resolve(entry.target()).normalize()).toList();
	}

	/** Every temp: a bare name beside its target, a path against the record's directory. */
	List<Path> temps() {
		return this.entries.stream().map(this::temp).toList();
	}

	Path temp(Entry entry) {
		Path target = directory().resolve(entry.target()).normalize();
		return entry.temp().contains("/") ? directory().resolve(entry.temp()).normalize()
				: target.resolveSibling(entry.temp());
	}

	/** Every replica, resolved against the record's directory and normalised. */
	List<Path> replicaDirectories() {
		return this.replicas.stream().map((replica) -> directory().resolve(replica).normalize()).toList();
	}

	private static String unescape(String field) {
		StringBuilder out = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (c != '\\' || i + 1 == field.length()) {
				out.append(c);
				continue;
			}
			char next = field.charAt(++i);
			out.append(switch (next) {
				case 't' -> '\t';
				case 'n' -> '\n';
				case 'r' -> '\r';
				default -> next;
			});
		}
		return out.toString();
	}

	/** The CRC32C of {@code file}'s content. */
	static long crc32c(Path file) throws IOException {
		CRC32C crc = new CRC32C();
		crc.update(Files.readAllBytes(file));
		return crc.getValue();
	}

}
