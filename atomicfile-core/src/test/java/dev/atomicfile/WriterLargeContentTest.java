package dev.atomicfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import dev.atomicfile.testsupport.ChildJvm;
import dev.atomicfile.testsupport.Directories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large content in a child JVM with little memory: streamed content is never held whole, and a
 * large byte array needs no direct memory of its own size.
 */
class WriterLargeContentTest {

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path directory;

	@Test
	void streamingThreeHundredMebibytesWorksInA32MebibyteHeap() throws Exception {
		Path target = this.directory.resolve("large.bin");
		String output = runChild(List.of("-Xmx32m"), "stream", target, 300, 42);
		CRC32 expected = new CRC32();
		LargeWriteMain.generate(42, 300 * MIB, expected::update);
		assertThat(output).isEqualTo("crc " + expected.getValue() + " size " + 300 * MIB + "\n");
		assertThat(Files.size(target)).isEqualTo(300 * MIB);
		assertThat(crcOf(target)).isEqualTo(expected.getValue());
		assertThat(Directories.names(this.directory)).containsExactly("large.bin");
	}

	@Test
	void writingA64MebibyteArrayNeedsNoDirectMemoryOfItsSize() throws Exception {
		// FileChannel copies a heap buffer into a temporary direct buffer of its whole size, and
		// caches that buffer per thread: a writer must hand it over in bounded slices.
		Path target = this.directory.resolve("array.bin");
		String output = runChild(List.of("-Xmx192m", "-XX:MaxDirectMemorySize=8m"), "array", target, 64, 7);
		assertThat(output).startsWith("crc ").endsWith(" size " + 64 * MIB + "\n");
		long reported = Long.parseLong(output.split(" ")[1]);
		assertThat(Files.size(target)).isEqualTo(64 * MIB);
		assertThat(crcOf(target)).isEqualTo(reported);
	}

	private static String runChild(List<String> jvmOptions, String mode, Path target, int mebibytes, long seed)
			throws Exception {
		Process child = ChildJvm.start(List.of(), jvmOptions, LargeWriteMain.class, mode, target.toString(),
				String.valueOf(mebibytes), String.valueOf(seed));
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(child.exitValue()).as("exit status; output: %s", output).isZero();
		return output;
	}

	private static long crcOf(Path file) throws IOException {
		CRC32 crc = new CRC32();
		byte[] buffer = new byte[(int) MIB];
		try (InputStream in = Files.newInputStream(file)) {
			for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
				crc.update(buffer, 0, read);
			}
		}
		return crc.getValue();
	}

}
