package dev.atomicfile.autoconfigure;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.AtomicFileWriter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
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
	AtomicFileWriter atomicFileWriter(AtomicFileWriter.Builder atomicFileWriterBuilder) {
		return atomicFileWriterBuilder.build();
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

}
