package dev.atomicfile;

import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two copies of the library in one JVM, as two web applications in one servlet container or a
 * plugin class loader have them: a real {@link URLClassLoader} loads the core classes again from
 * the build output, with the platform loader as parent, so nothing is shared but the JDK. Neither
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

	private URLClassLoader secondCopy;

	@BeforeEach
	void loadSecondCopy() throws Exception {
		URL core = OrphanReaper.class.getProtectionDomain().getCodeSource().getLocation();
		URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
		this.secondCopy = new URLClassLoader("second-copy", new URL[] { core, slf4j },
				ClassLoader.getPlatformClassLoader());
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
		List<String> temps = ReaperFixtures.tempNames(this.directory);
		assertThat(temps).singleElement().satisfies((name) -> assertThat(TempFileNames.isOwnProcess(name)).isTrue());

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

		Object report = reapInSecondCopy(this.directory);
		assertThat(call(report, "keptLive")).isEqualTo(1L);
		assertThat(call(report, "reaped")).isEqualTo(0L);

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
	private CompletableFuture<Void> writeInSecondCopy(Path target, CountDownLatch written, CountDownLatch release)
			throws Exception {
		Class<?> writerType = this.secondCopy.loadClass(AtomicFileWriter.class.getName());
		Class<?> contentType = this.secondCopy.loadClass(ContentWriter.class.getName());
		Object writer = call(writerType.getMethod("builder").invoke(null), "build");
		Object content = Proxy.newProxyInstance(this.secondCopy, new Class<?>[] { contentType },
				(proxy, method, args) -> {
					if (!method.getName().equals("writeTo")) {
						return (method.getName().equals("toString")) ? "blocking content" : null;
					}
					OutputStream out = (OutputStream) args[0];
					out.write(ReaperWriterMain.head("second").getBytes(StandardCharsets.UTF_8));
					out.flush();
					written.countDown();
					if (!release.await(1, TimeUnit.MINUTES)) {
						throw new IllegalStateException("never released");
					}
					out.write(ReaperWriterMain.tail().getBytes(StandardCharsets.UTF_8));
					return null;
				});
		Method write = writerType.getMethod("write", Path.class, contentType);
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				write.invoke(writer, target, content);
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		}, "second-copy-write");
		thread.setDaemon(true);
		thread.start();
		return done;
	}

	private Object reapInSecondCopy(Path path) throws Exception {
		Class<?> reaperType = this.secondCopy.loadClass(OrphanReaper.class.getName());
		Object builder = reaperType.getMethod("builder").invoke(null);
		builder.getClass().getMethod("minAge", Duration.class).invoke(builder, Duration.ZERO);
		builder.getClass().getMethod("maxAge", Duration.class).invoke(builder, Duration.ZERO);
		Object reaper = call(builder, "build");
		return reaperType.getMethod("reap", Path.class).invoke(reaper, path);
	}

	/** Calls public method {@code name} without arguments on {@code target}, from another class loader. */
	private static Object call(Object target, String name) throws Exception {
		try {
			return target.getClass().getMethod(name).invoke(target);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

}
