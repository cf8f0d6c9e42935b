package dev.atomicfile.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Boot's rule for a health indicator, without Boot's annotation (it moved between Boot 3 and 4):
 * {@code management.health.atomicfile.enabled} when set, else {@code management.health.defaults.enabled},
 * else enabled.
 */
class OnEnabledAtomicFileHealthCondition extends SpringBootCondition {

	static final String PROPERTY = "management.health.atomicfile.enabled";

	private static final String DEFAULTS = "management.health.defaults.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String property = environment.containsProperty(PROPERTY) ? PROPERTY : DEFAULTS;
		boolean enabled = environment.getProperty(property, Boolean.class, true);
		return enabled ? ConditionOutcome.match(property + " is not false")
				: ConditionOutcome.noMatch(property + " is false");
	}

}
