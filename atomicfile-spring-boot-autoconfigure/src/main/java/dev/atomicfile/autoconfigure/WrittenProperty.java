package dev.atomicfile.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * A property as the user wrote it: the raw value (before conversion, placeholders unresolved) and
 * its origin (a file and line, an environment variable, a command-line argument), looked up with
 * the precedence the binder uses, so a failure report can quote what the user must change.
 *
 * @param name the name under which it was found, such as {@code atomicfile.reaper.paths[1]}
 * @param value the value as written, or {@code null} when no property source has it
 * @param origin where it came from, or {@code null} when unknown
 */
record WrittenProperty(String name, @Nullable Object value, @Nullable Origin origin) {

	/** The value of {@code name} as written, or one with a {@code null} value when none is set. */
	static WrittenProperty of(Environment environment, String name) {
		return of(environment, name, -1);
	}

	/**
	 * The element {@code index} of the list property {@code name}: written on its own
	 * ({@code name[index]}, a YAML list item) or as part of a comma-separated value of {@code name},
	 * whichever the binder used.
	 */
	static WrittenProperty of(Environment environment, String name, int index) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			ConfigurationPropertyName listName = ConfigurationPropertyName.of(name);
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
				// Within one source the binder prefers the whole value over indexed elements.
				ConfigurationProperty whole = source.getConfigurationProperty(listName);
				if (whole != null) {
					return new WrittenProperty(name, whole.getValue(), whole.getOrigin());
				}
				if (index >= 0) {
					ConfigurationProperty element = source.getConfigurationProperty(listName.append("[" + index + "]"));
					if (element != null) {
						return new WrittenProperty(name + "[" + index + "]", element.getValue(), element.getOrigin());
					}
				}
			}
		}
		return new WrittenProperty((index >= 0) ? name + "[" + index + "]" : name, null, null);
	}

	/** An exception that reports this value. */
	InvalidAtomicFilePropertyException invalid(String reason, String action) {
		return new InvalidAtomicFilePropertyException(this.name, this.value, this.origin, reason, action);
	}

	/** An exception that reports this value, or {@code fallback} when the property was not written anywhere. */
	InvalidAtomicFilePropertyException invalid(Object fallback, String reason, String action) {
		return new InvalidAtomicFilePropertyException(this.name, (this.value != null) ? this.value : fallback,
				this.origin, reason, action);
	}

}
