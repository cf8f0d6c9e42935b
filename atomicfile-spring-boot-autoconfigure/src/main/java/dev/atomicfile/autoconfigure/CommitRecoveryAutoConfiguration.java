package dev.atomicfile.autoconfigure;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.CommitRecovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for the recovery of multi-file commits that crashed processes left half
 * done: a {@link CommitRecovery} that tells every {@link AtomicFileListener} bean what it settled
 * and, unless {@code atomicfile.recovery.enabled=false}, a {@link ConfiguredPathsRecovery} over
 * {@code atomicfile.reaper.paths} that {@link StartupCommitRecovery} runs once at startup, before
 * the web server takes requests and before the startup reap.
 *
 * <p>Recovery does not depend on {@code atomicfile.reaper.enabled}: an application that switches
 * reaping off still gets its half-done commits settled, since a commit past its commit point is
 * data, not garbage. The periodic reaper never recovers: a record appears only when a process
 * crashes, and the next start settles it.
 */
@AutoConfiguration(after = AtomicFileAutoConfiguration.class)
@ConditionalOnEnabledFlag("atomicfile.enabled")
@EnableConfigurationProperties(AtomicFileProperties.class)
@Import(ListenerBeansConfiguration.class)
public final class CommitRecoveryAutoConfiguration {

	/** Created by Spring Boot when it applies the auto-configuration. */
	public CommitRecoveryAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	CommitRecovery commitRecovery(ListenerBeans listeners) {
		return CommitRecovery.builder().listener(listeners.listener()).build();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledFlag("atomicfile.recovery.enabled")
	static class StartupRecoveryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConfiguredPathsRecovery configuredPathsRecovery(CommitRecovery commitRecovery, AtomicFileProperties properties,
				Environment environment) {
			AtomicFileProperties.Reaper reaper = properties.getReaper();
			// With reaping on, the reaper's own check has warned of a missing path already.
			new AtomicFilePropertiesValidator(environment).validatePaths(reaper, !reaper.isEnabled());
			return new ConfiguredPathsRecovery(commitRecovery, reaper.getPaths());
		}

		@Bean
		@ConditionalOnMissingBean
		StartupCommitRecovery startupCommitRecovery(ConfiguredPathsRecovery configuredPathsRecovery,
				ObjectProvider<ReapHistory> reapHistory) {
			return new StartupCommitRecovery(configuredPathsRecovery, reapHistory.getIfAvailable());
		}

	}

}
