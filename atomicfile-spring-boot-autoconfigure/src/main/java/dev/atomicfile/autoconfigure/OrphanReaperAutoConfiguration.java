package dev.atomicfile.autoconfigure;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.OrphanReaper;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for the reaping of orphaned temp files: an {@link OrphanReaper} built from
 * the {@code atomicfile.reaper.*} properties and, unless {@code atomicfile.reaper.enabled=false},
 * a {@link ConfiguredPathsReaper} over {@code atomicfile.reaper.paths} that an
 * {@link OrphanReaperApplicationRunner} runs at startup and, with {@code atomicfile.reaper.interval},
 * a {@link PeriodicOrphanReaper} every interval.
 *
 * <p>The reaper is built from a prototype {@link OrphanReaper.Builder} bean that carries the
 * properties, every {@link AtomicFileListener} bean and every {@link OrphanReaperBuilderCustomizer}:
 * adjust it with a customizer, or inject the builder to make a reaper of your own with the same
 * wiring. With Micrometer's observation API on the class path each path's pass is an
 * {@link AtomicFileObservation#REAP} observation in the {@link ObservationRegistry} bean.
 */
@AutoConfiguration(after = AtomicFileAutoConfiguration.class)
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
@Import(ListenerBeansConfiguration.class)
public final class OrphanReaperAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public OrphanReaperAutoConfiguration() {
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
	static class ReapingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConfiguredPathsReaper configuredPathsReaper(OrphanReaper orphanReaper, AtomicFileProperties properties,
				Environment environment, ObjectProvider<ReapHistory> reapHistory,
				ObjectProvider<ReapObserver> reapObserver) {
			AtomicFileProperties.Reaper reaper = properties.getReaper();
			new AtomicFilePropertiesValidator(environment).validatePaths(reaper);
			return new ConfiguredPathsReaper(orphanReaper, reaper.getPaths(), reapHistory.getIfAvailable(),
					reapObserver.getIfUnique(() -> ReapObserver.NONE));
		}

		@Bean
		@ConditionalOnMissingBean
		OrphanReaperApplicationRunner orphanReaperApplicationRunner(ConfiguredPathsReaper configuredPathsReaper) {
			return new OrphanReaperApplicationRunner(configuredPathsReaper);
		}

		@Bean
		@ConditionalOnProperty(name = "atomicfile.reaper.interval")
		@ConditionalOnMissingBean
		PeriodicOrphanReaper periodicOrphanReaper(ConfiguredPathsReaper configuredPathsReaper,
				AtomicFileProperties properties, Environment environment) {
			return new PeriodicOrphanReaper(configuredPathsReaper,
					new AtomicFilePropertiesValidator(environment).interval(properties.getReaper()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	static class ReapObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReapObserver atomicFileReapObserver(ObjectProvider<ObservationRegistry> registry,
				ObjectProvider<AtomicFileRoots> roots, AtomicFileProperties properties,
				ObjectProvider<AtomicFileObservationConvention> conventions) {
			return new ObservedReaps(registry.getIfUnique(() -> ObservationRegistry.NOOP),
					roots.getIfAvailable(() -> new AtomicFileRoots(properties.getReaper().getPaths())),
					conventions.orderedStream().toList());
		}

	}

}
