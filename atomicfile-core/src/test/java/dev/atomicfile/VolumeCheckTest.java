package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.ReaperNoLocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link VolumeCheck} on real volumes: each failing check comes from a real fault. */
class VolumeCheckTest {

	@TempDir
	Path directory;

	@Test
	void anOrdinaryDirectoryPassesEveryCheckAndIsLeftAsItWas() throws IOException {
		Files.writeString(this.directory.resolve("data.json"), "{}");
		VolumeReport report = VolumeCheck.check(this.directory);
		assertThat(report.healthy()).as("%s", report.problems()).isTrue();
		assertThat(report.problems()).isEmpty();
		assertThat(report.usableBytes()).isPositive();
		assertThat(report.totalBytes()).isGreaterThanOrEqualTo(report.usableBytes());
		assertThat(Files.list(this.directory)).containsExactly(this.directory.resolve("data.json"));
	}

	@Test
	void aTmpfsPassesToo() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root to mount a tmpfs");
		Path mount = Files.createDirectory(this.directory.resolve("tmpfs"));
		Commands.mountTmpfs(mount, "1m");
		try {
			VolumeReport report = VolumeCheck.check(mount);
			assertThat(report.healthy()).as("%s", report.problems()).isTrue();
			assertThat(report.totalBytes()).isEqualTo(1024 * 1024);
		}
		finally {
			Commands.umount(mount);
		}
	}

	@Test
	void aReadOnlyBindMountIsNotWritable() throws Exception {
		assumeTrue(ChildJvm.isRoot(), "needs root for a bind mount");
		Path source = Files.createDirectory(this.directory.resolve("source"));
		Path readOnly = Files.createDirectory(this.directory.resolve("read-only"));
		Commands.bindReadOnly(source, readOnly);
		try {
			VolumeReport report = VolumeCheck.check(readOnly);
			assertThat(report.writable()).isFalse();
			assertThat(report.healthy()).isFalse();
			assertThat(report.problems()).anySatisfy((problem) -> assertThat(problem).contains("cannot create a file")
				.contains("Read-only file system"));
		}
		finally {
			Commands.umount(readOnly);
		}
	}

	@Test
	void aFileSystemThatRefusesLocksIsReported() throws Exception {
		Process child = new ProcessBuilder(
				ChildJvm.command(ReaperNoLocks.wrapper(this.directory), VolumeCheckMain.class, this.directory.toString()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = reportLine(child);
		assertThat(output).startsWith("writable=true atomicRename=true locks=false directorySync=true")
			.contains("fcntl locks are refused");
		assertThat(Files.list(this.directory)).allMatch((path) -> path.getFileName().toString().endsWith(".py"));
	}

	@Test
	void aDirectoryThatRefusesFsyncIsReported() throws Exception {
		// What some network and FUSE file systems answer to a directory fsync, injected by strace.
		Process child = new ProcessBuilder(ChildJvm.command(List.of("strace", "-f", "-qq", "-o", "/dev/null", "-e",
				"trace=fsync", "-e", "inject=fsync:error=EINVAL:when=2"), VolumeCheckMain.class,
				this.directory.toString()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = reportLine(child);
		assertThat(output).startsWith("writable=true atomicRename=true locks=true directorySync=false")
			.contains("Durability.FULL cannot hold");
	}

	/** The child's report line (its log lines go to standard output too). */
	private static String reportLine(Process child) throws Exception {
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor()).isZero();
		return output.lines().filter((line) -> line.startsWith("writable=")).findFirst().orElseThrow();
	}

	/** Prints the check of {@code args[0]}. */
	public static final class VolumeCheckMain {

		public static void main(String[] args) {
			VolumeReport report = VolumeCheck.check(Path.of(args[0]));
			System.out.println("writable=" + report.writable() + " atomicRename=" + report.atomicRename() + " locks="
					+ report.locks() + " directorySync=" + report.directorySync() + " " + report.problems());
		}

	}

}
