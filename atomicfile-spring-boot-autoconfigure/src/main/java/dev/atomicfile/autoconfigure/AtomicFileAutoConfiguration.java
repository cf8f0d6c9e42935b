package dev.atomicfile.autoconfigure;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for crash-safe file writes: an {@link AtomicFileWriter} built from the
 * {@code atomicfile.*} properties. The reaping of orphaned temp files is configured by
 * {@link OrphanReaperAutoConfiguration}, the recovery of half-done commits by
 * {@link CommitRecoveryAutoConfiguration}, the Micrometer counters by
 * {@link AtomicFileMetricsAutoConfiguration}; {@code atomicfile.enabled=false} switches all four
 * off.
 *
 * <p>The writer is built from a prototype {@link AtomicFileWriter.Builder} bean that carries the
 * properties, every {@link AtomicFileListener} bean and every
 * {@link AtomicFileWriterBuilderCustomizer}: adjust it with a customizer, or inject the builder to
 * make a writer of your own with the same wiring. Listeners are looked up at event time, so a
 * listener may itself use the writer.
 *
 * <p>With Micrometer's observation API on the class path the writer users get is an
 * {@link ObservedAtomicFileWriter} around the built one: it counts the operations in flight in the
 * {@link AtomicFileWriterActivity} bean and observes each one in the {@link ObservationRegistry}
 * bean (Spring Boot's, with Actuator), with the {@link AtomicFileObservationConvention} beans that
 * replace the default convention. Without a registry it only counts. A writer bean of your own is
 * used as it is.
 */
@AutoConfiguration
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
@Import(ListenerBeansConfiguration.class)
public final class AtomicFileAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public AtomicFileAutoConfiguration() {
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean
	AtomicFileWriter.Builder atomicFileWriterBuilder(AtomicFileProperties properties, Environment environment,
			ListenerBeans listeners, ObjectProvider<AtomicFileWriterBuilderCustomizer> customizers) {
		AtomicFilePropertiesValidator validator = new AtomicFilePropertiesValidator(environment);
		Integer fsyncParallelism = validator.fsyncParallelism(properties);
		AtomicFileWriter.Builder builder = AtomicFileWriter.builder()
			.durability(properties.getDurability())
			.preservePermissions(properties.isPreservePermissions())
			.preserveOwnership(properties.isPreserveOwnership())
			.followLinks(properties.isFollowLinks())
			.newFilePermissions(validator.newFilePermissions(properties))
			.serializeWrites(properties.isSerializeWrites())
			.listener(listeners.listener());
		if (fsyncParallelism != null) {
			builder.fsyncParallelism(fsyncParallelism);
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	@Bean
	@ConditionalOnMissingBean
	AtomicFileWriterActivity atomicFileWriterActivity() {
		return new AtomicFileWriterActivity();
	}

	@Bean
	@ConditionalOnMissingBean
	AtomicFileRoots atomicFileRoots(AtomicFileProperties properties, Environment environment) {
		// An empty element fails here with the analyzer's explanation; the reaper warns of missing ones.
		new AtomicFilePropertiesValidator(environment).validatePaths(properties.getReaper(), false);
		return new AtomicFileRoots(properties.getReaper().getPaths());
	}

	@Bean
	@ConditionalOnMissingBean
	ReapHistory atomicFileReapHistory() {
		return new ReapHistory();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	static class ObservedWriterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AtomicFileWriter atomicFileWriter(AtomicFileWriter.Builder atomicFileWriterBuilder,
				AtomicFileProperties properties, AtomicFileRoots roots, AtomicFileWriterActivity activity,
				ObjectProvider<ObservationRegistry> registry, ObjectProvider<AtomicFileObservationConvention> conventions) {
			// A customizer could change the durability on the builder; the core has no getter to read it back.
			return new ObservedAtomicFileWriter(atomicFileWriterBuilder.build(), properties.getDurability(), roots,
					activity, registry.getIfUnique(() -> ObservationRegistry.NOOP), conventions.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.micrometer.observation.ObservationRegistry")
	static class WriterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AtomicFileWriter atomicFileWriter(AtomicFileWriter.Builder atomicFileWriterBuilder) {
			return atomicFileWriterBuilder.build();
		}

	}

}
