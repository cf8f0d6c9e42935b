package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.Durability;
import dev.atomicfile.autoconfigure.AtomicFileProperties;

/**
 * The smallest Boot application (auto-configuration only, no web server, no component scan) with
 * actuator on the class path, so that Boot creates a {@code SimpleMeterRegistry} and binds the
 * starter's Micrometer counters: it provides the {@link AtomicFileWriter} bean users actually get.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BootApplication {

	/** Starts the application and proves the bean has the durability asked for and counts in Micrometer. */
	static ConfigurableApplicationContext start(Durability durability) throws IOException {
		SpringApplication application = new SpringApplication(BootApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		ConfigurableApplicationContext context = application.run(
				"--atomicfile.durability=" + durability.name().toLowerCase(Locale.ROOT),
				"--atomicfile.reaper.enabled=false", "--spring.main.log-startup-info=false");
		try {
			requireMetricsAttached(context, durability);
		}
		catch (IOException | RuntimeException ex) {
			context.close();
			throw ex;
		}
		return context;
	}

	/** Without this proof a broken shade or a moved class would silently measure no Micrometer. */
	private static void requireMetricsAttached(ConfigurableApplicationContext context, Durability durability)
			throws IOException {
		AtomicFileWriter writer = context.getBean(AtomicFileWriter.class);
		Durability bound = context.getBean(AtomicFileProperties.class).getDurability();
		if (bound != durability) {
			throw new IllegalStateException("atomicfile.durability bound as " + bound + ", not " + durability);
		}
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		Path directory = BenchFiles.newDirectory("spring-check");
		try {
			writer.write(directory.resolve("probe"), new byte[1]);
			Counter writes = registry.find("atomicfile.writes").counter();
			if (writes == null || writes.count() != 1) {
				throw new IllegalStateException("atomicfile.writes is not counting in " + registry + ": " + writes);
			}
		}
		finally {
			BenchFiles.deleteRecursively(directory);
		}
	}

}
