package dev.atomicfile.autoconfigure;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@link AtomicFileHealthIndicator} in Spring Boot 4's health API: a composite with one indicator
 * per root alias.
 */
final class Boot4HealthContributor {

	/** A class of Boot 4's health API, absent from Boot 3. */
	static final String API = "org.springframework.boot.health.contributor.CompositeHealthContributor";

	private Boot4HealthContributor() {
	}

	static CompositeHealthContributor of(AtomicFileHealthIndicator indicator) {
		return CompositeHealthContributor.fromMap(AtomicFileHealthContributorAutoConfiguration.byAlias(indicator),
				(root) -> (HealthIndicator) () -> {
					AtomicFileHealthIndicator.RootHealth health = indicator.health(root);
					return Health.status(health.status()).withDetails(health.details()).build();
				});
	}

}
