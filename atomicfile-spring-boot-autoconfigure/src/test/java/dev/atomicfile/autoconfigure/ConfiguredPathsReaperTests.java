package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.atomicfile.OrphanReaper;
import dev.atomicfile.ReapReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfiguredPathsReaper}: one pass over every path, and its total.
 */
class ConfiguredPathsReaperTests {

	private final OrphanReaper reaper = OrphanReaper.builder().build();

	@TempDir
	Path directory;

	@Test
	void passReapsEveryPathAndAddsUpTheirReports() throws IOException {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Path second = Files.createDirectory(this.directory.resolve("second"));
		Orphans.create(first, "a.json");
		Orphans.create(second, "b.json");
		Orphans.createYoung(second, "c.json");
		ReapReport total = new ConfiguredPathsReaper(this.reaper, List.of(first, second)).reap().orElseThrow();
		assertThat(total.path()).isEqualTo(first);
		assertThat(total.pathExists()).isTrue();
		assertThat(total.scanned()).isEqualTo(3);
		assertThat(total.reaped()).isEqualTo(2);
		assertThat(total.keptYoung()).isEqualTo(1);
		assertThat(total.bytesReclaimed()).isEqualTo(2 * Files.size(second.resolve(onlyFile(second))));
		assertThat(total.interrupted()).isFalse();
	}

	@Test
	void missingPathIsPartOfTheTotalNotAFailure() throws IOException {
		Orphans.create(this.directory, "a.json");
		ReapReport total = new ConfiguredPathsReaper(this.reaper, List.of(this.directory.resolve("not-yet"), this.directory))
			.reap()
			.orElseThrow();
		assertThat(total.pathExists()).isFalse();
		assertThat(total.reaped()).isEqualTo(1);
		assertThat(total.failed()).isZero();
	}

	@Test
	void noPathGivesNoReport() {
		assertThat(new ConfiguredPathsReaper(this.reaper, List.of()).reap()).isEmpty();
	}

	@Test
	void interruptedThreadBeginsNoPathAndTheTotalSaysSo() throws IOException {
		Path orphan = Orphans.create(this.directory, "a.json");
		Thread.currentThread().interrupt();
		try {
			ReapReport total = new ConfiguredPathsReaper(this.reaper, List.of(this.directory)).reap().orElseThrow();
			assertThat(total.interrupted()).isTrue();
			assertThat(total.scanned()).isZero();
			assertThat(orphan).exists();
			assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	/** The young orphan is what is left in {@code directory}. */
	private static Path onlyFile(Path directory) throws IOException {
		try (var files = Files.list(directory)) {
			return files.findFirst().orElseThrow().getFileName();
		}
	}

}
