package dev.atomicfile.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Invalid {@code atomicfile.*} values stop a real {@link SpringApplication} with the failure
 * analysis a user sees: a description naming the property and an action.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertiesFailureAnalysisTests {

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			atomicfile.reaper.max-age  | 0s  | it must be longer than zero
			atomicfile.reaper.max-age  | -1h | it must be longer than zero
			atomicfile.reaper.min-age  | 0ms | it must be longer than zero
			atomicfile.reaper.interval | -5s | it must be longer than zero
			atomicfile.reaper.min-age  | 2h  | it is longer than atomicfile.reaper.max-age
			""")
	void invalidAgeFailsWithTheAnalyzersReport(String property, String value, String reason, CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--" + property + "=" + value));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '")
			.contains("for property '" + property + "': " + reason)
			.contains("Action:")
			.contains("Set " + ((reason.contains("max-age")) ? "atomicfile.reaper.min-age to at most" : property));
	}

	@Test
	void unknownDurabilityFailsNamingTheValidValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--atomicfile.durability=sometimes"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("atomicfile.durability")
			.contains("sometimes")
			.contains("Action:")
			.containsIgnoringCase("NONE")
			.containsIgnoringCase("FILE")
			.containsIgnoringCase("FULL");
	}

	@Test
	void reaperPathThatIsNeitherDirectoryNorFileFails(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--atomicfile.reaper.paths=/dev/null"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '/dev/null' for property 'atomicfile.reaper.paths': "
					+ "it is neither a directory nor a regular file")
			.contains("Action:");
	}

	@Test
	void missingReaperPathIsOnlyAWarning(CapturedOutput output) {
		Path missing = this.directory.resolve("not-yet");
		try (ConfigurableApplicationContext context = run("--atomicfile.reaper.paths=" + missing)) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).contains("atomicfile.reaper.paths entry " + missing + " does not exist (yet)")
			.doesNotContain("APPLICATION FAILED TO START");
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(AtomicFileAutoConfiguration.class)
	static class MinimalApplication {

	}

}
