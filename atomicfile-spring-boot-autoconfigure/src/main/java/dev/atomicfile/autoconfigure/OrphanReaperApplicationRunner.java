package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.atomicfile.OrphanReaper;
import dev.atomicfile.ReapReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Reaps every configured path once the application has started. A reaping problem is logged and
 * counted in the summary; it never fails startup, because stale temp files are garbage, not
 * data.
 */
public class OrphanReaperApplicationRunner implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaperApplicationRunner.class);

	private final OrphanReaper reaper;

	private final List<Path> paths;

	/**
	 * Creates a runner.
	 * @param reaper the reaper to run
	 * @param paths the directories or files to reap
	 */
	public OrphanReaperApplicationRunner(OrphanReaper reaper, List<Path> paths) {
		this.reaper = reaper;
		this.paths = List.copyOf(paths);
	}

	@Override
	public void run(ApplicationArguments args) {
		reapAll("Startup");
	}

	/**
	 * Reaps every configured path and logs one summary.
	 * @param occasion what triggered the pass, for the log line
	 */
	void reapAll(String occasion) {
		long reaped = 0;
		long bytes = 0;
		long live = 0;
		long young = 0;
		long failed = 0;
		for (Path path : this.paths) {
			try {
				ReapReport report = this.reaper.reap(path);
				reaped += report.reaped();
				bytes += report.bytesReclaimed();
				live += report.keptLive();
				young += report.keptYoung();
				failed += report.failed();
			}
			catch (RuntimeException ex) {
				failed++;
				logger.warn("Reaping {} failed", path, ex);
			}
		}
		if (!this.paths.isEmpty()) {
			logger.info("{} reap of {} path(s): reaped {} orphaned temp file(s), {} bytes; kept {} live and {} young; "
					+ "{} failed", occasion, this.paths.size(), reaped, bytes, live, young, failed);
		}
	}

}
