package dev.atomicfile.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for crash-safe file writes: an
 * {@link AtomicFileWriter}, an {@link OrphanReaper} that runs over {@code atomicfile.reaper.paths}
 * at startup, and Micrometer counters when Micrometer is present.
 *
 * <p>Every {@link AtomicFileListener} bean receives the events of the writer and the reaper.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "atomicfile.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AtomicFileProperties.class)
public final class AtomicFileAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AtomicFileWriter atomicFileWriter(AtomicFileProperties properties, ObjectProvider<AtomicFileListener> listeners) {
		return AtomicFileWriter.builder()
			.durability(properties.getDurability())
			.preservePermissions(properties.isPreservePermissions())
			.listener(AtomicFileListener.composite(listeners.orderedStream().toList()))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	OrphanReaper orphanReaper(AtomicFileProperties properties, ObjectProvider<AtomicFileListener> listeners) {
		AtomicFileProperties.Reaper reaper = properties.getReaper();
		AtomicFilePropertiesValidator.validateAges(reaper);
		return OrphanReaper.builder()
			.maxAge(reaper.getMaxAge())
			.minAge(reaper.getMinAge())
			.recursive(reaper.isRecursive())
			.extraPatterns(reaper.getExtraPatterns())
			.listener(AtomicFileListener.composite(listeners.orderedStream().toList()))
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "atomicfile.reaper.enabled", matchIfMissing = true)
	static class ReaperConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OrphanReaperApplicationRunner orphanReaperApplicationRunner(OrphanReaper orphanReaper,
				AtomicFileProperties properties) {
			AtomicFileProperties.Reaper reaper = properties.getReaper();
			AtomicFilePropertiesValidator.validatePaths(reaper);
			return new OrphanReaperApplicationRunner(orphanReaper, reaper.getPaths());
		}

		@Bean
		@ConditionalOnProperty(name = "atomicfile.reaper.interval")
		@ConditionalOnMissingBean
		PeriodicOrphanReaper periodicOrphanReaper(OrphanReaperApplicationRunner runner,
				AtomicFileProperties properties) {
			Duration interval = Objects.requireNonNull(properties.getReaper().getInterval(),
					"@ConditionalOnProperty guarantees an interval");
			return new PeriodicOrphanReaper(runner, AtomicFilePropertiesValidator.validInterval(interval));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AtomicFileMetrics atomicFileMetrics() {
			return new AtomicFileMetrics();
		}

	}

}
