package dev.atomicfile.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A small document store that shows the atomicfile starter end to end: every {@code PUT} goes
 * through the injected {@link dev.atomicfile.AtomicFileWriter}, temp files of a crashed run are
 * reaped at startup, and {@code /actuator/metrics/atomicfile.*} counts both.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
