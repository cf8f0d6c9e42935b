package dev.atomicfile.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the startup self-check: a {@link VolumeStartupCheck} of every configured
 * root ({@code atomicfile.reaper.paths}), unless {@code atomicfile.startup-check.enabled=false}.
 * It runs before the startup recovery and reap; {@code atomicfile.startup-check.fail-on} says which
 * failed checks stop startup.
 */
@AutoConfiguration(after = AtomicFileAutoConfiguration.class)
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
public final class VolumeStartupCheckAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public VolumeStartupCheckAutoConfiguration() {
	}

	@Bean
	@ConditionalOnEnabledFlag("atomicfile.startup-check.enabled")
	@ConditionalOnMissingBean
	VolumeStartupCheck volumeStartupCheck(AtomicFileRoots roots, AtomicFileProperties properties) {
		return new VolumeStartupCheck(roots, properties.getStartupCheck().getFailOn(), properties.getDurability());
	}

}
