package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system calls an {@code strace -f -o FILE} run recorded, in the order they started, with
 * interrupted calls ({@code <unfinished ...>} / {@code <... resumed>}) joined back into one.
 */
public final class StraceLog {

	private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(\\w+)\\((.*)\\)\\s+=\\s+(.*)$");

	private static final Pattern UNFINISHED = Pattern.compile("^(\\d+)\\s+(.*) <unfinished \\.\\.\\.>$");

	private static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. \\w+ resumed>(.*)$");

	private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final List<Call> calls;

	private StraceLog(List<Call> calls) {
		this.calls = calls;
	}

	/** Reads the trace strace wrote to {@code file}. */
	public static StraceLog read(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		Map<String, Integer> pendingSlot = new HashMap<>();
		List<String> joined = new ArrayList<>();
		for (String line : lines) {
			Matcher unfinished = UNFINISHED.matcher(line);
			Matcher resumed = RESUMED.matcher(line);
			if (unfinished.matches()) {
				// Keep the call where it started; the result arrives later on a "resumed" line.
				pendingSlot.put(unfinished.group(1), joined.size());
				joined.add(unfinished.group(1) + " " + unfinished.group(2));
			}
			else if (resumed.matches()) {
				Integer slot = pendingSlot.remove(resumed.group(1));
				if (slot != null) {
					joined.set(slot, joined.get(slot) + resumed.group(2));
				}
			}
			else {
				joined.add(line);
			}
		}
		List<Call> calls = new ArrayList<>();
		for (String line : joined) {
			Matcher call = CALL.matcher(line);
			if (call.matches()) {
				calls.add(new Call(calls.size(), Integer.parseInt(call.group(1)), call.group(2), call.group(3),
						call.group(4)));
			}
		}
		return new StraceLog(calls);
	}

	/** Every call, in order. */
	public List<Call> calls() {
		return this.calls;
	}

	/** The first call from {@code fromIndex} on that matches, if any. */
	public java.util.Optional<Call> first(int fromIndex, Predicate<Call> predicate) {
		return this.calls.stream().skip(fromIndex).filter(predicate).findFirst();
	}

	/** The calls with index in {@code [from, to)} that match. */
	public List<Call> between(int from, int to, Predicate<Call> predicate) {
		return this.calls.subList(from, Math.min(to, this.calls.size())).stream().filter(predicate).toList();
	}

	/**
	 * One system call.
	 *
	 * @param index its position in the trace
	 * @param pid the thread that made it
	 * @param name the system call
	 * @param arguments the arguments as strace printed them
	 * @param result the result as strace printed it ({@code 17}, {@code -1 EIO (Input/output error) (INJECTED)})
	 */
	public record Call(int index, int pid, String name, String arguments, String result) {

		/** Whether this is one of the system calls {@code names}. */
		public boolean is(String... names) {
			return List.of(names).contains(this.name);
		}

		/** The string arguments (file names), unescaped only as far as plain ASCII goes. */
		public List<String> paths() {
			List<String> paths = new ArrayList<>();
			Matcher quoted = QUOTED.matcher(this.arguments);
			while (quoted.find()) {
				paths.add(quoted.group(1));
			}
			return paths;
		}

		/** The first argument as a file descriptor, if it is a number. */
		public OptionalInt fd() {
			String first = this.arguments.split(",", 2)[0].trim();
			return first.matches("\\d+") ? OptionalInt.of(Integer.parseInt(first)) : OptionalInt.empty();
		}

		/** The return value, or -1 when the call failed. */
		public long returned() {
			String value = this.result.split("\\s", 2)[0];
			return value.matches("-?\\d+") ? Long.parseLong(value) : -1;
		}

		/** Whether the call succeeded. */
		public boolean succeeded() {
			return returned() >= 0;
		}

	}

}
