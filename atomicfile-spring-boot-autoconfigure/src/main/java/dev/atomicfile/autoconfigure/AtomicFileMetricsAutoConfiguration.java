package dev.atomicfile.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Micrometer counters of writes, commits, their failures, reaped orphans
 * and recovered commits: an
 * {@link AtomicFileMetrics} bean, when Micrometer is on the class path. Spring Boot binds it to
 * every meter registry it configures (with Actuator); as an {@link dev.atomicfile.AtomicFileListener}
 * bean it hears the auto-configured writer, reaper and recovery.
 */
@AutoConfiguration(after = { AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class,
		CommitRecoveryAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnEnabledFlag("atomicfile.enabled")
public final class AtomicFileMetricsAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public AtomicFileMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	AtomicFileMetrics atomicFileMetrics() {
		return new AtomicFileMetrics();
	}

}
