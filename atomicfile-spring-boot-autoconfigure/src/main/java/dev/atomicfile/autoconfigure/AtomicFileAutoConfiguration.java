package dev.atomicfile.autoconfigure;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for crash-safe file writes: an {@link AtomicFileWriter}, an
 * {@link OrphanReaper} that runs over {@code atomicfile.reaper.paths} at startup, and Micrometer
 * counters when Micrometer is present.
 *
 * <p>Every {@link AtomicFileListener} bean receives the events of the writer and the reaper;
 * listeners are looked up at event time, so a listener may itself use the writer. The writer and
 * the reaper are built from prototype {@link AtomicFileWriter.Builder} and
 * {@link OrphanReaper.Builder} beans that carry the properties, the listeners and every
 * {@link AtomicFileWriterBuilderCustomizer} or {@link OrphanReaperBuilderCustomizer}: adjust them
 * with a customizer, or inject a builder to make a writer of your own with the same wiring.
 */
@AutoConfiguration
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
public final class AtomicFileAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public AtomicFileAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ListenerBeans atomicFileListenerBeans(ConfigurableListableBeanFactory beanFactory) {
		return new ListenerBeans(beanFactory);
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean
	AtomicFileWriter.Builder atomicFileWriterBuilder(AtomicFileProperties properties, ListenerBeans listeners,
			ObjectProvider<AtomicFileWriterBuilderCustomizer> customizers) {
		AtomicFileWriter.Builder builder = AtomicFileWriter.builder()
			.durability(properties.getDurability())
			.preservePermissions(properties.isPreservePermissions())
			.preserveOwnership(properties.isPreserveOwnership())
			.followLinks(properties.isFollowLinks())
			.listener(listeners.listener());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	@Bean
	@ConditionalOnMissingBean
	AtomicFileWriter atomicFileWriter(AtomicFileWriter.Builder atomicFileWriterBuilder) {
		return atomicFileWriterBuilder.build();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean
	OrphanReaper.Builder orphanReaperBuilder(AtomicFileProperties properties, Environment environment,
			ListenerBeans listeners, ObjectProvider<OrphanReaperBuilderCustomizer> customizers) {
		AtomicFileProperties.Reaper reaper = properties.getReaper();
		AtomicFilePropertiesValidator validator = new AtomicFilePropertiesValidator(environment);
		validator.validateAges(reaper);
		validator.validateExtraPatterns(reaper);
		OrphanReaper.Builder builder = OrphanReaper.builder()
			.maxAge(reaper.getMaxAge())
			.minAge(reaper.getMinAge())
			.recursive(reaper.isRecursive())
			.extraPatterns(reaper.getExtraPatterns())
			.listener(listeners.listener());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	@Bean
	@ConditionalOnMissingBean
	OrphanReaper orphanReaper(OrphanReaper.Builder orphanReaperBuilder) {
		return orphanReaperBuilder.build();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledFlag("atomicfile.reaper.enabled")
	static class ReaperConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OrphanReaperApplicationRunner orphanReaperApplicationRunner(OrphanReaper orphanReaper,
				AtomicFileProperties properties, Environment environment) {
			AtomicFileProperties.Reaper reaper = properties.getReaper();
			new AtomicFilePropertiesValidator(environment).validatePaths(reaper);
			return new OrphanReaperApplicationRunner(orphanReaper, reaper.getPaths(), reaper.getMinAge(),
					reaper.getMaxAge());
		}

		@Bean
		@ConditionalOnProperty(name = "atomicfile.reaper.interval")
		@ConditionalOnMissingBean
		PeriodicOrphanReaper periodicOrphanReaper(OrphanReaperApplicationRunner runner,
				AtomicFileProperties properties, Environment environment) {
			return new PeriodicOrphanReaper(runner,
					new AtomicFilePropertiesValidator(environment).interval(properties.getReaper()));
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
