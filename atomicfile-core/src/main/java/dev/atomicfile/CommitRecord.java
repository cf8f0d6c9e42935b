package dev.atomicfile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;

/**
 * What one commit does, as written in each of its directories ({@code .atomicfile-commit-<id>}):
 * every directory that holds a copy (a replica) and every target with the name of the temp file
 * that replaces it. A replica names paths relative to its own directory, so recovery finds a
 * commit from whichever directory it reaches first. UTF-8 lines of tab-separated fields (a tab, a
 * line break or a backslash in a name is escaped with a backslash), ending in a CRC-32C of all
 * that precedes: a torn or altered replica is recognised and never acted on. Each entry carries its
 * temp's size and CRC-32C, so that recovery never renames a temp whose content is not what the
 * committer wrote (after a power cut under {@link Durability#NONE}, say).
 *
 * <pre>
 * atomicfile-commit	1
 * id	&lt;id&gt;
 * replica	.
 * replica	../other
 * entry	index.bin	index.bin.tmp.af-…	&lt;size&gt;	&lt;crc32c hex&gt;
 * entry	../other/meta.json	meta.json.tmp.af-…	&lt;size&gt;	&lt;crc32c hex&gt;
 * end	&lt;crc32c hex&gt;
 * </pre>
 *
 * @param id the commit's id, from {@link TempFileNames#newId()}: tells the process that made it
 * @param directories every directory of the commit, absolute and real, each holding a replica
 * @param entries every target, in the order staged
 */
record CommitRecord(String id, List<Path> directories, List<Entry> entries) {

	/** Every name starting so is reserved: no write may target one. */
	static final String NAME_PREFIX = ".atomicfile-commit-";

	private static final Pattern NAME = Pattern.compile("\\.atomicfile-commit-(\\d{1,19}-[0-9a-f]{8}-\\d{1,19}-\\d{1,19})");

	private static final String HEADER = "atomicfile-commit\t1";

	/**
	 * One target of a commit.
	 *
	 * @param target the file the temp replaces (absolute)
	 * @param tempName the temp's name, in the target's directory
	 * @param size the temp's size, checked before recovery renames it
	 * @param checksum the CRC-32C of the temp's content, checked before recovery renames it
	 */
	record Entry(Path target, String tempName, long size, long checksum) {

		Path temp() {
			return this.target.resolveSibling(this.tempName);
		}

	}

	CommitRecord {
		directories = List.copyOf(directories);
		entries = List.copyOf(entries);
	}

	/** Whether writes must refuse {@code fileName} as a target. */
	static boolean isRecordName(String fileName) {
		return fileName.startsWith(NAME_PREFIX) && !TempFileNames.isTempName(fileName);
	}

	/** The id in a replica's name, or {@code null} when the name is not exactly a replica's. */
	static @Nullable String idOf(String fileName) {
		Matcher matcher = NAME.matcher(fileName);
		return matcher.matches() ? matcher.group(1) : null;
	}

	/** This commit's replica in {@code directory}. */
	Path replicaIn(Path directory) {
		return directory.resolve(NAME_PREFIX + this.id);
	}

	List<Path> targets() {
		return this.entries.stream().map(Entry::target).toList();
	}

	/** The replica for {@code directory}, one of {@link #directories()}. */
	byte[] serialize(Path directory) {
		StringBuilder text = new StringBuilder(HEADER).append('\n');
		text.append("id\t").append(this.id).append('\n');
		for (Path replica : this.directories) {
			text.append("replica\t").append(escape(relative(directory, replica))).append('\n');
		}
		for (Entry entry : this.entries) {
			text.append("entry\t")
				.append(escape(relative(directory, entry.target())))
				.append('\t')
				.append(escape(entry.tempName()))
				.append('\t')
				.append(entry.size())
				.append('\t')
				.append(String.format("%08x", entry.checksum()))
				.append('\n');
		}
		byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
		byte[] end = ("end\t" + crc(body, body.length) + "\n").getBytes(StandardCharsets.US_ASCII);
		byte[] whole = new byte[body.length + end.length];
		System.arraycopy(body, 0, whole, 0, body.length);
		System.arraycopy(end, 0, whole, body.length, end.length);
		return whole;
	}

