package dev.atomicfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A reaper child JVM: {@code <path> <minAgeMillis> <maxAgeMillis> <recursive> [extraPattern...]}
 * runs one pass and prints {@code REPORT} with the report's counts (see {@link #parse}).
 */
public final class ReaperMain {

	private ReaperMain() {
	}

	public static void main(String[] args) {
		ReapReport report = OrphanReaper.builder()
			.minAge(Duration.ofMillis(Long.parseLong(args[1])))
			.maxAge(Duration.ofMillis(Long.parseLong(args[2])))
			.recursive(Boolean.parseBoolean(args[3]))
			.extraPatterns(Arrays.asList(args).subList(4, args.length))
			.build()
			.reap(Path.of(args[0]));
		System.out.println(line(report));
		System.out.flush();
	}

	/** The {@code REPORT} line of {@code report}. */
	static String line(ReapReport report) {
		return "REPORT\t" + report.pathExists() + "\t" + report.scanned() + "\t" + report.reaped() + "\t"
				+ report.keptLive() + "\t" + report.keptYoung() + "\t" + report.failed() + "\t"
				+ report.bytesReclaimed();
	}

	/** The report a {@code REPORT} line describes (its path and duration are not carried over). */
	static ReapReport parse(Path path, String line) {
		String[] fields = line.split("\t");
		return new ReapReport(path, Boolean.parseBoolean(fields[1]), Long.parseLong(fields[2]),
				Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]),
				Long.parseLong(fields[6]), Long.parseLong(fields[7]), Duration.ZERO);
	}

}
