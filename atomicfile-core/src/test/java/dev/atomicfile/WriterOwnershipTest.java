package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atomicfile.WriterApisMain.Output;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.OtherUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertNoTempFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The whole mode and the owner of the file a write replaces (issue 9 rule 9b to 9d), through every
 * API: setuid, setgid and sticky bits survive, as root and as an unprivileged user (whose own write
 * makes the kernel clear setuid, so the mode must come after the content); owner and group survive
 * when root rewrites another user's file, unless {@code preserveOwnership(false)}; an unprivileged
 * writer keeps the file as its own and says so only at DEBUG; read-only and even write-only or
 * mode-0 targets do not lock an unprivileged producer out; bits the umask removed come back.
 * Unprivileged runs are real: a child JVM as nobody, through {@code setpriv}.
 */
class WriterOwnershipTest {

	private static final List<String> APIS = List.of("bytes", "stream", "file", "file-append");

	private static final int[] SPECIAL_MODES = { 04755, 02750, 06711, 01644, 07777, 04000 };

	/** An owner that is neither root nor nobody, and has no account. */
	private static final int STRANGER = 4242;

	@TempDir
	Path directory;

	@TempDir
	Path scratch;

	@Test
	void specialBitsAreCarriedOverByEveryApiAsRoot() throws Exception {
		assumeRoot();
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		for (int mode : SPECIAL_MODES) {
			for (String api : APIS) {
				Path target = existing("mode-" + Integer.toOctalString(mode) + "-" + api, mode);
				write(writer, api, target);
				assertThat(modeOf(target)).as("%s of a %s file", api, Integer.toOctalString(mode))
					.isEqualTo(Integer.toOctalString(mode));
			}
		}
		assertNoTempFiles(this.directory);
	}

	@Test
	void ownerAndGroupAreCarriedOverWhenRootRewritesAnotherUsersFileBeforeItsSpecialBits() throws Exception {
		assumeRoot();
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		for (String api : APIS) {
			Path target = nobodysFile("app-" + api, 06750);
			Path groupOnly = existing("group-" + api, 02640);
			Files.setAttribute(groupOnly, "unix:gid", OtherUser.gid());
			Files.setAttribute(groupOnly, "unix:mode", 02640);

			write(writer, api, target);
			write(writer, api, groupOnly);

			assertOwnedBy(target, OtherUser.uid(), OtherUser.gid());
			// A chown clears setuid and setgid: they survive only if the mode comes after it.
			assertThat(modeOf(target)).as(api).isEqualTo("6750");
			assertOwnedBy(groupOnly, 0, OtherUser.gid());
			assertThat(modeOf(groupOnly)).as(api).isEqualTo("2640");
		}
		assertNoTempFiles(this.directory);
	}

	@Test
	void groupIsCarriedOverInASetgidDirectoryAlsoWhenItIsTheProcesssOwn() throws Exception {
		assumeRoot();
		// New files in a setgid directory take the directory's group, not the process's: a file of
		// the process's own group must still get that group back, or a 0640 file becomes readable
		// by the directory's group.
		Files.setAttribute(this.directory, "unix:gid", STRANGER);
		Files.setAttribute(this.directory, "unix:mode", 02755);
		AtomicFileWriter writer = AtomicFileWriter.builder().build();
		for (String api : APIS) {
			Path target = existing("private-" + api, 0640);
			assertOwnedBy(target, 0, STRANGER);
			Files.setAttribute(target, "unix:gid", 0);
			write(writer, api, target);
			assertOwnedBy(target, 0, 0);
			assertThat(modeOf(target)).as(api).isEqualTo("640");
		}
	}

	@Test
	void groupIsCarriedOverInASetgidDirectoryByAnUnprivilegedWriter() throws Exception {
		assumeRoot();
		OtherUser.own(OtherUser.openDirectory(this.directory));
		Files.setAttribute(this.directory, "unix:gid", STRANGER);
		Files.setAttribute(this.directory, "unix:mode", 02755);
		Map<Path, String> writes = new LinkedHashMap<>();
		for (String api : APIS) {
			writes.put(nobodysFile("private-" + api, 0640), api);
		}
		writeAsNobody(writes);
		for (Map.Entry<Path, String> write : writes.entrySet()) {
			assertThat(write.getKey()).hasContent(WriterApisMain.content(write.getValue()));
			assertOwnedBy(write.getKey(), OtherUser.uid(), OtherUser.gid());
		}
	}

	@Test
	void withoutPreserveOwnershipTheNewFileBelongsToTheProcessAndKeepsItsMode() throws Exception {
		assumeRoot();
		AtomicFileWriter writer = AtomicFileWriter.builder().preserveOwnership(false).build();
		for (String api : APIS) {
			Path target = nobodysFile("app-" + api, 0640);
			write(writer, api, target);
			assertThat(modeOf(target)).as(api).isEqualTo("640");
			assertOwnedBy(target, 0, 0);
		}
	}

	@Test
	void specialBitsSurviveAWriteByAnUnprivilegedOwner() throws Exception {
		assumeRoot();
		OtherUser.own(OtherUser.openDirectory(this.directory));
		Map<Path, String> writes = new LinkedHashMap<>();
		for (int mode : new int[] { 06755, 04700, 02770, 01644 }) {
			for (String api : APIS) {
				writes.put(nobodysFile("mode-" + Integer.toOctalString(mode) + "-" + api, mode), api);
			}
		}
		writeAsNobody(writes);
		for (Path target : writes.keySet()) {
			String mode = target.getFileName().toString().split("-")[1];
			assertThat(modeOf(target)).as("%s written by nobody", target.getFileName()).isEqualTo(mode);
			assertOwnedBy(target, OtherUser.uid(), OtherUser.gid());
		}
		assertNoTempFiles(this.directory);
	}

