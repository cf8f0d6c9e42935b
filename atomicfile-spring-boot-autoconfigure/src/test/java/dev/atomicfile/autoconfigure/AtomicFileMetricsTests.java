package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import dev.atomicfile.OrphanReaped;
import dev.atomicfile.WriteFailed;
import dev.atomicfile.WriteSucceeded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AtomicFileMetrics}: the names users see in Prometheus, and counting in every
 * registry Boot binds it to.
 */
class AtomicFileMetricsTests {

	private static final Path TARGET = Path.of("/var/lib/app/state.json");

	private final AtomicFileMetrics metrics = new AtomicFileMetrics();

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
			.contains("atomicfile_write_failures_total{exception=\"NoSuchFileException\"} 1.0")
			.contains("# HELP atomicfile_reaped_total Orphaned temp files deleted by the reaper")
			.contains("atomicfile_reaped_total 1.0")
			.doesNotContain("/var/lib/app");
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
			assertThat(registry.get("atomicfile.write.failures").tag("exception", "IOException").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("atomicfile.reaped").counter().count()).isZero();
		}
	}

	@Test
	void eventsBeforeBindingAreNotCountedAndDoNotFail() {
		this.metrics.onWrite(new WriteSucceeded(TARGET, 1, Duration.ZERO));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.metrics.bindTo(registry);
		assertThat(registry.get("atomicfile.writes").counter().count()).isZero();
	}

}
