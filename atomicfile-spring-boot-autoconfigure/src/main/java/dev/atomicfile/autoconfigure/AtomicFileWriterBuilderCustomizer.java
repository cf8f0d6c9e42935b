package dev.atomicfile.autoconfigure;

import dev.atomicfile.AtomicFileWriter;

/**
 * Adjusts the auto-configured {@link AtomicFileWriter.Builder} after the {@code atomicfile.*}
 * properties and the listener beans are applied, so an application can change one setting and
 * keep the rest of the wiring (metrics, listeners) instead of replacing the writer bean. Every
 * customizer bean is applied, in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface AtomicFileWriterBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder the auto-configured writer is built from
	 */
	void customize(AtomicFileWriter.Builder builder);

}
