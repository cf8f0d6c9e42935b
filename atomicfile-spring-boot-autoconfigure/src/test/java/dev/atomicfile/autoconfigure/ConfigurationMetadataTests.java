package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata the configuration processor generates is what IDEs complete and document: every
 * property must be there with its description and default, on every JDK the build supports.
 */
class ConfigurationMetadataTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(nullValues = "none", textBlock = """
			atomicfile.enabled,                 true
			atomicfile.durability,              full
			atomicfile.preserve-permissions,    true
			atomicfile.preserve-ownership,      true
			atomicfile.follow-links,            true
			atomicfile.fsync-parallelism,       none
			atomicfile.recovery.enabled,        true
			atomicfile.reaper.enabled,          true
			atomicfile.reaper.paths,            none
			atomicfile.reaper.max-age,          1h
			atomicfile.reaper.min-age,          10s
			atomicfile.reaper.recursive,        false
			atomicfile.reaper.extra-patterns,   none
			atomicfile.reaper.interval,         none
			atomicfile.health.free-space-threshold, 10MB
			atomicfile.startup-check.enabled,   true
			atomicfile.startup-check.fail-on,   '["writable","atomic-rename"]'
			management.health.atomicfile.enabled, true
			""")
	void propertyIsDocumentedWithItsDefault(String name, String defaultValue) throws IOException {
		Map<String, Object> property = property(name);
		assertThat((String) property.get("description")).as("description of %s", name).isNotBlank().endsWith(".");
		if (defaultValue != null) {
			assertThat(String.valueOf(property.get("defaultValue"))).as("default of %s", name).isEqualTo(defaultValue);
		}
		else {
			assertThat(property).as("default of %s", name).doesNotContainKey("defaultValue");
		}
	}

	/** The default depends on the machine, so no default value can state it: the description does. */
	@Test
	void fsyncParallelismSaysWhatTheDefaultIsOnEveryMachine() throws IOException {
		assertThat((String) property("atomicfile.fsync-parallelism").get("description"))
			.contains("min(128, max(16, 2 * available processors))");
	}

	private static Map<String, Object> property(String name) throws IOException {
		try (InputStream metadata = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(metadata).as("generated metadata").isNotNull();
			List<Map<String, Object>> matches = JsonPath.parse(metadata).read("$.properties[?(@.name == '" + name + "')]");
			assertThat(matches).as("metadata of %s", name).hasSize(1);
			return matches.get(0);
		}
	}

}
