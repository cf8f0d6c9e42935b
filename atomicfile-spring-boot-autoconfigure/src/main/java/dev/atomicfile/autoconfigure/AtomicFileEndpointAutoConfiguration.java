package dev.atomicfile.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code atomicfile} actuator endpoint, {@link AtomicFileEndpoint}, when
 * Actuator is on the class path and the endpoint is available: enabled (as by default) and exposed
 * ({@code management.endpoints.web.exposure.include=atomicfile}, or over JMX). Like every endpoint but
 * {@code health}, it is not exposed over the web unless the application says so.
 */
@AutoConfiguration(after = { AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class,
		CommitRecoveryAutoConfiguration.class, VolumeStartupCheckAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
public final class AtomicFileEndpointAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public AtomicFileEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(AtomicFileEndpoint.class)
	AtomicFileEndpoint atomicFileEndpoint(AtomicFileRoots roots, AtomicFileProperties properties, ReapHistory history,
			ObjectProvider<VolumeStartupCheck> startupCheck, ObjectProvider<AtomicFileWriterActivity> activity,
			ObjectProvider<ConfiguredPathsReaper> reaper) {
		return new AtomicFileEndpoint(roots, properties.getDurability(), history, startupCheck, activity, reaper);
	}

}
