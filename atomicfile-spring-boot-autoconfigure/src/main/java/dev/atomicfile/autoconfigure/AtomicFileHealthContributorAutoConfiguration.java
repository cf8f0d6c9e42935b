package dev.atomicfile.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code atomicfile} health indicator: a bean
 * {@code atomicFileHealthIndicator} with one component per configured root (see
 * {@link AtomicFileHealthIndicator}), in the health API of whichever Spring Boot line runs (Boot 3's
 * {@code org.springframework.boot.actuate.health}, Boot 4's
 * {@code org.springframework.boot.health.contributor}). Like Boot's own indicators it is switched off
 * by {@code management.health.atomicfile.enabled=false}, or by
 * {@code management.health.defaults.enabled=false} unless that flag says otherwise. Boot names the
 * component after the bean: {@code atomicFile} in {@code /actuator/health}.
 */
@AutoConfiguration(after = { AtomicFileAutoConfiguration.class, VolumeStartupCheckAutoConfiguration.class },
		beforeName = { "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration",
				"org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration" })
@ConditionalOnEnabledFlag("atomicfile.enabled")
@Conditional(OnEnabledAtomicFileHealthCondition.class)
public final class AtomicFileHealthContributorAutoConfiguration {

	/** The bean's name, the one Boot derives the component name {@code atomicFile} from. */
	static final String BEAN_NAME = "atomicFileHealthIndicator";

	/** Created by Spring Boot when it applies the auto-configuration. */
	public AtomicFileHealthContributorAutoConfiguration() {
	}

	static Map<String, AtomicFileRoots.Root> byAlias(AtomicFileHealthIndicator indicator) {
		Map<String, AtomicFileRoots.Root> roots = new LinkedHashMap<>();
		indicator.getRoots().getRoots().forEach((root) -> roots.put(root.alias(), root));
		return roots;
	}

	static AtomicFileHealthIndicator indicator(AtomicFileRoots roots, AtomicFileProperties properties,
			ObjectProvider<VolumeStartupCheck> startupCheck, ObjectProvider<ReapHistory> history) {
		return new AtomicFileHealthIndicator(roots, properties.getHealth().getFreeSpaceThreshold(),
				startupCheck.getIfAvailable(), history.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = Boot3HealthContributor.API)
	static class Boot3HealthConfiguration {

		@Bean(BEAN_NAME)
		@ConditionalOnMissingBean(name = BEAN_NAME)
		org.springframework.boot.actuate.health.CompositeHealthContributor atomicFileHealthIndicator(
				AtomicFileRoots roots, AtomicFileProperties properties, ObjectProvider<VolumeStartupCheck> startupCheck,
				ObjectProvider<ReapHistory> history) {
			return Boot3HealthContributor.of(indicator(roots, properties, startupCheck, history));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = Boot4HealthContributor.API)
	static class Boot4HealthConfiguration {

		@Bean(BEAN_NAME)
		@ConditionalOnMissingBean(name = BEAN_NAME)
		org.springframework.boot.health.contributor.CompositeHealthContributor atomicFileHealthIndicator(
				AtomicFileRoots roots, AtomicFileProperties properties, ObjectProvider<VolumeStartupCheck> startupCheck,
				ObjectProvider<ReapHistory> history) {
			return Boot4HealthContributor.of(indicator(roots, properties, startupCheck, history));
		}

	}

}