	/**
	 * Reads the replica {@code fileName} found in {@code directory} (absolute and real).
	 * @return the commit, or {@code null} when the replica is torn, altered or not one at all
	 */
	static @Nullable CommitRecord parse(Path directory, String fileName, byte[] bytes) {
		String id = idOf(fileName);
		int endLine = lastLineStart(bytes);
		if (id == null || endLine < 0) {
			return null;
		}
		String end = new String(bytes, endLine, bytes.length - endLine, StandardCharsets.US_ASCII);
		if (!end.equals("end\t" + crc(bytes, endLine) + "\n")) {
			return null;
		}
		String[] lines = new String(bytes, 0, endLine, StandardCharsets.UTF_8).split("\n", -1);
		// The body ends in a line break, so the split leaves one empty string last.
		if (lines.length < 4 || !lines[0].equals(HEADER) || !lines[1].equals("id\t" + id)
				|| !lines[lines.length - 1].isEmpty()) {
			return null;
		}
		List<Path> directories = new ArrayList<>();
		List<Entry> entries = new ArrayList<>();
		try {
			for (int i = 2; i < lines.length - 1; i++) {
				String[] fields = lines[i].split("\t", -1);
				if (fields[0].equals("replica") && fields.length == 2 && entries.isEmpty()) {
					directories.add(directory.resolve(unescape(fields[1])).normalize());
				}
				else if (fields[0].equals("entry") && fields.length == 5 && fields[4].length() == 8) {
					entries.add(new Entry(directory.resolve(unescape(fields[1])).normalize(), unescape(fields[2]),
							Long.parseLong(fields[3]), Long.parseLong(fields[4], 16)));
				}
				else {
					return null;
				}
			}
		}
		catch (RuntimeException ex) {
			// A bad number or path in a record whose checksum matched: not written by this library.
			return null;
		}
		if (!directories.contains(directory) || entries.isEmpty()) {
			return null;
		}
		for (Entry entry : entries) {
			// Recovery renames and deletes only temps of this very format, beside their targets, in
			// the commit's own directories: a crafted record can make it touch nothing else.
			Path name = entry.target().getFileName();
			if (name == null || !directories.contains(entry.target().getParent())
					|| !TempFileNames.isTempNameOf(entry.tempName(), name.toString())
					|| entry.tempName().indexOf('/') >= 0) {
				return null;
			}
		}
		return new CommitRecord(id, directories, entries);
	}

	private static String relative(Path from, Path to) {
		String relative = from.relativize(to).toString();
		return relative.isEmpty() ? "." : relative;
	}

	private static int lastLineStart(byte[] bytes) {
		if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
			return -1;
		}
		for (int i = bytes.length - 2; i >= 0; i--) {
			if (bytes[i] == '\n') {
				return i + 1;
			}
		}
		return -1;
	}

	private static String crc(byte[] bytes, int length) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, length);
		return String.format("%08x", crc.getValue());
	}

	private static String escape(String field) {
		StringBuilder escaped = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			switch (c) {
				case '\\' -> escaped.append("\\\\");
				case '\t' -> escaped.append("\\t");
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String unescape(String field) {
		StringBuilder plain = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (c != '\\') {
				plain.append(c);
				continue;
			}
			char next = field.charAt(++i);
			plain.append(switch (next) {
				case '\\' -> '\\';
				case 't' -> '\t';
				case 'n' -> '\n';
				case 'r' -> '\r';
				default -> throw new IllegalArgumentException("Bad escape \\" + next);
			});
		}
		return plain.toString();
	}

}
