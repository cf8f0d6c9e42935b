package dev.atomicfile.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches unless the boolean property {@link #value()} is false. Unlike
 * {@code @ConditionalOnBooleanProperty}, a value that is not a boolean ({@code maybe}, a typo)
 * stops startup with a failure analysis instead of silently switching the feature off, and the
 * value is read the way the binder reads booleans ({@code yes}/{@code no} too), so the condition
 * and the bound property never disagree.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnEnabledFlagCondition.class)
@interface ConditionalOnEnabledFlag {

	/**
	 * The property, such as {@code atomicfile.enabled}.
	 * @return the property name
	 */
	String value();

}
