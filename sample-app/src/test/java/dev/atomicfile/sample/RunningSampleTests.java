package dev.atomicfile.sample;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on its real embedded server at a random port, with its data directory at
 * {@code root/data} in a fresh temporary {@code root} per test class, so that anything appearing
 * under {@code root} but outside {@code data} escaped it. Each test class gets its own
 * application (the context is closed after it), and adds its own properties with
 * {@code @TestPropertySource}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.banner-mode=off")
@DirtiesContext
abstract class RunningSampleTests {

	@TempDir
	static Path root;

	@Value("${local.server.port}")
	int port;

	DocumentsClient client;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("sample.data-dir", () -> dataDir().toString());
	}

	static Path dataDir() {
		return root.resolve("data");
	}

	@BeforeEach
	void connect() {
		this.client = new DocumentsClient(this.port);
	}

}
