package dev.atomicfile.autoconfigure;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnEnabledFlag}.
 */
class OnEnabledFlagCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects.requireNonNull(
				metadata.getAnnotationAttributes(ConditionalOnEnabledFlag.class.getName()), "annotation attributes");
		String property = (String) attributes.get("value");
		boolean enabled;
		try {
			enabled = Binder.get(context.getEnvironment()).bind(property, Boolean.class).orElse(true);
		}
		catch (BindException ex) {
			ConfigurationProperty written = ex.getProperty();
			throw new InvalidAtomicFilePropertyException(property, (written != null) ? written.getValue() : null,
					(written != null) ? written.getOrigin() : null, "it is not a boolean",
					"Write true or false (or remove it: the default is true).");
		}
		return enabled ? ConditionOutcome.match(property + " is not false")
				: ConditionOutcome.noMatch(property + " is false");
	}

}