	@Test
	void unprivilegedWriterKeepsTheFileAsItsOwnAndSaysSoOnlyAtDebug() throws Exception {
		assumeRoot();
		// World-writable but not sticky: nobody may replace a stranger's file here.
		OtherUser.openDirectory(this.directory);
		Files.setAttribute(this.directory, "unix:mode", 0777);
		Map<Path, String> writes = new LinkedHashMap<>();
		for (String api : APIS) {
			Path target = existing("stranger-" + api, 0644);
			Files.setAttribute(target, "unix:uid", STRANGER);
			Files.setAttribute(target, "unix:gid", STRANGER);
			writes.put(target, api);
		}
		Output output = writeAsNobody(writes);
		assertThat(output.logged("WARN")).isEmpty();
		assertThat(output.logged("ERROR")).isEmpty();
		assertThat(output.logged("DEBUG")).as("DEBUG lines about the owner kept")
			.filteredOn((line) -> line.contains(String.valueOf(STRANGER)))
			.hasSizeGreaterThanOrEqualTo(APIS.size());
		for (String api : APIS) {
			Path target = this.directory.resolve("stranger-" + api);
			assertThat(target).hasContent(WriterApisMain.content(api));
			assertOwnedBy(target, OtherUser.uid(), OtherUser.gid());
			assertThat(modeOf(target)).isEqualTo("644");
		}
		assertNoTempFiles(this.directory);
	}

	@Test
	void readOnlyWriteOnlyAndModeZeroTargetsDoNotLockAnUnprivilegedWriterOut() throws Exception {
		boolean root = ChildJvm.isRoot();
		if (root) {
			OtherUser.own(OtherUser.openDirectory(this.directory));
		}
		Map<Path, String> writes = new LinkedHashMap<>();
		for (int mode : new int[] { 0444, 0400, 0200, 0000, 0111 }) {
			for (String api : APIS) {
				String name = "mode-" + Integer.toOctalString(mode) + "-" + api;
				writes.put(root ? nobodysFile(name, mode) : existing(name, mode), api);
			}
		}
		if (root) {
			// Root ignores permission bits: only an unprivileged writer shows the lock-out.
			writeAsNobody(writes);
		}
		else {
			AtomicFileWriter writer = AtomicFileWriter.builder().build();
			for (Map.Entry<Path, String> write : writes.entrySet()) {
				write(writer, write.getValue(), write.getKey());
			}
		}
		for (Path target : writes.keySet()) {
			String name = target.getFileName().toString();
			String api = name.substring(name.indexOf('-', 5) + 1);
			assertThat(modeOf(target)).as(name).isEqualTo(name.split("-")[1]);
			Files.setAttribute(target, "unix:mode", 0600);
			assertThat(target).as(name).hasContent(WriterApisMain.content(api));
		}
		assertNoTempFiles(this.directory);
	}

	@Test
	void bitsTheUmaskRemovedAreRestoredAfterTheContent() throws Exception {
		List<String> args = new ArrayList<>();
		for (String api : APIS) {
			Path target = existing("shared-" + api, 0664);
			args.addAll(List.of(api, target.toString()));
		}
		Process child = ChildJvm.start(List.of("sh", "-c", "umask 077 && exec \"$0\" \"$@\""), WriterApisMain.class,
				args.toArray(String[]::new));
		Output output = WriterApisMain.awaitOutput(child);
		assertThat(output.failed()).isEmpty();
		for (String api : APIS) {
			Path target = this.directory.resolve("shared-" + api);
			assertThat(modeOf(target)).as(api).isEqualTo("664");
			assertThat(target).hasContent(WriterApisMain.content(api));
		}
	}

	private static void assumeRoot() {
		assumeThat(ChildJvm.isRoot()).as("chown, setpriv and foreign owners need root, as in CI").isTrue();
	}

	/** Makes every write of {@code writes} (target to API) in a JVM run as nobody; each must succeed. */
	private Output writeAsNobody(Map<Path, String> writes) throws IOException, InterruptedException {
		List<String> args = new ArrayList<>();
		writes.forEach((target, api) -> args.addAll(List.of(api, target.toString())));
		Output output = WriterApisMain.awaitOutput(
				OtherUser.startJvm(this.scratch, List.of(), WriterApisMain.class, args.toArray(String[]::new)));
		assertThat(output.failed()).isEmpty();
		assertThat(output.ok()).hasSize(writes.size());
		return output;
	}

	/** A file of nobody:nogroup with {@code mode} (set after the chown, which clears setuid and setgid). */
	private Path nobodysFile(String name, int mode) throws IOException, InterruptedException {
		Path target = existing(name, 0600);
		OtherUser.own(target);
		Files.setAttribute(target, "unix:mode", mode);
		return target;
	}

	private Path existing(String name, int mode) throws IOException {
		Path target = Files.writeString(this.directory.resolve(name), "old content of " + name + "\n");
		Files.setAttribute(target, "unix:mode", mode);
		return target;
	}

	/** Writes {@code target} in this JVM as the child would. */
	private static void write(AtomicFileWriter writer, String api, Path target) throws IOException {
		WriterApisMain.write(writer, api, target, null);
	}

	private static String modeOf(Path file) throws IOException {
		return Integer.toOctalString((Integer) Files.getAttribute(file, "unix:mode") & 07777);
	}

	private static void assertOwnedBy(Path file, int uid, int gid) throws IOException {
		assertThat(Files.getAttribute(file, "unix:uid")).as("owner of %s", file.getFileName()).isEqualTo(uid);
		assertThat(Files.getAttribute(file, "unix:gid")).as("group of %s", file.getFileName()).isEqualTo(gid);
	}

}
