package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.atomicfile.testsupport.Directories;
import dev.atomicfile.testsupport.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The writer refuses, before it creates anything, a target whose name the reaper would take for
 * one of its temp files (issue 9 rule 6): both variants, shortened names, this very process's own
 * names, any base, through every API and through symbolic links. Names that merely look alike are
 * written, and a reaper then leaves them alone.
 */
class WriterReservedNamesTest {

	private static final byte[] OLD = "old content\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path directory;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicFileWriter writer = AtomicFileWriter.builder().listener(this.listener).build();

	private final AtomicInteger callerCodeRuns = new AtomicInteger();

	static Stream<String> reservedNames() {
		return Stream.of("invoice.tmp.af-1-deadbeef-1-1", "invoice.tmp.afu-1-deadbeef-1-1",
				TempFileNames.newTempName("mine.json"),
				"mine.json" + TempFileNames.unlockedVariant(TempFileNames.newSuffix()),
				TempFileNames.newTempName("x".repeat(250)),
				"x".repeat(180) + "~0123456789abcdef.tmp.af-4242-0123abcd-17-99", "rechnung-ü.tmp.af-7-0a1b2c3d-8-9",
				".hidden.tmp.af-1-deadbeef-1-1", "x.tmp.af-9999999999999999999-00000000-0-0",
				"a.tmp.af-1-deadbeef-1-1.tmp.af-2-cafebabe-3-4", "backup.tmp.af-1-deadbeef-1-1.tmp.afu-2-cafebabe-3-4");
	}

	static Stream<String> namesThatOnlyLookAlike() {
		return Stream.of("x.tmp.af-1", "x.tmp.af-1-0123abcd-1-1.bak", "x.tmp.af-1-0123ABCD-1-1",
				"x.tmp.af-1-0123abc-1-1", "x.tmp.afx-1-0123abcd-1-1", ".tmp.af-1-0123abcd-1-1",
				"x.tmp.af-1-0123abcd-1-1\n", "x.tmp.af-1-0123abcd-1-1 ", "x.tmp.af-1-0123abcd-1",
				"x.tmp.af-12345678901234567890-0123abcd-1-1", "x.TMP.AF-1-0123abcd-1-1", "x.tmp.af--0123abcd-1-1",
				"x.tmp.af-1-0123abcd-1-1.tmp", "x.tmp.af");
	}

	@ParameterizedTest
	@MethodSource("reservedNames")
	void reservedNameIsRefusedByEveryApiAndNothingIsCreated(String name) throws IOException {
		assertThat(TempFileNames.isTempName(name)).as("the reaper takes %s for a temp file", name).isTrue();
		Path target = this.directory.resolve(name);
		for (Api api : Api.values()) {
			assertRefused(api, target, target);
			assertThat(Directories.names(this.directory)).as("after %s", api).isEmpty();
		}
		assertThat(this.callerCodeRuns).as("callbacks and producers run").hasValue(0);
		assertThat(this.listener.successes()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("reservedNames")
	void existingFileWithAReservedNameIsLeftUntouched(String name) throws IOException {
		Path target = Files.write(this.directory.resolve(name), OLD);
		for (Api api : Api.values()) {
			assertRefused(api, target, target);
			assertThat(target).as("after %s", api).hasBinaryContent(OLD);
			assertThat(Directories.names(this.directory)).containsExactly(name);
		}
		assertThat(this.callerCodeRuns).hasValue(0);
	}

	@Test
	void linkWithAReservedNameAndLinkToAReservedNameAreRefused() throws IOException {
		Path real = Files.write(this.directory.resolve("real.txt"), OLD);
		Path reservedLink = Files.createSymbolicLink(this.directory.resolve("real.txt.tmp.af-1-deadbeef-1-1"),
				real.getFileName());
		Path reservedFile = Files.write(this.directory.resolve("config.tmp.af-2-cafebabe-3-4"), OLD);
		Path innocentLink = Files.createSymbolicLink(this.directory.resolve("config"), reservedFile.getFileName());
		for (Api api : Api.values()) {
			assertRefused(api, reservedLink, reservedLink);
			assertRefused(api, innocentLink, innocentLink);
		}
		assertThat(real).hasBinaryContent(OLD);
		assertThat(reservedFile).hasBinaryContent(OLD);
		assertThat(Files.readSymbolicLink(innocentLink)).isEqualTo(reservedFile.getFileName());
		assertThat(Directories.names(this.directory)).containsExactlyInAnyOrder("real.txt",
				reservedLink.getFileName().toString(), reservedFile.getFileName().toString(), "config");
		assertThat(this.callerCodeRuns).hasValue(0);
	}

	@ParameterizedTest
	@MethodSource("namesThatOnlyLookAlike")
	void nameThatOnlyLooksLikeATempNameIsWrittenByEveryApiAndSurvivesAReaper(String name) throws IOException {
		assertThat(TempFileNames.isTempName(name)).as("the reaper takes %s for a temp file", name).isFalse();
		Path target = Files.write(this.directory.resolve(name), OLD);
		for (Api api : Api.values()) {
			api.write(this.writer, target, this.callerCodeRuns);
			assertThat(target).as("after %s", api).hasContent(api.content());
			assertThat(Directories.names(this.directory)).as("after %s", api).containsExactly(name);
		}
		ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build()
			.reap(this.directory);
		assertThat(report.reaped()).isZero();
		assertThat(target).hasContent(Api.values()[Api.values().length - 1].content());
	}

	private void assertRefused(Api api, Path target, Path named) {
		int failuresBefore = this.listener.failures().size();
		Throwable thrown = catchThrowable(() -> api.write(this.writer, target, this.callerCodeRuns));
		assertThat(thrown).as("%s of %s", api, target).isInstanceOf(FileSystemException.class)
			.hasMessageContaining("Reserved name");
		assertThat(((FileSystemException) thrown).getFile()).isEqualTo(named.toString());
		assertThat(this.listener.failures()).hasSize(failuresBefore + 1);
	}

	/** The four ways to write. */
	enum Api {

		BYTES {
			@Override
			void write(AtomicFileWriter writer, Path target, AtomicInteger runs) throws IOException {
				writer.write(target, content().getBytes(StandardCharsets.UTF_8));
			}
		},

		STRING {
			@Override
			void write(AtomicFileWriter writer, Path target, AtomicInteger runs) throws IOException {
				writer.writeString(target, content());
			}
		},

		STREAM {
			@Override
			void write(AtomicFileWriter writer, Path target, AtomicInteger runs) throws IOException {
				writer.write(target, (out) -> {
					runs.incrementAndGet();
					out.write(content().getBytes(StandardCharsets.UTF_8));
				});
			}
		},

		FILE {
			@Override
			void write(AtomicFileWriter writer, Path target, AtomicInteger runs) throws IOException {
				writer.writeFile(target, (temp) -> {
					runs.incrementAndGet();
					Files.writeString(temp, content());
				});
			}
		};

		abstract void write(AtomicFileWriter writer, Path target, AtomicInteger runs) throws IOException;

		String content() {
			return "written by " + name() + "\n";
		}

	}

}
