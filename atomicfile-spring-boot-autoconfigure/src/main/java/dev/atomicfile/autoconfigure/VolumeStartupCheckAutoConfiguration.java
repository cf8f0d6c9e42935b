package dev.atomicfile.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * Auto-configuration of the startup self-check: a {@link VolumeStartupCheck} of every configured
 * root ({@code atomicfile.reaper.paths}), unless {@code atomicfile.startup-check.enabled=false}.
 * It runs before the startup recovery and reap; {@code atomicfile.startup-check.fail-on} says which
 * failed checks stop startup.
 */
@AutoConfiguration(after = AtomicFileAutoConfiguration.class)
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
@ImportRuntimeHints(VolumeStartupCheckAutoConfiguration.CheckHints.class)
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

	/**
	 * The binder turns {@code fail-on}'s values into {@link AtomicFileProperties.StartupCheck.Check}
	 * constants by name; Boot's hints for the properties cover the types of their fields, not the
	 * element type of a set.
	 */
	static class CheckHints implements RuntimeHintsRegistrar {

		@Override
		public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
			hints.reflection()
				.registerType(AtomicFileProperties.StartupCheck.Check.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		}

	}

}
