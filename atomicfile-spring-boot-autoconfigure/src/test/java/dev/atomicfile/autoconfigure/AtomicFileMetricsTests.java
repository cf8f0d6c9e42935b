package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitFailed;
import dev.atomicfile.CommitRecovered;
import dev.atomicfile.CommitSucceeded;
import dev.atomicfile.IncompleteCommitException;
import dev.atomicfile.OrphanReaped;
import dev.atomicfile.WriteFailed;
import dev.atomicfile.WriteSucceeded;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link AtomicFileMetrics}: the names users see in Prometheus, failure series that
 * exist before the first failure (of writes and of commits), commits and recovered commits, failures told apart by origin and reason (from real faults
 * too), and counting in every registry Boot binds it to.
 */
class AtomicFileMetricsTests {

	private static final Path TARGET = Path.of("/var/lib/app/state.json");

	private final AtomicFileMetrics metrics = new AtomicFileMetrics();

	@TempDir
	Path directory;

	@Test
	void prometheusNamesReadWellAndCarryTheDescriptionsButNoPath() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		this.metrics.bindTo(prometheus);
		this.metrics.onWrite(new WriteSucceeded(TARGET, 42, Duration.ofMillis(3)));
		this.metrics.onWriteFailure(new WriteFailed(TARGET, new NoSuchFileException("/var/lib/app"), Duration.ZERO,
				WriteFailed.Origin.FILE_SYSTEM));
		this.metrics.onOrphanReaped(new OrphanReaped(TARGET.resolveSibling("x.tmp.af-1-0badf00d-1-1"), 7,
				Duration.ofMinutes(2)));
		String scrape = prometheus.scrape();
		assertThat(scrape).contains("# HELP atomicfile_writes_total Files replaced atomically")
			.contains("atomicfile_writes_total 1.0")
			.contains("# HELP atomicfile_write_failures_total Atomic file writes that failed")
			.contains("atomicfile_write_failures_total{exception=\"NoSuchFileException\",origin=\"file_system\","
					+ "reason=\"not_found\"} 1.0")
			.contains("# HELP atomicfile_reaped_total Orphaned temp files deleted by the reaper")
			.contains("atomicfile_reaped_total 1.0")
			.doesNotContain("/var/lib/app");
	}

	@Test
	void commitCountersReadWellInPrometheusAndCarryNoPath() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		this.metrics.bindTo(prometheus);
		List<Path> targets = List.of(TARGET, TARGET.resolveSibling("state.meta.json"));
		this.metrics.onCommit(new CommitSucceeded(targets, 42, Duration.ofMillis(3)));
		this.metrics.onCommitFailure(new CommitFailed(targets,
				new IncompleteCommitException(targets, new FileSystemException(TARGET.toString())), Duration.ZERO, true,
				WriteFailed.Origin.FILE_SYSTEM));
		this.metrics.onCommitFailure(new CommitFailed(targets, new NoSuchFileException("/var/lib/app"), Duration.ZERO,
				false, WriteFailed.Origin.FILE_SYSTEM));
		this.metrics.onCommitRecovered(new CommitRecovered(TARGET.resolveSibling(".atomicfile-commit-1-0badf00d-1-1"),
				targets, CommitRecovered.Outcome.COMPLETED, Duration.ofMillis(1)));
		String scrape = prometheus.scrape();
		assertThat(scrape).contains("# HELP atomicfile_commits_total Multi-file commits that replaced all their targets")
			.contains("atomicfile_commits_total 1.0")
			.contains("# HELP atomicfile_commit_failures_total Multi-file commits that failed")
			.contains("atomicfile_commit_failures_total{committed=\"true\",exception=\"IncompleteCommitException\",origin=\"file_system\"} 1.0")
			.contains("atomicfile_commit_failures_total{committed=\"false\",exception=\"NoSuchFileException\",origin=\"file_system\"} 1.0")
			.contains("# HELP atomicfile_recovered_total Commits left half done by a crashed process")
			.contains("atomicfile_recovered_total{outcome=\"completed\"} 1.0")
			.contains("atomicfile_recovered_total{outcome=\"rolled_back\"} 0.0")
			.doesNotContain("/var/lib/app");
	}

	@Test
	void commitFailureAndRecoverySeriesExistAtZeroBeforeTheFirst() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		this.metrics.bindTo(prometheus);
		String scrape = prometheus.scrape();
		assertThat(scrape).contains("atomicfile_commits_total 0.0",
				"atomicfile_commit_failures_total{committed=\"true\",exception=\"IncompleteCommitException\",origin=\"file_system\"} 0.0",
				"atomicfile_commit_failures_total{committed=\"false\",exception=\"IOException\",origin=\"file_system\"} 0.0",
				"atomicfile_commit_failures_total{committed=\"false\",exception=\"FileSystemException\",origin=\"file_system\"} 0.0",
				"atomicfile_commit_failures_total{committed=\"false\",exception=\"AccessDeniedException\",origin=\"file_system\"} 0.0",
				"atomicfile_recovered_total{outcome=\"completed\"} 0.0",
				"atomicfile_recovered_total{outcome=\"rolled_back\"} 0.0");
		assertThat(scrape).doesNotContain("committed=\"true\",exception=\"IOException\"");
	}

	/** A real commit, and a real one that fails past its commit point (a directory took a target's place). */
	@Test
	void realCommitAndRealIncompleteCommitCount() throws IOException {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.metrics).build();
		Path document = this.directory.resolve("document.bin");
		Path metadata = this.directory.resolve("document.meta.json");
		writer.commit((batch) -> {
			batch.write(document, new byte[] { 1, 2, 3 });
			batch.writeString(metadata, "{\"size\":3}");
		});
		assertThatExceptionOfType(IncompleteCommitException.class).isThrownBy(() -> writer.commit((batch) -> {
			batch.write(document, new byte[] { 4 });
			batch.writeString(metadata, "{\"size\":1}");
			Files.delete(metadata);
			Files.createDirectories(metadata.resolve("in-the-way"));
		}));
		assertThat(registry.get(AtomicFileMetrics.COMMITS).counter().count()).isEqualTo(1);
		assertThat(registry.get(AtomicFileMetrics.COMMIT_FAILURES)
			.tags("committed", "true", "exception", "IncompleteCommitException")
			.counter()
			.count()).isEqualTo(1);
		assertThat(registry.get(AtomicFileMetrics.COMMIT_FAILURES).tag("committed", "false").counters())
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void failureSeriesOfEveryOriginAndReasonExistAtZeroBeforeTheFirstFailure() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		this.metrics.bindTo(prometheus);
		String scrape = prometheus.scrape();
		assertThat(scrape)
			.contains("atomicfile_write_failures_total{exception=\"IOException\",origin=\"content\",reason=\"none\"} 0.0");
		for (FileSystemFailureReason reason : FileSystemFailureReason.values()) {
			assertThat(scrape).contains("origin=\"file_system\",reason=\"" + reason.tagValue() + "\"} 0.0");
		}
		assertThat(scrape).contains(
				"atomicfile_write_failures_total{exception=\"FileSystemException\",origin=\"file_system\",reason=\"no_space\"} 0.0",
				"atomicfile_write_failures_total{exception=\"FileSystemException\",origin=\"file_system\",reason=\"read_only\"} 0.0",
				"atomicfile_write_failures_total{exception=\"AccessDeniedException\",origin=\"file_system\",reason=\"permission\"} 0.0");
	}

	@Test
	void fileSystemFailuresAreToldApartByReasonAndCountInTheirPreRegisteredSeries() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		int seriesBefore = registry.find(AtomicFileMetrics.WRITE_FAILURES).counters().size();
		fail(new FileSystemException(TARGET.toString(), null, "No space left on device"));
		fail(new FileSystemException(TARGET.toString(), null, "Read-only file system"));
		fail(new FileSystemException(TARGET.toString(), null, "Is a directory"));
		fail(new AccessDeniedException(TARGET.toString()));
		fail(withCause(new IOException("Disk quota exceeded")));
		fail(new InterruptedIOException(TARGET + ": interrupted, the write was abandoned"));
		assertThat(count(registry, "no_space", "FileSystemException")).isEqualTo(2);
		assertThat(count(registry, "read_only", "FileSystemException")).isEqualTo(1);
		assertThat(count(registry, "is_a_directory", "FileSystemException")).isEqualTo(1);
		assertThat(count(registry, "permission", "AccessDeniedException")).isEqualTo(1);
		assertThat(count(registry, "interrupted", "InterruptedIOException")).isEqualTo(1);
		assertThat(registry.find(AtomicFileMetrics.WRITE_FAILURES).counters()).as("no new series").hasSize(seriesBefore);
	}

	@Test
	void contentFailuresCountApartFromFileSystemFailuresWhateverTheirMessage() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		this.metrics.onWriteFailure(new WriteFailed(TARGET, new IOException("No space left on device"), Duration.ZERO,
				WriteFailed.Origin.CONTENT));
		assertThat(registry.get(AtomicFileMetrics.WRITE_FAILURES)
			.tags("origin", "content", "reason", "none", "exception", "IOException")
			.counter()
			.count()).isEqualTo(1);
		assertThat(registry.get(AtomicFileMetrics.WRITE_FAILURES).tag("origin", "file_system").counters())
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void realCallbackFailureCountsAsContentAndRealDirectoryTargetAsFileSystem() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.metrics).build();
		assertThatIOException().isThrownBy(() -> writer.write(this.directory.resolve("upload.bin"), (out) -> {
			out.write(1);
			throw new IOException("Connection reset by peer");
		}));
		assertThatIOException().isThrownBy(() -> writer.writeString(this.directory, "x"));
		assertThat(registry.get(AtomicFileMetrics.WRITE_FAILURES)
			.tags("origin", "content", "reason", "none", "exception", "IOException")
			.counter()
			.count()).isEqualTo(1);
		assertThat(count(registry, "is_a_directory", "FileSystemException")).isEqualTo(1);
	}

	@Test
	void countsInEveryBoundRegistry() {
		SimpleMeterRegistry first = new SimpleMeterRegistry();
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		this.metrics.bindTo(first);
		this.metrics.bindTo(second);
		this.metrics.onWrite(new WriteSucceeded(TARGET, 1, Duration.ZERO));
		this.metrics.onWriteFailure(new WriteFailed(TARGET, new IOException("disk full"), Duration.ZERO,
				WriteFailed.Origin.FILE_SYSTEM));
		for (SimpleMeterRegistry registry : new SimpleMeterRegistry[] { first, second }) {
			assertThat(registry.get("atomicfile.writes").counter().count()).isEqualTo(1);
			assertThat(registry.get("atomicfile.write.failures").tag("exception", "IOException").counters())
				.extracting((counter) -> counter.count())
				.contains(1.0);
			assertThat(registry.get("atomicfile.reaped").counter().count()).isZero();
		}
	}

	@Test
	void recoveredCommitsCountByOutcomeInEveryBoundRegistry() {
		SimpleMeterRegistry first = new SimpleMeterRegistry();
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		this.metrics.bindTo(first);
		this.metrics.bindTo(second);
		Path record = TARGET.resolveSibling(".atomicfile-commit-1-0badf00d-1-1");
		this.metrics.onCommitRecovered(new CommitRecovered(record, List.of(TARGET), CommitRecovered.Outcome.COMPLETED,
				Duration.ZERO));
		this.metrics.onCommitRecovered(new CommitRecovered(record, List.of(TARGET), CommitRecovered.Outcome.ROLLED_BACK,
				Duration.ZERO));
		this.metrics.onCommitRecovered(new CommitRecovered(record, List.of(TARGET), CommitRecovered.Outcome.ROLLED_BACK,
				Duration.ZERO));
		for (SimpleMeterRegistry registry : new SimpleMeterRegistry[] { first, second }) {
			assertThat(registry.get(AtomicFileMetrics.RECOVERED).tag("outcome", "completed").counter().count()).isEqualTo(1);
			assertThat(registry.get(AtomicFileMetrics.RECOVERED).tag("outcome", "rolled_back").counter().count())
				.isEqualTo(2);
		}
	}

	@Test
	void eventsBeforeBindingAreNotCountedAndDoNotFail() {
		this.metrics.onWrite(new WriteSucceeded(TARGET, 1, Duration.ZERO));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		assertThat(registry.get("atomicfile.writes").counter().count()).isZero();
	}

	/** The real faults, through the real writer: a full tmpfs and a read-only bind mount. */
	enum Fault {

		FULL_DISK("no_space"), READ_ONLY_MOUNT("read_only");

		final String reason;

		Fault(String reason) {
			this.reason = reason;
		}

	}

	@ParameterizedTest
	@EnumSource(Fault.class)
	void realFileSystemFaultCountsUnderItsReason(Fault fault) throws Exception {
		assumeTrue(ChildJvm.isRoot(), "mounting needs root");
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.metrics).build();
		Path mount = Files.createDirectory(this.directory.resolve("mount"));
		Path source = Files.createDirectory(this.directory.resolve("source"));
		try {
			if (fault == Fault.FULL_DISK) {
				Commands.mountTmpfs(mount, "64k");
			}
			else {
				Commands.bindReadOnly(source, mount);
			}
			assertThatIOException().isThrownBy(() -> writer.write(mount.resolve("big.bin"), new byte[256 * 1024]));
		}
		finally {
			Commands.umount(mount);
		}
		String exception = "FileSystemException";
		assertThat(count(registry, fault.reason, exception)).isEqualTo(1);
	}

	private void fail(Throwable exception) {
		this.metrics.onWriteFailure(new WriteFailed(TARGET, exception, Duration.ZERO, WriteFailed.Origin.FILE_SYSTEM));
	}

	private static FileSystemException withCause(IOException cause) {
		FileSystemException named = new FileSystemException(TARGET.toString(), null, cause.getMessage());
		named.initCause(cause);
		return named;
	}

	private static double count(SimpleMeterRegistry registry, String reason, String exception) {
		return registry.get(AtomicFileMetrics.WRITE_FAILURES)
			.tag("origin", "file_system")
			.tag("reason", reason)
			.tag("exception", exception)
			.counter()
			.count();
	}

}
