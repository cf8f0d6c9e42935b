package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.StraceLog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code newFilePermissions}: a new file gets exactly the permissions asked for, whatever the
 * process's umask, and is never created wider. Each case runs in a child JVM started under a real
 * {@code umask} and traced with {@code strace}, to see the mode the temp is created with.
 */
class WriterNewFilePermissionsTest {

	@TempDir
	Path directory;

	@ParameterizedTest(name = "umask {0}, asked {1}")
	@CsvSource({ "000, rw-------", "077, rw-r-----", "022, rw-rw-rw-", "027, rwxr-x---" })
	void aNewFileGetsExactlyThePermissionsAskedForAndIsNeverCreatedWider(String umask, String permissions)
			throws Exception {
		Path target = this.directory.resolve("secret-" + umask + ".txt");
		Path traceFile = this.directory.resolve("strace-" + umask + ".out");
		List<String> wrapper = List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh", "strace", "-f", "-qq",
				"-o", traceFile.toString(), "-e", "trace=openat,chmod,fchmodat");
		Process child = new ProcessBuilder(ChildJvm.command(wrapper, NewFileMain.class, target.toString(), permissions))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("OK\n");
		assertThat(child.waitFor()).isZero();
		int asked = Modes.of(PosixFilePermissions.fromString(permissions));
		assertThat(Files.getAttribute(target, "unix:mode")).as("mode of the new file")
			.isEqualTo(0100000 | asked);
		StraceLog.Call creation = StraceLog.read(traceFile)
			.calls()
			.stream()
			.filter((call) -> call.is("openat") && call.arguments().contains("O_CREAT")
					&& call.arguments().contains(target.getFileName() + ".tmp.af-"))
			.findFirst()
			.orElseThrow();
		assertThat(creation.arguments()).as("created with the asked bits, which the umask can only narrow")
			.endsWith(String.format(", %04o", asked));
	}

	@Test
	void anExistingFileKeepsItsModeUnlessPermissionsAreNotPreserved() throws IOException {
		Path target = this.directory.resolve("existing.txt");
		Files.writeString(target, "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
		AtomicFileWriter.Builder builder = AtomicFileWriter.builder()
			.newFilePermissions(PosixFilePermissions.fromString("rw-------"));
		builder.build().writeString(target, "kept");
		assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
		builder.preservePermissions(false).build().writeString(target, "narrowed");
		assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void writeFileProducersGetTheAskedPermissionsToo() throws IOException {
		Path target = this.directory.resolve("produced.txt");
		AtomicFileWriter.builder()
			.newFilePermissions(PosixFilePermissions.fromString("rw-r-----"))
			.build()
			.writeFile(target, (path) -> Files.writeString(path, "made by a tool"));
		assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
	}

	/** Writes {@code args[0]} with newFilePermissions {@code args[1]}. */
	public static final class NewFileMain {

		public static void main(String[] args) throws IOException {
			AtomicFileWriter.builder()
				.newFilePermissions(PosixFilePermissions.fromString(args[1]))
				.build()
				.writeString(Path.of(args[0]), "secret");
			System.out.println("OK");
		}

	}

}
