package dev.atomicfile.autoconfigure;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@link AtomicFileHealthIndicator} in Spring Boot 3's health API: a composite with one indicator
 * per root alias.
 */
final class Boot3HealthContributor {

	/** A class of Boot 3's health API, absent from Boot 4. */
	static final String API = "org.springframework.boot.actuate.health.CompositeHealthContributor";

	private Boot3HealthContributor() {
	}

	static CompositeHealthContributor of(AtomicFileHealthIndicator indicator) {
		return CompositeHealthContributor.fromMap(AtomicFileHealthContributorAutoConfiguration.byAlias(indicator),
				(root) -> (HealthIndicator) () -> {
					AtomicFileHealthIndicator.RootHealth health = indicator.health(root);
					return Health.status(health.status()).withDetails(health.details()).build();
				});
	}

}
