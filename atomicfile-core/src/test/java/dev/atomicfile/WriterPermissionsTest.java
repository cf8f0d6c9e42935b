package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Directories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Mode bits: kept for existing files, umask mode for new ones, never looser while holding content. */
class WriterPermissionsTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "rw-r-----", "rw-------", "rwxr-xr-x", "r--r--r--", "rw-rw-rw-" })
	void existingTargetKeepsItsMode(String mode) throws IOException {
		Path target = Files.writeString(this.directory.resolve("target"), "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
		AtomicFileWriter.builder().build().writeString(target, "new");
		assertThat(target).hasContent("new");
		assertThat(modeOf(target)).isEqualTo(mode);
	}

	@Test
	void tempFileHasTheTargetsModeBeforeItsFirstByte() throws IOException {
		Path target = Files.writeString(this.directory.resolve("secret"), "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
		AtomicReference<String> tempMode = new AtomicReference<>();
		AtomicReference<Long> tempSize = new AtomicReference<>();
		AtomicFileWriter.builder().build().write(target, (out) -> {
			Path temp = onlyTempFile();
			tempMode.set(modeOf(temp));
			tempSize.set(Files.size(temp));
			out.write("new".getBytes(StandardCharsets.UTF_8));
		});
		assertThat(tempSize.get()).as("nothing written yet").isZero();
		assertThat(tempMode.get()).isEqualTo("rw-------");
	}

	@Test
	void producerSeesTheTargetsModeAndARecreatedTempGetsItBack() throws IOException {
		Path target = Files.writeString(this.directory.resolve("secret"), "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
		AtomicReference<String> handedOverMode = new AtomicReference<>();
		AtomicFileWriter.builder().build().writeFile(target, (temp) -> {
			handedOverMode.set(modeOf(temp));
			Files.delete(temp);
			Files.writeString(temp, "recreated with the umask mode");
		});
		assertThat(handedOverMode.get()).isEqualTo("rw-------");
		assertThat(modeOf(target)).isEqualTo("rw-------");
	}

	@Test
	void newFileGetsTheModeFilesWriteGives() throws IOException {
		Path reference = Files.writeString(this.directory.resolve("by-files-write"), "x");
		Path target = this.directory.resolve("by-writer");
		AtomicFileWriter.builder().build().writeString(target, "x");
		assertThat(modeOf(target)).isEqualTo(modeOf(reference));
	}

	@Test
	void withoutPreservationAnExistingTargetGetsTheNewFileMode() throws IOException {
		Path reference = Files.writeString(this.directory.resolve("by-files-write"), "x");
		Path target = Files.writeString(this.directory.resolve("target"), "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
		AtomicFileWriter.builder().preservePermissions(false).build().writeString(target, "new");
		assertThat(target).hasContent("new");
		assertThat(modeOf(target)).isEqualTo(modeOf(reference)).isNotEqualTo("rwx------");
	}

	@Test
	void newFileHonoursTheProcessUmask() throws Exception {
		Path target = this.directory.resolve("private");
		// The umask is per process: set it in a shell that then becomes the child JVM.
		Process child = ChildJvm.start(List.of("sh", "-c", "umask 077 && exec \"$0\" \"$@\""), WriterChildMain.class,
				"FULL", target.toString());
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
		assertThat(output).isEqualTo("OK " + target + "\n");
		assertThat(target).hasContent(WriterChildMain.payload(Durability.FULL));
		assertThat(modeOf(target)).isEqualTo("rw-------");
	}

	private Path onlyTempFile() throws IOException {
		List<String> temps = Directories.names(this.directory)
			.stream()
			.filter(TempFileNames::isTempName)
			.toList();
		assertThat(temps).hasSize(1);
		return this.directory.resolve(temps.get(0));
	}

	private static String modeOf(Path file) throws IOException {
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
		return PosixFilePermissions.toString(permissions);
	}

}
