package dev.atomicfile.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.CommitFailed;
import dev.atomicfile.CommitRecovered;
import dev.atomicfile.CommitSucceeded;
import dev.atomicfile.IncompleteCommitException;
import dev.atomicfile.OrphanReaped;
import dev.atomicfile.WriteFailed;
import dev.atomicfile.WriteSucceeded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts writes, failed writes, reaped orphans, commits, failed commits and recovered commits in
 * Micrometer:
 * <ul>
 * <li>{@code atomicfile.writes}: successful writes;</li>
 * <li>{@code atomicfile.write.bytes}: the size of each successful write (a distribution summary,
 * base unit bytes; the files of a commit are not in it);</li>
 * <li>{@code atomicfile.write.failures}: failed writes, tagged {@code origin} ({@code content}:
 * the caller's callback or producer, or the data it read, failed, such as a client aborting an
 * upload; {@code file_system}: the file system refused), {@code reason} (for file-system failures
 * a {@link FileSystemFailureReason#tagValue()}, such as {@code no_space} or {@code read_only};
 * {@code none} for content failures) and {@code exception} (the simple class name of what the
 * caller received);</li>
 * <li>{@code atomicfile.reaped}: orphaned temp files deleted;</li>
 * <li>{@code atomicfile.commits}: multi-file commits that replaced all their targets;</li>
 * <li>{@code atomicfile.commit.failures}: failed commits, tagged {@code committed} ({@code false}:
 * the commit point was not reached and no target changed; {@code true}: it was, the caller got an
 * {@code IncompleteCommitException} and the next start completes the commit) and
 * {@code exception} (the simple class name of what the caller received);</li>
 * <li>{@code atomicfile.recovered}: commits that crashed processes left half done, settled by
 * recovery, tagged {@code outcome}: {@code completed} (past the commit point: rolled forward, the
 * count of commits finished by recovery) or {@code rolled_back} (the commit point was never
 * reached: no target changed).</li>
 * </ul>
 * Every failure series this library can foresee exists from the moment of binding, at zero: each
 * reason with the exceptions the writer throws for it, and the content origin with
 * {@code IOException} and {@code UncheckedIOException}; for commits, {@code committed=false} with
 * those same exceptions and {@code committed=true} with {@code IncompleteCommitException}. Both
 * recovery outcomes exist at zero too. So Prometheus' {@code increase()} and
 * {@code rate()} see the first failure of each kind. Tags never carry a path, so the number of
 * series stays small. Events that arrive before Spring Boot binds this to a registry are not
 * counted.
 */
public final class AtomicFileMetrics implements AtomicFileListener, MeterBinder {

	static final String WRITES = "atomicfile.writes";

	static final String WRITE_BYTES = "atomicfile.write.bytes";

	static final String WRITE_FAILURES = "atomicfile.write.failures";

	static final String REAPED = "atomicfile.reaped";

	static final String COMMITS = "atomicfile.commits";

	static final String COMMIT_FAILURES = "atomicfile.commit.failures";

	static final String RECOVERED = "atomicfile.recovered";

	/** The {@code outcome} of a commit recovery completed (rolled forward). */
	static final String COMPLETED = "completed";

	/** The {@code outcome} of a commit recovery rolled back. */
	static final String ROLLED_BACK = "rolled_back";

	static final String CONTENT = "content";

	static final String FILE_SYSTEM = "file_system";

	/** The {@code reason} of content failures: the file system did not fail. */
	static final String NO_REASON = "none";

	private static final List<String> CONTENT_EXCEPTIONS = List.of("IOException", "UncheckedIOException");

	/** What the caller of a commit gets once the commit point is passed, and only then. */
	private static final String INCOMPLETE_COMMIT = IncompleteCommitException.class.getSimpleName();

	private final List<BoundCounters> bound = new CopyOnWriteArrayList<>();

	/** Creates the listener; its counters exist once it is bound to a registry. */
	public AtomicFileMetrics() {
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Counter writes = Counter.builder(WRITES).description("Files replaced atomically").register(registry);
		DistributionSummary writeBytes = DistributionSummary.builder(WRITE_BYTES)
			.description("Size of each file written atomically")
			.baseUnit("bytes")
			.register(registry);
		Counter reaped = Counter.builder(REAPED).description("Orphaned temp files deleted by the reaper").register(registry);
		Counter commits = Counter.builder(COMMITS)
			.description("Multi-file commits that replaced all their targets")
			.register(registry);
		Counter completed = recovered(registry, COMPLETED);
		Counter rolledBack = recovered(registry, ROLLED_BACK);
		for (String exception : CONTENT_EXCEPTIONS) {
			failures(registry, CONTENT, NO_REASON, exception);
			commitFailures(registry, false, CONTENT, exception);
		}
		for (FileSystemFailureReason reason : FileSystemFailureReason.values()) {
			for (String exception : reason.typicalExceptions()) {
				failures(registry, FILE_SYSTEM, reason.tagValue(), exception);
				commitFailures(registry, false, FILE_SYSTEM, exception);
			}
		}
		commitFailures(registry, true, FILE_SYSTEM, INCOMPLETE_COMMIT);
		this.bound.add(new BoundCounters(registry, writes, writeBytes, reaped, commits, completed, rolledBack));
	}

	@Override
	public void onWrite(WriteSucceeded event) {
		for (BoundCounters counters : this.bound) {
			counters.writes().increment();
			counters.writeBytes().record(event.bytes());
		}
	}

	@Override
	public void onWriteFailure(WriteFailed event) {
		String exception = ExceptionNames.simpleName(event.exception());
		boolean content = event.origin() == WriteFailed.Origin.CONTENT;
		String origin = content ? CONTENT : FILE_SYSTEM;
		String reason = content ? NO_REASON : FileSystemFailureReason.of(event.exception()).tagValue();
		for (BoundCounters counters : this.bound) {
			failures(counters.registry(), origin, reason, exception).increment();
		}
	}

	@Override
	public void onOrphanReaped(OrphanReaped event) {
		for (BoundCounters counters : this.bound) {
			counters.reaped().increment();
		}
	}

	@Override
	public void onCommit(CommitSucceeded event) {
		for (BoundCounters counters : this.bound) {
			counters.commits().increment();
		}
	}

	@Override
	public void onCommitFailure(CommitFailed event) {
		String exception = ExceptionNames.simpleName(event.exception());
		String origin = (event.origin() == WriteFailed.Origin.CONTENT) ? CONTENT : FILE_SYSTEM;
		for (BoundCounters counters : this.bound) {
			commitFailures(counters.registry(), event.committed(), origin, exception).increment();
		}
	}

	@Override
	public void onCommitRecovered(CommitRecovered event) {
		boolean completed = event.outcome() == CommitRecovered.Outcome.COMPLETED;
		for (BoundCounters counters : this.bound) {
			(completed ? counters.completed() : counters.rolledBack()).increment();
		}
	}

	/** Failures are rare: looking the tagged counter up each time is cheaper than caching every tag. */
	private static Counter failures(MeterRegistry registry, String origin, String reason, String exception) {
		return Counter.builder(WRITE_FAILURES)
			.description("Atomic file writes that failed and left their target unchanged")
			.tag("origin", origin)
			.tag("reason", reason)
			.tag("exception", exception)
			.register(registry);
	}

	private static Counter commitFailures(MeterRegistry registry, boolean committed, String origin,
			String exception) {
		return Counter.builder(COMMIT_FAILURES)
			.description("Multi-file commits that failed: committed=false left every target unchanged, "
					+ "committed=true is completed by recovery at the next start")
			.tag("committed", String.valueOf(committed))
			.tag("origin", origin)
			.tag("exception", exception)
			.register(registry);
	}

	private static Counter recovered(MeterRegistry registry, String outcome) {
		return Counter.builder(RECOVERED)
			.description("Commits left half done by a crashed process that recovery completed or rolled back")
			.tag("outcome", outcome)
			.register(registry);
	}

	private record BoundCounters(MeterRegistry registry, Counter writes, DistributionSummary writeBytes,
			Counter reaped, Counter commits, Counter completed, Counter rolledBack) {
	}

}
