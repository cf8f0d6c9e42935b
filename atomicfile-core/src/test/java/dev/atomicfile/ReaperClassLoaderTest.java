package dev.atomicfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.atomicfile.testsupport.SecondLibraryCopy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two copies of the library in one JVM, as two web applications in one servlet container or a
 * plugin class loader have them ({@link SecondLibraryCopy}: a real {@code URLClassLoader} over the
 * build output whose parent is the platform loader, so nothing is shared but the JDK). Neither
 * copy's reaper opens a temp file the other copy is writing, even with both ages zero: a child
 * JVM's reaper, for which the temp is another process's, finds its lock still held afterwards.
 */
class ReaperClassLoaderTest {

	private static final OrphanReaper EAGER = OrphanReaper.builder()
		.minAge(Duration.ZERO)
		.maxAge(Duration.ZERO)
		.build();

	@TempDir
	Path directory;

	private SecondLibraryCopy secondCopy;

	@BeforeEach
	void loadSecondCopy() {
		this.secondCopy = SecondLibraryCopy.load();
		assertThat(this.secondCopy.loadClass(OrphanReaper.class.getName())).isNotSameAs(OrphanReaper.class);
	}

	@AfterEach
	void closeSecondCopy() throws Exception {
		this.secondCopy.close();
	}

	@Test
	void aReaperHereNeverOpensTheTempOfAWriterInTheSecondCopy() throws Exception {
		Path target = ReaperFixtures.file(this.directory.resolve("shared.json"), "old", Duration.ZERO);
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> write = writeInSecondCopy(target, written, release);
		assertThat(written.await(1, TimeUnit.MINUTES)).isTrue();
		assertThat(ReaperFixtures.tempNames(this.directory)).singleElement()
			.satisfies((name) -> assertThat(TempFileNames.isOwnProcess(name)).isTrue());

		ReapReport here = EAGER.reap(this.directory);
		assertThat(here.keptLive()).isEqualTo(1);
		assertThat(here.reaped()).isZero();

		ReapReport otherJvm = ReaperLivenessTest.reapInChildJvm(this.directory);
		assertThat(otherJvm.keptLive()).as("the second copy's lock survived the pass here").isEqualTo(1);
		assertThat(otherJvm.reaped()).isZero();

		release.countDown();
		write.get(1, TimeUnit.MINUTES);
		assertThat(target).hasContent(ReaperWriterMain.content("second"));
		assertThat(ReaperFixtures.tempNames(this.directory)).isEmpty();
	}

	@Test
	void aReaperInTheSecondCopyNeverOpensTheTempOfAWriterHere() throws Exception {
		Path target = this.directory.resolve("shared.json");
		ReaperBlockedWrite write = ReaperBlockedWrite.overOldContent(target, "here");

		String report = this.secondCopy.reaper(Duration.ZERO, Duration.ZERO, false, List.of()).reap(this.directory);
		assertThat(report).contains("keptLive=1,", "reaped=0,");

		ReapReport otherJvm = ReaperLivenessTest.reapInChildJvm(this.directory);
		assertThat(otherJvm.keptLive()).as("this copy's lock survived the second copy's pass").isEqualTo(1);
		assertThat(write.tempFile()).exists();

		write.finish();
		assertThat(target).hasContent(ReaperWriterMain.content("here"));
	}

	/**
	 * Starts a write of {@code target} through the second copy whose content writer writes the
	 * head, counts {@code written} down and waits for {@code release} before the tail.
	 */
	private CompletableFuture<Void> writeInSecondCopy(Path target, CountDownLatch written, CountDownLatch release) {
		AtomicFileWriter writer = this.secondCopy.writer("NONE");
		return CompletableFuture.runAsync(() -> {
			try {
				writer.write(target, (out) -> {
					out.write(ReaperWriterMain.head("second").getBytes(StandardCharsets.UTF_8));
					out.flush();
					written.countDown();
					awaitRelease(release);
					out.write(ReaperWriterMain.tail().getBytes(StandardCharsets.UTF_8));
				});
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	private static void awaitRelease(CountDownLatch release) throws IOException {
		try {
			if (!release.await(1, TimeUnit.MINUTES)) {
				throw new IOException("never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while held mid-write");
		}
	}

}
