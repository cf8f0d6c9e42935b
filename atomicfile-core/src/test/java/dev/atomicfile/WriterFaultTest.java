package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Commands;
import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.LogCapture;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.atomicfile.testsupport.WriteAssertions.assertFailedCleanly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Real faults from the kernel (full disk, read-only mount, immutable file, busy mount point) and
 * from the JVM (interrupts): each write fails with a precise exception, the target stays
 * byte-identical, no temp file is left, and the listener hears of it. Mounts and {@code chattr}
 * need root, which CI has.
 */
class WriterFaultTest {

	private static final byte[] OLD = "old content that must survive\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	private final Deque<Path> mounts = new ArrayDeque<>();

	private final Deque<Path> immutables = new ArrayDeque<>();

	private Path buildDiskDirectory;

	@BeforeEach
	void requireRoot() {
		assumeThat(ChildJvm.isRoot()).as("mount and chattr need root, as in CI").isTrue();
	}

	@AfterEach
	void undoFaults() throws Exception {
		while (!this.immutables.isEmpty()) {
			Commands.immutable(this.immutables.pop(), false);
		}
		while (!this.mounts.isEmpty()) {
			Commands.umount(this.mounts.pop());
		}
		if (this.buildDiskDirectory != null) {
			try (Stream<Path> tree = Files.walk(this.buildDiskDirectory)) {
				for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
	}

	@Test
	void fullDiskFailsCleanly() throws Exception {
		Path mountPoint = Files.createDirectory(this.directory.resolve("small"));
		Commands.mountTmpfs(mountPoint, "1m");
		this.mounts.push(mountPoint);
		Path target = Files.write(mountPoint.resolve("state.bin"), OLD);
		byte[] chunk = new byte[64 * 1024];
		Throwable thrown = catchThrowable(() -> this.writer.write(target, (out) -> {
			for (int i = 0; i < 32; i++) {
				out.write(chunk);
			}
		}));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("No space left on device");
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void readOnlyFileSystemFailsCleanly() throws Exception {
		Path source = Files.createDirectory(this.directory.resolve("source"));
		Path mountPoint = Files.createDirectory(this.directory.resolve("read-only"));
		Files.write(source.resolve("state.txt"), OLD);
		this.mounts.push(mountPoint);
		Commands.bindReadOnly(source, mountPoint);
		Path target = mountPoint.resolve("state.txt");
		Throwable thrown = catchThrowable(() -> this.writer.write(target, "new".getBytes(StandardCharsets.UTF_8)));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("Read-only file system");
		assertFailedCleanly(target, OLD, this.listener, thrown);
		assertThat(Directories.names(source)).containsExactly("state.txt");
	}

	@Test
	void immutableTargetFailsCleanly() throws Exception {
		Path target = Files.write(buildDiskDirectory().resolve("state.txt"), OLD);
		Commands.immutable(target, true);
		this.immutables.push(target);
		Throwable thrown = catchThrowable(() -> this.writer.write(target, "new".getBytes(StandardCharsets.UTF_8)));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("Operation not permitted");
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void bindMountedTargetIsNeverOverwrittenInPlace() throws Exception {
		// Containers mount single config files like this; rename(2) over a mount point fails with
		// EBUSY, and a writer that fell back to copying would overwrite the file non-atomically.
		Path source = Files.write(this.directory.resolve("mounted-source.txt"), OLD);
		Path targetDirectory = Files.createDirectory(this.directory.resolve("app"));
		Path target = Files.write(targetDirectory.resolve("config.txt"), "hidden by the mount".getBytes());
		Commands.bind(source, target);
		this.mounts.push(target);
		Throwable thrown = catchThrowable(() -> this.writer.write(target, "new".getBytes(StandardCharsets.UTF_8)));
		assertThat(thrown).isInstanceOf(FileSystemException.class)
			.hasMessageContaining(target.toString())
			.hasMessageContaining("Device or resource busy");
		assertFailedCleanly(target, OLD, this.listener, thrown);
		assertThat(source).hasBinaryContent(OLD);
	}

	@Test
	void failedTempDeleteIsLoggedAndSuppressedNeverMaskingTheCause() throws Exception {
		Path directory = buildDiskDirectory();
		Path target = Files.write(directory.resolve("state.txt"), OLD);
		IOException cause = new IOException("the callback failed");
		Throwable thrown;
		List<ILoggingEvent> logged;
		try (LogCapture log = new LogCapture()) {
			thrown = catchThrowable(() -> this.writer.write(target, (out) -> {
				out.write("partial".getBytes(StandardCharsets.UTF_8));
				// An immutable directory refuses the unlink of the temp file.
				runUnchecked(() -> Commands.immutable(directory, true));
				this.immutables.push(directory);
				throw cause;
			}));
			logged = log.events();
		}
		assertThat(thrown).isSameAs(cause);
		assertThat(thrown.getSuppressed()).singleElement()
			.isInstanceOf(FileSystemException.class)
			.satisfies((suppressed) -> assertThat(suppressed.getMessage()).contains("Operation not permitted"));
		String temp = ((FileSystemException) thrown.getSuppressed()[0]).getFile();
		assertThat(TempFileNames.isTempNameOf(Path.of(temp).getFileName().toString(), "state.txt")).isTrue();
		assertThat(logged).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains(temp).contains(target.toString());
			assertThat(event.getThrowableProxy().getClassName()).isEqualTo(FileSystemException.class.getName());
		});
		assertThat(target).hasBinaryContent(OLD);
		assertThat(this.listener.failures()).singleElement()
			.satisfies((event) -> assertThat(event.exception()).isSameAs(cause));
		Commands.immutable(this.immutables.pop(), false);
		assertThat(Directories.names(directory)).containsExactlyInAnyOrder("state.txt", Path.of(temp).getFileName().toString());
	}

	@Test
	void writeOnAnInterruptedThreadFailsCleanlyAndKeepsTheInterrupt() throws IOException {
		Path target = Files.write(this.directory.resolve("state.txt"), OLD);
		Thread.currentThread().interrupt();
		Throwable thrown = catchThrowable(() -> this.writer.write(target, "new".getBytes(StandardCharsets.UTF_8)));
		boolean interrupted = Thread.interrupted();
		assertThat(interrupted).as("interrupt status restored").isTrue();
		assertThat(thrown).isInstanceOf(InterruptedIOException.class).hasMessageContaining(target.toString());
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	@Test
	void interruptWhileStreamingFailsCleanlyAndKeepsTheInterrupt() throws Exception {
		Path target = Files.write(this.directory.resolve("state.txt"), OLD);
		CountDownLatch writing = new CountDownLatch(1);
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicReference<Boolean> interruptedAfterwards = new AtomicReference<>();
		Thread writerThread = new Thread(() -> {
			thrown.set(catchThrowable(() -> this.writer.write(target, (out) -> {
				byte[] chunk = new byte[8192];
				out.write(chunk);
				out.flush();
				writing.countDown();
				// Keep writing until the interrupt closes the channel under us.
				while (true) {
					out.write(chunk);
					out.flush();
				}
			})));
			interruptedAfterwards.set(Thread.currentThread().isInterrupted());
		});
		writerThread.start();
		writing.await();
		writerThread.interrupt();
		writerThread.join();
		assertThat(interruptedAfterwards.get()).as("interrupt status restored").isTrue();
		assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining(target.toString());
		assertFailedCleanly(target, OLD, this.listener, thrown.get());
	}

	@Test
	void interruptWhileAProducerRunsFailsCleanly() throws IOException {
		Path target = Files.write(this.directory.resolve("state.txt"), OLD);
		Throwable thrown = catchThrowable(() -> this.writer.writeFile(target, (temp) -> {
			Files.writeString(temp, "produced");
			Thread.currentThread().interrupt();
		}));
		assertThat(Thread.interrupted()).as("interrupt status restored").isTrue();
		assertThat(thrown).isInstanceOf(InterruptedIOException.class).hasMessageContaining(target.toString());
		assertFailedCleanly(target, OLD, this.listener, thrown);
	}

	private Path buildDiskDirectory() throws IOException {
		this.buildDiskDirectory = Directories.onBuildDisk("fault");
		return this.buildDiskDirectory;
	}

	private static void runUnchecked(ThrowingRunnable action) throws IOException {
		try {
			action.run();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws IOException, InterruptedException;

	}

}
