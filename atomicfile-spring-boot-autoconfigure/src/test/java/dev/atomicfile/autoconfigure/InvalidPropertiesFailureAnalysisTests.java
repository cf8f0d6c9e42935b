package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaper;
import dev.atomicfile.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every invalid {@code atomicfile.*} value stops a real {@link SpringApplication} with the failure
 * analysis a user sees, wherever it was written: in a YAML file, in the environment, on the
 * command line. The report quotes the value as written and its origin, and says what to write.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertiesFailureAnalysisTests {

	@TempDir
	Path directory;

	/** Where a value is written, and how its origin reads in the report. */
	enum Source {

		YAML, ENVIRONMENT, COMMAND_LINE

	}

	/**
	 * One invalid setting.
	 * @param property the property
	 * @param value the value as written in a properties file, the environment or on the command line
	 * @param yaml the same mistake as YAML under {@code atomicfile.reaper} (or {@code atomicfile})
	 * @param yamlValue the value the report quotes for the YAML form
	 * @param reason part of the reason the report gives
	 * @param action part of the action it suggests
	 */
	record Invalid(String property, String value, String yaml, String yamlValue, String reason, String action) {

		@Override
		public String toString() {
			return this.property + "=" + this.value;
		}

	}

	static Stream<Invalid> invalidSettings() {
		return Stream.of(
				new Invalid("atomicfile.reaper.interval", "", reaper("interval:"), "", "it is empty",
						"Set atomicfile.reaper.interval to a duration such as 10s, 15m or 1h"),
				new Invalid("atomicfile.reaper.interval", "1ns", reaper("interval: 1ns"), "1ns", "it is shorter than 1s",
						"Set atomicfile.reaper.interval to at least 1s"),
				new Invalid("atomicfile.reaper.interval", "-5s", reaper("interval: -5s"), "-5s", "it must be longer than zero",
						"Set atomicfile.reaper.interval to at least 1s"),
				new Invalid("atomicfile.reaper.interval", "soon", reaper("interval: soon"), "soon",
						"it cannot be read as java.time.Duration", "Write a duration such as 10s, 15m or 1h"),
				new Invalid("atomicfile.reaper.interval", "99999999999999999999d", reaper("interval: 99999999999999999999d"),
						"99999999999999999999d", "it cannot be read as java.time.Duration", "Write a duration"),
				new Invalid("atomicfile.reaper.max-age", "0s", reaper("max-age: 0s"), "0s", "it must be longer than zero",
						"Set atomicfile.reaper.max-age to a positive duration"),
				new Invalid("atomicfile.reaper.min-age", "-1h", reaper("min-age: -1h"), "-1h", "it must be longer than zero",
						"Set atomicfile.reaper.min-age to a positive duration"),
				new Invalid("atomicfile.reaper.min-age", "2h", reaper("min-age: 2h"), "2h",
						"it is longer than atomicfile.reaper.max-age (PT1H)",
						"Set atomicfile.reaper.min-age to at most atomicfile.reaper.max-age"),
				new Invalid("atomicfile.durability", "sometimes", "durability: sometimes", "sometimes",
						"it cannot be read as dev.atomicfile.Durability", "Write one of none, file or full"),
				new Invalid("atomicfile.preserve-permissions", "maybe", "preserve-permissions: maybe", "maybe",
						"it cannot be read as boolean", "Write true or false"),
				new Invalid("atomicfile.follow-links", "sometimes", "follow-links: sometimes", "sometimes",
						"it cannot be read as boolean", "Write true or false"),
				new Invalid("atomicfile.preserve-ownership", "perhaps", "preserve-ownership: perhaps", "perhaps",
						"it cannot be read as boolean", "Write true or false"),
				new Invalid("atomicfile.enabled", "maybe", "enabled: maybe", "maybe", "it is not a boolean",
						"Write true or false"),
				new Invalid("atomicfile.new-file-permissions", "rw-r--r-x-", "new-file-permissions: rw-r--r-x-",
						"rw-r--r-x-", "it is not nine characters of r, w, x or -",
						"Set atomicfile.new-file-permissions as ls -l shows permissions"),
				new Invalid("atomicfile.fsync-parallelism", "0", "fsync-parallelism: 0", "0", "it must be at least 1",
						"Set atomicfile.fsync-parallelism to how many files of one commit may be fsynced at once"),
				new Invalid("atomicfile.fsync-parallelism", "-4", "fsync-parallelism: -4", "-4", "it must be at least 1",
						"or remove it for the default (" + AtomicFileWriter.Builder.DEFAULT_FSYNC_PARALLELISM
								+ " on this machine"),
				new Invalid("atomicfile.fsync-parallelism", "many", "fsync-parallelism: many", "many",
						"it cannot be read as java.lang.Integer", "Write a whole number of at least 1"),
				new Invalid("atomicfile.recovery.enabled", "maybe", "recovery:\n  enabled: maybe", "maybe",
						"it is not a boolean", "Write true or false"),
				new Invalid("atomicfile.reaper.enabled", "maybe", reaper("enabled: maybe"), "maybe", "it is not a boolean",
						"Write true or false"),
				new Invalid("atomicfile.reaper.recursive", "sometimes", reaper("recursive: sometimes"), "sometimes",
						"it cannot be read as boolean", "Write true or false"),
				new Invalid("atomicfile.reaper.paths", "/tmp,,/var/tmp", reaper("paths:\n  - /tmp\n  -\n  - /var/tmp"), "",
						"element 1 is empty", "Remove the empty element"),
				new Invalid("atomicfile.reaper.paths", "/dev/null", reaper("paths: /dev/null"), "/dev/null",
						"/dev/null is neither a directory nor a regular file", "List directories"),
				new Invalid("atomicfile.reaper.extra-patterns", "*.{tmp,bak}", reaper("extra-patterns: \"*.{tmp,bak}\""),
						"*.{tmp,bak}", "Spring split it at its commas into separate globs, and '*.{tmp' is not a valid glob",
						"Write each glob as its own list element: a YAML list item"),
				new Invalid("atomicfile.reaper.extra-patterns", "[abc", reaper("extra-patterns:\n  - \"[abc\""), "[abc",
						"'[abc' is not a valid glob", "Write a glob as java.nio.file.FileSystem#getPathMatcher reads it"),
				new Invalid("atomicfile.reaper.extra-patterns", "*.tmp,,*.bak", reaper("extra-patterns:\n  - \"*.tmp\"\n  - \"\""),
						"", "element 1 is empty", "Remove the empty element"),
				new Invalid("atomicfile.reaper.extra-patterns", "tmp/*.bak", reaper("extra-patterns: tmp/*.bak"), "tmp/*.bak",
						"'tmp/*.bak' contains '/', but patterns match file names only", "Write a glob for the file name"));
	}

	static Stream<Arguments> invalidSettingsFromEverySource() {
		return invalidSettings()
			.flatMap((invalid) -> Stream.of(Source.values()).map((source) -> Arguments.of(invalid, source)));
	}

	@ParameterizedTest(name = "{0} from {1}")
	@MethodSource("invalidSettingsFromEverySource")
	void invalidValueStopsStartupWithTheValueItsOriginAndWhatToWrite(Invalid invalid, Source source,
			CapturedOutput output) throws IOException {
		assertThatException().isThrownBy(() -> run(source, invalid));
		String value = (source == Source.YAML) ? invalid.yamlValue() : invalid.value();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value for property '" + invalid.property())
			.contains("Value: \"" + value + "\"")
			.contains("Origin: " + expectedOrigin(source, invalid))
			.contains("Reason: " + invalid.reason())
			.contains("Action:")
			.contains(invalid.action())
			.doesNotContain("NullPointerException")
			.doesNotContain("ArithmeticException");
	}

	@ParameterizedTest
	@EnumSource(Source.class)
	void braceGlobWrittenAsOneListElementIsUsable(Source source) throws IOException {
		Map<String, String> environment = new HashMap<>();
		List<String> args = new ArrayList<>();
		switch (source) {
			case YAML -> args.add(yamlFile(reaper("extra-patterns:\n  - \"*.{tmp,bak}\"\n  - index.faiss.tmp")));
			case ENVIRONMENT -> {
				environment.put("ATOMICFILE_REAPER_EXTRAPATTERNS_0_", "*.{tmp,bak}");
				environment.put("ATOMICFILE_REAPER_EXTRAPATTERNS_1_", "index.faiss.tmp");
			}
			case COMMAND_LINE -> {
				args.add("--atomicfile.reaper.extra-patterns[0]=*.{tmp,bak}");
				args.add("--atomicfile.reaper.extra-patterns[1]=index.faiss.tmp");
			}
		}
		try (ConfigurableApplicationContext context = run(environment, args)) {
			assertThat(context.getBean(OrphanReaper.class).toString())
				.contains("extraPatterns=[*.{tmp,bak}, index.faiss.tmp]");
		}
	}

	@Test
	void hugeIntervalIsAcceptedAndMeansPassesThatFarApart() {
		try (ConfigurableApplicationContext context = run(Map.of(),
				List.of("--atomicfile.reaper.interval=100000000000d"))) {
			assertThat(context.getBean(PeriodicOrphanReaper.class).isRunning()).isTrue();
		}
	}

	@Test
	void missingReaperPathIsOnlyAWarning(CapturedOutput output) {
		Path missing = this.directory.resolve("not-yet");
		try (ConfigurableApplicationContext context = run(Map.of(), List.of("--atomicfile.reaper.paths=" + missing))) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).contains("atomicfile.reaper.paths entry " + missing + " does not exist (yet)")
			.doesNotContain("APPLICATION FAILED TO START");
	}

	/** The environment of a real process, not a property source made to look like one. */
	@Test
	void emptyIntervalInTheRealEnvironmentOfAChildJvmIsReported() throws Exception {
		ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of(), MinimalApplicationMain.class))
			.redirectErrorStream(true);
		builder.environment().put("ATOMICFILE_REAPER_INTERVAL", "");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isNotZero();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Value: \"\"")
			.contains("Origin: System Environment Property \"ATOMICFILE_REAPER_INTERVAL\"")
			.contains("Reason: it is empty")
			.doesNotContain("NullPointerException");
	}

	private ConfigurableApplicationContext run(Source source, Invalid invalid) throws IOException {
		Map<String, String> environment = new HashMap<>();
		List<String> args = new ArrayList<>();
		switch (source) {
			case YAML -> args.add(yamlFile(invalid.yaml()));
			case ENVIRONMENT -> environment.put(environmentName(invalid.property()), invalid.value());
			case COMMAND_LINE -> args.add("--" + invalid.property() + "=" + invalid.value());
		}
		return run(environment, args);
	}

	/** {@code yaml} under {@code reaper:}. */
	private static String reaper(String yaml) {
		return "reaper:\n" + indent(yaml);
	}

	private static String indent(String yaml) {
		return "  " + yaml.replace("\n", "\n  ");
	}

	/** A YAML file with {@code yaml} under {@code atomicfile:}, as the argument that adds it to the configuration. */
	private String yamlFile(String yaml) throws IOException {
		Path file = Files.writeString(this.directory.resolve("settings.yml"), "atomicfile:\n" + indent(yaml) + "\n");
		return "--spring.config.additional-location=" + file.toUri();
	}

	private String expectedOrigin(Source source, Invalid invalid) {
		return switch (source) {
			case YAML -> "URL [file:" + this.directory.resolve("settings.yml") + "] - ";
			case ENVIRONMENT -> "System Environment Property \"" + environmentName(invalid.property()) + "\"";
			case COMMAND_LINE -> "\"" + invalid.property() + "\" from property source \"commandLineArgs\"";
		};
	}

	private static String environmentName(String property) {
		return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
	}

	private static ConfigurableApplicationContext run(Map<String, String> environmentVariables, List<String> args) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(new StandardEnvironment() {

			@Override
			protected void customizePropertySources(MutablePropertySources propertySources) {
				super.customizePropertySources(propertySources);
				// Boot turns this into its origin-tracking environment source, as for the real one.
				propertySources.replace(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
						SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(environmentVariables)));
			}

		});
		return application.run(args.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AtomicFileAutoConfiguration.class, OrphanReaperAutoConfiguration.class,
			CommitRecoveryAutoConfiguration.class })
	static class MinimalApplication {

	}

	/** The minimal application, started by a child JVM's {@code main}. */
	static final class MinimalApplicationMain {

		public static void main(String[] args) {
			SpringApplication application = new SpringApplication(MinimalApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.run(args);
		}

	}

}
