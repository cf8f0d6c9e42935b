package dev.atomicfile.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports an {@code atomicfile.*} value that cannot even be converted to its type (a duration
 * that is not one, an unknown durability, a boolean that is neither) like every other invalid
 * value: as written, with its origin and with what to write instead. Ordered before Spring Boot's
 * generic bind analyzer, which cannot say what a valid value looks like.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class AtomicFileBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	private static final String BOOLEAN = "Write true or false.";

	private static final String DURATION = "Write " + AtomicFilePropertiesValidator.DURATION_EXAMPLES + ".";

	private static final Map<String, String> actions = Map.ofEntries(Map.entry("atomicfile.enabled", BOOLEAN),
			Map.entry("atomicfile.durability", "Write one of none, file or full."),
			Map.entry("atomicfile.preserve-permissions", BOOLEAN), Map.entry("atomicfile.preserve-ownership", BOOLEAN),
			Map.entry("atomicfile.follow-links", BOOLEAN),
			Map.entry("atomicfile.fsync-parallelism",
					"Write a whole number of at least 1, or remove it for the default."),
			Map.entry("atomicfile.recovery.enabled", BOOLEAN), Map.entry("atomicfile.reaper.enabled", BOOLEAN),
			Map.entry("atomicfile.reaper.recursive", BOOLEAN), Map.entry("atomicfile.reaper.max-age", DURATION),
			Map.entry("atomicfile.reaper.min-age", DURATION), Map.entry("atomicfile.reaper.interval", DURATION),
			Map.entry("atomicfile.reaper.paths",
					"Write directory (or file) paths, separated by commas or as list items."),
			Map.entry("atomicfile.reaper.extra-patterns",
					"Write file-name globs, separated by commas or as list items."));

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String name = cause.getName().toString();
		if (!name.equals("atomicfile") && !name.startsWith("atomicfile.")) {
			return null;
		}
		ConfigurationProperty property = cause.getProperty();
		String listName = name.replaceAll("\\[\\d+]$", "");
		String action = actions.getOrDefault(listName, "Fix or remove the value.");
		Throwable deepest = deepest(cause);
		// A YAML list item without a value: the binder reports the element it could not fill.
		boolean emptyElement = deepest.getClass().getSimpleName().equals("UnboundConfigurationPropertiesException");
		return InvalidAtomicFilePropertyFailureAnalyzer.analysis(new InvalidAtomicFilePropertyException(name,
				(property != null) ? property.getValue() : null, (property != null) ? property.getOrigin() : null,
				emptyElement ? "element " + index(property) + " is empty"
						: "it cannot be read as " + cause.getTarget().getType() + ": " + message(deepest),
				emptyElement ? "Remove the empty element, or give it a value. " + action : action));
	}

	private static String index(@Nullable ConfigurationProperty property) {
		String name = (property != null) ? property.getName().toString() : "";
		int open = name.lastIndexOf('[');
		return (open >= 0 && name.endsWith("]")) ? name.substring(open + 1, name.length() - 1) : name;
	}

	private static Throwable deepest(Throwable failure) {
		Throwable deepest = failure;
		while (deepest.getCause() != null && deepest.getCause() != deepest) {
			deepest = deepest.getCause();
		}
		return deepest;
	}

	private static String message(Throwable failure) {
		return (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
	}

}
