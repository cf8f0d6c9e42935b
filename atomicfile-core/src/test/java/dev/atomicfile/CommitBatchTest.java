package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.CommitRecordingListener;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.OtherUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.atomicfile.CommitFixtures.assertContents;
import static dev.atomicfile.CommitFixtures.assertNothingLeft;
import static dev.atomicfile.CommitFixtures.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What a multi-file commit does on the real file system, before any crash: both API forms, targets
 * in several directories, new and existing targets (mode and owner carried like single writes),
 * the misuse rules (a target twice, a poisoned batch, commit twice or after close), every way a
 * staged write is refused, callbacks and listeners that throw, and an interrupt. After every test,
 * no temp and no commit record is left anywhere in the tree.
 */
class CommitBatchTest {

	private static final byte[] OLD_A = "old a\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] OLD_B = "old b\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path root;

	private Path first;

	private Path second;

	private final CommitRecordingListener listener = new CommitRecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	@BeforeEach
	void twoDirectories() throws IOException {
		this.first = Files.createDirectory(this.root.resolve("first"));
		this.second = Files.createDirectories(this.root.resolve("second").resolve("nested"));
	}

	@AfterEach
	void nothingLeft() throws IOException {
		assertNothingLeft(this.root);
	}

	@ParameterizedTest
	@EnumSource(Durability.class)
	void lambdaFormReplacesEveryTargetThroughEveryWriteMethod(Durability durability) throws IOException {
		Path a = Files.write(this.first.resolve("a.bin"), OLD_A);
		Path b = this.first.resolve("b.txt");
		Path c = Files.write(this.second.resolve("c.txt"), OLD_B);
		Path d = this.second.resolve("d.dat");
		Path e = this.root.resolve("e.txt");
		byte[] streamed = new byte[150_000];
		for (int i = 0; i < streamed.length; i++) {
			streamed[i] = (byte) (i * 7);
		}
		AtomicFileWriter writer = AtomicFileWriter.builder().durability(durability).listener(this.listener).build();

		writer.commit((batch) -> {
			batch.write(a, new byte[] { 0, 1, 2, (byte) 255 });
			batch.writeString(b, "grüße € 😀");
			batch.writeString(c, "grüße", StandardCharsets.ISO_8859_1);
			batch.write(d, (out) -> {
				out.write(streamed, 0, 70_000);
				out.write(streamed, 70_000, streamed.length - 70_000);
			});
			batch.write(e, new byte[0]);
		});

		assertThat(Files.readAllBytes(a)).containsExactly(0, 1, 2, 255);
		assertThat(Files.readAllBytes(b)).isEqualTo("grüße € 😀".getBytes(StandardCharsets.UTF_8));
		assertThat(Files.readAllBytes(c)).isEqualTo("grüße".getBytes(StandardCharsets.ISO_8859_1));
		assertThat(Files.readAllBytes(d)).isEqualTo(streamed);
		assertThat(e).isEmptyFile();
		long bytes = 4 + "grüße € 😀".getBytes(StandardCharsets.UTF_8).length + 5 + streamed.length;
		assertThat(this.listener.commits()).singleElement().satisfies((event) -> {
			assertThat(event.targets()).containsExactly(a, b, c, d, e);
			assertThat(event.bytes()).isEqualTo(bytes);
			assertThat(event.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
		});
		assertThat(this.listener.failures()).isEmpty();
		assertThat(Directories.names(this.first)).containsExactly("a.bin", "b.txt");
		assertThat(Directories.names(this.second)).containsExactly("c.txt", "d.dat");
	}

	@Test
	void handleFormStagesAtOnceAndCommitsOnlyOnCommit() throws IOException {
		Path a = Files.write(this.first.resolve("a.txt"), OLD_A);
		Path b = this.second.resolve("b.txt");
		try (CommitBatch batch = this.writer.newBatch()) {
			batch.writeString(a, "new a");
			batch.writeString(b, "new b");
			// Staged, not visible: a temp beside each target, the targets as they were.
			assertThat(a).hasBinaryContent(OLD_A);
			assertThat(b).doesNotExist();
			assertThat(Directories.names(this.first)).hasSize(2)
				.anySatisfy((name) -> assertThat(TempFileNames.isTempNameOf(name, "a.txt")).isTrue());
			assertThat(Directories.names(this.second)).singleElement()
				.satisfies((name) -> assertThat(TempFileNames.isTempNameOf(name, "b.txt")).isTrue());
			assertThat(this.listener.commits()).isEmpty();
			batch.commit();
		}
		assertThat(a).hasContent("new a");
		assertThat(b).hasContent("new b");
		assertThat(this.listener.commits()).singleElement()
			.satisfies((event) -> assertThat(event.targets()).containsExactly(a, b));
	}

	@Test
	void newAndExistingTargetsGetTheModesSingleWritesGiveThem() throws IOException {
		Path existing = Files.write(this.first.resolve("existing.sh"), OLD_A);
		Files.setAttribute(existing, "unix:mode", 04750);
		Path readOnly = Files.write(this.second.resolve("read-only.txt"), OLD_B);
		Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--------"));
		Path fresh = this.second.resolve("fresh.txt");
		int newFileMode = newFileMode();

		this.writer.commit((batch) -> {
			batch.writeString(existing, "#!/bin/sh\n");
			batch.writeString(readOnly, "still read-only");
			batch.writeString(fresh, "fresh");
		});

		assertThat(mode(existing)).as("setuid carried over").isEqualTo(04750);
		assertThat(mode(readOnly)).isEqualTo(0400);
		assertThat(readOnly).hasContent("still read-only");
		assertThat(mode(fresh)).as("a new file's mode, umask applied").isEqualTo(newFileMode);
	}

	@Test
	void ownerAndGroupOfExistingTargetsAreCarriedOverAsRoot() throws Exception {
		Assumptions.assumeTrue(ChildJvm.isRoot(), "giving files away needs root");
		Path a = Files.write(this.first.resolve("owned-a.txt"), OLD_A);
		Path b = Files.write(this.second.resolve("owned-b.txt"), OLD_B);
		OtherUser.own(a);
		OtherUser.own(b);
		Path mine = this.second.resolve("mine.txt");

		this.writer.commit((batch) -> {
			batch.writeString(a, "a");
			batch.writeString(b, "b");
			batch.writeString(mine, "mine");
		});

		for (Path owned : List.of(a, b)) {
			assertThat(Files.getAttribute(owned, "unix:uid")).as("owner of %s", owned).isEqualTo(OtherUser.uid());
			assertThat(Files.getAttribute(owned, "unix:gid")).as("group of %s", owned).isEqualTo(OtherUser.gid());
		}
		assertThat(Files.getAttribute(mine, "unix:uid")).isEqualTo(0);
		assertThat(a).hasContent("a");
		assertThat(b).hasContent("b");
	}

	@Test
	void emptyBatchCommitsAtOnceAndChangesNothing() throws IOException {
		Path a = Files.write(this.first.resolve("a.txt"), OLD_A);
		this.writer.commit((batch) -> {
		});
		try (CommitBatch batch = this.writer.newBatch()) {
			batch.commit();
		}
		assertThat(a).hasBinaryContent(OLD_A);
		assertThat(Directories.names(this.first)).containsExactly("a.txt");
		assertThat(this.listener.failures()).isEmpty();
	}

	@Test
	void sameTargetTwiceIsRefusedNamingItAndNothingIsLeft() throws IOException {
		Path a = Files.write(this.first.resolve("a.txt"), OLD_A);
		Path b = this.second.resolve("b.txt");
		Throwable thrown = catchThrowable(() -> this.writer.commit((batch) -> {
			batch.writeString(a, "first");
			batch.writeString(b, "b");
			batch.write(a, "second".getBytes(StandardCharsets.UTF_8));
		}));
		assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(a.toString());
		assertContents(Map.of(a, OLD_A));
		assertThat(b).doesNotExist();
		assertThat(this.listener.commits()).isEmpty();
	}

	@Test
	void sameFileTwiceThroughALinkOrAnotherSpellingIsRefused() throws IOException {
		Path a = Files.write(this.first.resolve("a.txt"), OLD_A);
		Path link = Files.createSymbolicLink(this.second.resolve("link-to-a"), a);
		Path otherSpelling = this.second.resolve("..").resolve("..").resolve("first").resolve("a.txt");
		for (Path alias : List.of(link, otherSpelling)) {
			Throwable thrown = catchThrowable(() -> this.writer.commit((batch) -> {
				batch.writeString(a, "direct");
				batch.writeString(alias, "through " + alias);
			}));
			assertThat(thrown).as("%s after %s", alias, a)
				.isInstanceOf(IllegalArgumentException.class)
				.satisfiesAnyOf((ex) -> assertThat(ex).hasMessageContaining(alias.toString()),
						(ex) -> assertThat(ex).hasMessageContaining(a.toString()));
			assertThat(a).hasBinaryContent(OLD_A);
			assertThat(Files.readSymbolicLink(link)).isEqualTo(a);
			assertNothingLeft(this.root);
		}
	}

	@Test
	void failedWritePoisonsTheBatchAndCloseCleansUp() throws IOException {
		Path a = Files.write(this.first.resolve("a.txt"), OLD_A);
		Path b = this.second.resolve("b.txt");
		Path c = Files.write(this.second.resolve("c.txt"), OLD_B);
		CommitBatch batch = this.writer.newBatch();
		try {
			batch.writeString(a, "new a");
			Throwable failure = catchThrowable(() -> batch.writeString(b, "price: 5 €", StandardCharsets.US_ASCII));
			assertThat(failure).isInstanceOf(IOException.class)
				.hasMessageContaining(b.toString())
				.hasCauseInstanceOf(UnmappableCharacterException.class);
			// A write after the failure may be refused or staged; either way the batch is dead.
			catchThrowable(() -> batch.writeString(c, "new c"));
			assertThatIllegalStateException().isThrownBy(batch::commit).withCause(failure);
		}
		finally {
			batch.close();
		}
		assertContents(Map.of(a, OLD_A, c, OLD_B));
		assertThat(b).doesNotExist();
		assertThat(this.listener.commits()).isEmpty();
	}

	@Test
	void commitTwiceAndCommitAfterCloseAreRefused() throws IOException {
		Path a = this.first.resolve("a.txt");
		CommitBatch committed = this.writer.newBatch();
		committed.writeString(a, "once");
		committed.commit();
		assertThatIllegalStateException().isThrownBy(committed::commit);
		committed.close();
		assertThatIllegalStateException().isThrownBy(committed::commit);
		assertThat(a).hasContent("once");

		Path b = Files.write(this.second.resolve("b.txt"), OLD_B);
		CommitBatch closed = this.writer.newBatch();
		closed.writeString(b, "never");
		closed.close();
		assertThatIllegalStateException().isThrownBy(closed::commit);
		assertThat(b).hasBinaryContent(OLD_B);
		assertThat(this.listener.commits()).hasSize(1);
	}

	@Test
	void closeAbandonsEverythingAndIsIdempotent() throws IOException {
		Path a = Files.write(this.first.resolve("a.txt"), OLD_A);
		Path b = this.second.resolve("b.txt");
		CommitBatch batch = this.writer.newBatch();
		batch.writeString(a, "new a");
		batch.write(b, (out) -> out.write(new byte[100_000]));
		assertThat(CommitFixtures.temps(this.root)).hasSize(2);
		batch.close();
		assertNothingLeft(this.root);
		batch.close();
		assertContents(Map.of(a, OLD_A));
		assertThat(b).doesNotExist();
		assertThat(this.listener.commits()).isEmpty();
		assertThat(this.listener.failures()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("dev.atomicfile.AtomicFileWriterTest#callbackFailures")
	void contentCallbackFailurePropagatesUnchangedAndChangesNothing(Throwable failure) throws IOException {
		Map<Path, byte[]> before = existingPair();
		List<Path> targets = List.copyOf(before.keySet());
		Throwable thrown = catchThrowable(() -> this.writer.commit((batch) -> {
			batch.writeString(targets.get(0), "new");
			batch.write(targets.get(1), (out) -> {
				out.write("partial new content".getBytes(StandardCharsets.UTF_8));
				throwUnchecked(failure);
			});
		}));
		assertThat(thrown).isSameAs(failure);
		assertContents(before);
		assertThat(this.listener.commits()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("dev.atomicfile.AtomicFileWriterTest#callbackFailures")
	void commitContentThrowingAfterStagingPropagatesUnchangedAndChangesNothing(Throwable failure) throws IOException {
		Map<Path, byte[]> before = existingPair();
		Path fresh = this.second.resolve("fresh.txt");
		Throwable thrown = catchThrowable(() -> this.writer.commit((batch) -> {
			for (Path target : before.keySet()) {
				batch.writeString(target, "new");
			}
			batch.writeString(fresh, "new");
			throwUnchecked(failure);
		}));
		assertThat(thrown).isSameAs(failure);
		assertContents(before);
		assertThat(fresh).doesNotExist();
		assertThat(this.listener.commits()).isEmpty();
	}

	@Test
	void missingDirectoryIsRefusedNamingTargetAndDirectoryAsASingleWriteDoesAndNothingIsLeft() throws IOException {
		Map<Path, byte[]> before = existingPair();
		Path missing = this.first.resolve("missing").resolve("x.txt");
		Throwable thrown = stageAfterThePair(before, missing);
		// As WriterPathsTest.missingParentFailsNamingTheParent: the file is the directory, the message names the target.
		assertThat(thrown).isInstanceOf(NoSuchFileException.class);
		assertThat(((NoSuchFileException) thrown).getFile()).isEqualTo(missing.getParent().toString());
		assertThat(thrown).hasMessageContaining(missing.toString());
		assertContents(before);
		assertThat(missing.getParent()).doesNotExist();
	}

	@Test
	void directoryAsTargetIsRefusedNamingItAndNothingIsLeft() throws IOException {
		Map<Path, byte[]> before = existingPair();
		Path directory = Files.createDirectory(this.second.resolve("dir"));
		Files.writeString(directory.resolve("inside"), "kept");
		Throwable thrown = stageAfterThePair(before, directory);
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(directory.toString())
			.hasMessageContaining("Is a directory");
		assertContents(before);
		assertThat(directory.resolve("inside")).hasContent("kept");
	}

	@Test
	void namedPipeIsRefusedWithoutBlockingAndNothingIsLeft() throws Exception {
		Map<Path, byte[]> before = existingPair();
		Path fifo = this.second.resolve("fifo");
		Commands.mkfifo(fifo);
		Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> stageAfterThePair(before, fifo));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(fifo.toString())
			.hasMessageContaining("Not a regular file");
		assertContents(before);
		assertThat(Files.isRegularFile(fifo)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "invoice.tmp.af-1-deadbeef-1-1", "invoice.tmp.afu-1-deadbeef-1-1",
			".atomicfile-commit-1-deadbeef-1-1", ".atomicfile-commit-", ".atomicfile-commit-anything" })
	void reservedNameIsRefusedInABatchAndByASingleWriteAndNothingIsCreated(String name) throws IOException {
		Map<Path, byte[]> before = existingPair();
		Path reserved = this.second.resolve(name);
		Throwable thrown = stageAfterThePair(before, reserved);
		assertThat(thrown).isInstanceOf(FileSystemException.class).hasMessageContaining("Reserved name");
		assertThat(((FileSystemException) thrown).getFile()).isEqualTo(reserved.toString());
		Throwable single = catchThrowable(() -> this.writer.writeString(reserved, "single"));
		assertThat(single).as("single write").isInstanceOf(FileSystemException.class)
			.hasMessageContaining("Reserved name");
		assertContents(before);
		assertThat(Files.exists(reserved)).isFalse();
	}

	@Test
	void existingFileWithARecordNameIsNeitherWrittenNorTouched() throws IOException {
		Path planted = Files.write(this.second.resolve(".atomicfile-commit-user-file"), OLD_B);
		Path link = Files.createSymbolicLink(this.first.resolve("innocent"), planted);
		for (Path target : List.of(planted, link)) {
			Throwable thrown = catchThrowable(() -> this.writer.commit((batch) -> batch.writeString(target, "new")));
			assertThat(thrown).as("%s", target).isInstanceOf(FileSystemException.class)
				.hasMessageContaining("Reserved name");
		}
		assertThat(planted).hasBinaryContent(OLD_B);
		// The planted file is not a record of a commit: move it away so that the final check holds.
		Files.delete(link);
		Files.delete(planted);
	}

	@Test
	void listenerHearsOfSuccessAndOfAFailureWithItsTargets() throws IOException {
		Map<Path, byte[]> before = existingPair();
		List<Path> targets = List.copyOf(before.keySet());
		this.writer.commit((batch) -> {
			batch.writeString(targets.get(1), "12345");
			batch.writeString(targets.get(0), "123");
		});
		assertThat(this.listener.commits()).singleElement().satisfies((event) -> {
			assertThat(event.targets()).containsExactly(targets.get(1), targets.get(0));
			assertThat(event.bytes()).isEqualTo(8);
		});

		Throwable thrown = interruptedCommit(targets);
		assertThat(this.listener.failures()).singleElement().satisfies((event) -> {
			assertThat(event.targets()).containsExactlyElementsOf(targets);
			assertThat(event.exception()).isSameAs(thrown);
			assertThat(event.committed()).as("committed").isFalse();
			assertThat(event.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
		});
		assertThat(this.listener.commits()).hasSize(1);
	}

	static Stream<Throwable> listenerFailures() {
		return Stream.of(new IllegalStateException("listener bug"), new AssertionError("listener assertion"));
	}

	@ParameterizedTest
	@MethodSource("listenerFailures")
	void throwingListenerNeverChangesTheOutcome(Throwable failure) throws IOException {
		CommitRecordingListener throwing = new CommitRecordingListener(failure);
		AtomicFileWriter writer = AtomicFileWriter.builder().listener(throwing).build();
		Map<Path, byte[]> before = existingPair();
		List<Path> targets = List.copyOf(before.keySet());

		writer.commit((batch) -> {
			batch.writeString(targets.get(0), "new 0");
			batch.writeString(targets.get(1), "new 1");
		});
		assertThat(targets.get(0)).hasContent("new 0");
		assertThat(targets.get(1)).hasContent("new 1");
		assertThat(throwing.commits()).hasSize(1);

		CommitBatch batch = writer.newBatch();
		batch.writeString(targets.get(0), "never");
		Thread.currentThread().interrupt();
		Throwable thrown = catchThrowable(batch::commit);
		boolean interrupted = Thread.interrupted();
		batch.close();
		assertThat(interrupted).isTrue();
		assertThat(thrown).isInstanceOf(InterruptedIOException.class);
		assertThat(throwing.failures()).singleElement()
			.satisfies((event) -> assertThat(event.exception()).isSameAs(thrown));
		assertThat(targets.get(0)).hasContent("new 0");
	}

	@Test
	void interruptBeforeCommitFailsCleanlyAndKeepsTheInterrupt() throws IOException {
		Map<Path, byte[]> before = existingPair();
		Throwable thrown = interruptedCommit(List.copyOf(before.keySet()));
		assertThat(thrown).isInstanceOf(InterruptedIOException.class);
		assertContents(before);
		assertThat(this.listener.commits()).isEmpty();
	}

	/**
	 * Stages new content for both {@code targets} in a batch, commits it on an interrupted thread,
	 * closes it, and returns what commit threw, having checked that the interrupt status survived.
	 */
	private Throwable interruptedCommit(List<Path> targets) throws IOException {
		Map<Path, byte[]> before = contents(targets);
		Throwable thrown;
		boolean interrupted;
		try (CommitBatch batch = this.writer.newBatch()) {
			for (Path target : targets) {
				batch.writeString(target, "never committed");
			}
			Thread.currentThread().interrupt();
			thrown = catchThrowable(batch::commit);
			interrupted = Thread.interrupted();
		}
		assertThat(interrupted).as("interrupt status kept").isTrue();
		assertThat(thrown).isInstanceOf(IOException.class).isNotInstanceOf(IncompleteCommitException.class);
		assertContents(before);
		assertNothingLeft(this.root);
		return thrown;
	}

	/** Two existing targets, one in each directory, with their contents. */
	private Map<Path, byte[]> existingPair() throws IOException {
		Path a = Files.write(this.first.resolve("pair-a.txt"), OLD_A);
		Path b = Files.write(this.second.resolve("pair-b.txt"), OLD_B);
		return contents(List.of(a, b));
	}

	/**
	 * Commits new content for the pair and then {@code refused} through the lambda form, and
	 * returns what the commit threw; the staged pair must then be abandoned.
	 */
	private Throwable stageAfterThePair(Map<Path, byte[]> pair, Path refused) {
		Throwable thrown = catchThrowable(() -> this.writer.commit((batch) -> {
			for (Path target : pair.keySet()) {
				batch.writeString(target, "new");
			}
			batch.writeString(refused, "refused");
		}));
		assertThat(this.listener.commits()).as("commits").isEmpty();
		return thrown;
	}

	private int newFileMode() throws IOException {
		Path probe = Files.createFile(this.root.resolve("new-file-mode"));
		int mode = mode(probe);
		Files.delete(probe);
		return mode;
	}

	private static int mode(Path file) throws IOException {
		return (Integer) Files.getAttribute(file, "unix:mode") & 07777;
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> void throwUnchecked(Throwable failure) throws T {
		throw (T) failure;
	}

}
