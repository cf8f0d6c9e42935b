package dev.atomicfile.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.OrphanReaped;
import dev.atomicfile.WriteFailed;
import dev.atomicfile.WriteSucceeded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts writes, failed writes and reaped orphans in Micrometer:
 * <ul>
 * <li>{@code atomicfile.writes}: successful writes;</li>
 * <li>{@code atomicfile.write.failures}: failed writes, tagged {@code origin} ({@code content}:
 * the caller's callback or producer, or the data it read, failed, such as a client aborting an
 * upload; {@code file_system}: the file system refused), {@code reason} (for file-system failures
 * a {@link FileSystemFailureReason#tagValue()}, such as {@code no_space} or {@code read_only};
 * {@code none} for content failures) and {@code exception} (the simple class name of what the
 * caller received);</li>
 * <li>{@code atomicfile.reaped}: orphaned temp files deleted.</li>
 * </ul>
 * Every failure series this library can foresee exists from the moment of binding, at zero: each
 * reason with the exceptions the writer throws for it, and the content origin with
 * {@code IOException} and {@code UncheckedIOException}. So Prometheus' {@code increase()} and
 * {@code rate()} see the first failure of each kind. Tags never carry a path, so the number of
 * series stays small. Events that arrive before Spring Boot binds this to a registry are not
 * counted.
 */
public final class AtomicFileMetrics implements AtomicFileListener, MeterBinder {

	static final String WRITES = "atomicfile.writes";

	static final String WRITE_FAILURES = "atomicfile.write.failures";

	static final String REAPED = "atomicfile.reaped";

	static final String CONTENT = "content";

	static final String FILE_SYSTEM = "file_system";

	/** The {@code reason} of content failures: the file system did not fail. */
	static final String NO_REASON = "none";

	private static final List<String> CONTENT_EXCEPTIONS = List.of("IOException", "UncheckedIOException");

	private final List<BoundCounters> bound = new CopyOnWriteArrayList<>();

	/** Creates the listener; its counters exist once it is bound to a registry. */
	public AtomicFileMetrics() {
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Counter writes = Counter.builder(WRITES).description("Files replaced atomically").register(registry);
		Counter reaped = Counter.builder(REAPED).description("Orphaned temp files deleted by the reaper").register(registry);
		for (String exception : CONTENT_EXCEPTIONS) {
			failures(registry, CONTENT, NO_REASON, exception);
		}
		for (FileSystemFailureReason reason : FileSystemFailureReason.values()) {
			for (String exception : reason.typicalExceptions()) {
				failures(registry, FILE_SYSTEM, reason.tagValue(), exception);
			}
		}
		this.bound.add(new BoundCounters(registry, writes, reaped));
	}

	@Override
	public void onWrite(WriteSucceeded event) {
		for (BoundCounters counters : this.bound) {
			counters.writes().increment();
		}
	}

	@Override
	public void onWriteFailure(WriteFailed event) {
		String exception = event.exception().getClass().getSimpleName();
		boolean content = event.origin() == WriteFailed.Origin.CONTENT;
		String origin = content ? CONTENT : FILE_SYSTEM;
		String reason = content ? NO_REASON : FileSystemFailureReason.of(event.exception()).tagValue();
		for (BoundCounters counters : this.bound) {
			failures(counters.registry(), origin, reason, exception.isEmpty() ? "unnamed" : exception).increment();
		}
	}

	@Override
	public void onOrphanReaped(OrphanReaped event) {
		for (BoundCounters counters : this.bound) {
			counters.reaped().increment();
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

	private record BoundCounters(MeterRegistry registry, Counter writes, Counter reaped) {
	}

}
