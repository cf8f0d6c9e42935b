package dev.atomicfile.autoconfigure;

import dev.atomicfile.OrphanReaper;

/**
 * Adjusts the auto-configured {@link OrphanReaper.Builder} after the {@code atomicfile.reaper.*}
 * properties and the listener beans are applied, so an application can change one setting and
 * keep the rest of the wiring instead of replacing the reaper bean. Every customizer bean is
 * applied, in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface OrphanReaperBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder the auto-configured reaper is built from
	 */
	void customize(OrphanReaper.Builder builder);

}
