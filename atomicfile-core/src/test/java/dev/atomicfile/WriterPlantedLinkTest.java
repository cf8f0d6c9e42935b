package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.atomicfile.testsupport.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A root writer in a directory someone else may write: the other party renames the temp away
 * mid-write and plants a link to a system file at its name. The chmod that gives the temp its
 * setuid mode must not reach the system file (a chmod by name would follow the link).
 */
class WriterPlantedLinkTest {

	@TempDir
	Path directory;

	@TempDir
	Path outside;

	@Test
	void aLinkPlantedInPlaceOfTheTempNeverRedirectsRootsChmod() throws IOException {
		assumeTrue(ChildJvm.isRoot(), "the chmod through the writer's own descriptor is root's path");
		Path system = Files.writeString(this.outside.resolve("shadow"), "secret");
		Files.setAttribute(system, "unix:mode", 0600);
		Path target = Files.writeString(this.directory.resolve("tool"), "old");
		Files.setAttribute(target, "unix:mode", 04750);

		Throwable thrown = catchThrowable(() -> AtomicFileWriter.builder().build().write(target, (out) -> {
			out.write("new".getBytes(StandardCharsets.UTF_8));
			Path temp = onlyTemp();
			Files.move(temp, this.directory.resolve("renamed-away"));
			Files.createSymbolicLink(temp, system);
		}));

		assertThat(thrown).isInstanceOf(FileSystemException.class).hasMessageContaining("renamed or replaced");
		assertThat(Files.getAttribute(system, "unix:mode")).as("the system file's mode").isEqualTo(0100600);
		assertThat(system).hasContent("secret");
		assertThat(target).hasContent("old");
		assertThat(Files.getAttribute(target, "unix:mode")).isEqualTo(0104750);
	}

	private Path onlyTemp() throws IOException {
		try (var entries = Files.list(this.directory)) {
			List<Path> temps = entries.filter((entry) -> TempFileNames.isTempName(entry.getFileName().toString()))
				.toList();
			assertThat(temps).hasSize(1);
			return temps.get(0);
		}
	}

}
