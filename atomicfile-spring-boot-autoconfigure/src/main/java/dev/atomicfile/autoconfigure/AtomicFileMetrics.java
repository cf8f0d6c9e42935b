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
 * <li>{@code atomicfile.write.failures}: failed writes, tagged {@code exception} with the simple
 * class name of what the caller received;</li>
 * <li>{@code atomicfile.reaped}: orphaned temp files deleted.</li>
 * </ul>
 * Tags never carry a path, so the number of time series stays small. Events that arrive before
 * Spring Boot binds this to a registry are not counted.
 */
public final class AtomicFileMetrics implements AtomicFileListener, MeterBinder {

	static final String WRITES = "atomicfile.writes";

	static final String WRITE_FAILURES = "atomicfile.write.failures";

	static final String REAPED = "atomicfile.reaped";

	private final List<BoundCounters> bound = new CopyOnWriteArrayList<>();

	@Override
	public void bindTo(MeterRegistry registry) {
		this.bound.add(new BoundCounters(registry,
				Counter.builder(WRITES).description("Files replaced atomically").register(registry),
				Counter.builder(REAPED).description("Orphaned temp files deleted by the reaper").register(registry)));
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
		for (BoundCounters counters : this.bound) {
			// Failures are rare: looking the tagged counter up each time is cheaper than caching every tag.
			Counter.builder(WRITE_FAILURES)
				.description("Atomic file writes that failed and left their target unchanged")
				.tag("exception", exception.isEmpty() ? "unnamed" : exception)
				.register(counters.registry())
				.increment();
		}
	}

	@Override
	public void onOrphanReaped(OrphanReaped event) {
		for (BoundCounters counters : this.bound) {
			counters.reaped().increment();
		}
	}

	private record BoundCounters(MeterRegistry registry, Counter writes, Counter reaped) {
	}

}
