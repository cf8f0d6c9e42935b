package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atomicfile.testsupport.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static dev.atomicfile.ReaperFixtures.PAST_MAX_AGE;
import static dev.atomicfile.ReaperFixtures.PAST_MIN_AGE;
import static dev.atomicfile.ReaperFixtures.file;
import static dev.atomicfile.ReaperFixtures.orphanName;
import static dev.atomicfile.ReaperFixtures.orphanOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@link OrphanReaper} recognises, what it deletes and what it must never touch, in one JVM
 * with orphans whose writers are gone (their names are made by {@link TempFileNames}, nobody locks
 * them). Liveness across processes is in {@link ReaperLivenessTest}.
 */
class OrphanReaperTest {

	@TempDir
	Path temp;

	Path root;

	Path outside;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger reaperLogger = (Logger) LoggerFactory.getLogger(OrphanReaper.class);

	private Level previousLevel;

	@BeforeEach
	void createDirectoriesAndCaptureLogs() throws IOException {
		this.root = Files.createDirectory(this.temp.resolve("root"));
		this.outside = Files.createDirectory(this.temp.resolve("outside"));
		this.previousLevel = this.reaperLogger.getLevel();
		this.reaperLogger.setLevel(Level.DEBUG);
		this.logs.start();
		this.reaperLogger.addAppender(this.logs);
	}

	@AfterEach
	void releaseLogs() {
		this.reaperLogger.detachAppender(this.logs);
		this.reaperLogger.setLevel(this.previousLevel);
	}

	@Test
	void deletesOrphansOfDeadWritersOnceOlderThanMinAgeWithoutWaitingForMaxAge() throws IOException {
		Path target = file(this.root.resolve("data.json"), "old", Duration.ZERO);
		Path plain = orphanOf(this.root, "data.json", PAST_MIN_AGE);
		Path brackets = orphanOf(this.root, "data[v2].json", PAST_MIN_AGE);
		Path longName = orphanOf(this.root, "é".repeat(127) + "x", PAST_MIN_AGE);
		long bytes = Files.size(plain) + Files.size(brackets) + Files.size(longName);

		ReapReport report = OrphanReaper.builder().build().reap(this.root);

		assertThat(report.reaped()).isEqualTo(3);
		assertThat(report.bytesReclaimed()).isEqualTo(bytes);
		assertThat(report.scanned()).isEqualTo(4);
		assertThat(report.keptLive() + report.keptYoung() + report.failed()).isZero();
		assertThat(plain).doesNotExist();
		assertThat(brackets).doesNotExist();
		assertThat(longName).doesNotExist();
		assertThat(target).hasContent("old");
	}

	@Test
	void keepsTheYoungOrphanOfADeadWriterUntilMinAge() throws IOException {
		Path orphan = orphanOf(this.root, "data.json", Duration.ZERO);
		OrphanReaper reaper = OrphanReaper.builder().minAge(Duration.ofMinutes(1)).build();

		ReapReport young = reaper.reap(this.root);
		assertThat(young.keptYoung()).isEqualTo(1);
		assertThat(young.reaped()).isZero();
		assertThat(orphan).exists();

		ReaperFixtures.age(orphan, Duration.ofMinutes(1).plusSeconds(1));
		ReapReport old = reaper.reap(this.root);
		assertThat(old.reaped()).isEqualTo(1);
		assertThat(orphan).doesNotExist();
	}

	@Test
	void recognisesTheShortenedTempNamesOfLongTargetNames() throws IOException {
		// 255 UTF-8 bytes: the longest allowed name; two-byte characters so the cut must respect them.
		String longTarget = "é".repeat(127) + "x";
		String sameStart = "é".repeat(127) + "y";
		String name = orphanName(longTarget);
		assertThat(TempFileNames.utf8Length(name)).isLessThanOrEqualTo(TempFileNames.MAX_NAME_BYTES);
		assertThat(name).doesNotStartWith(longTarget).contains("~");
		Path target = file(this.root.resolve(longTarget), "old", Duration.ZERO);
		Path own = orphanOf(this.root, longTarget, PAST_MIN_AGE);
		Path other = orphanOf(this.root, sameStart, PAST_MIN_AGE);

		ReapReport fileMode = OrphanReaper.builder().build().reap(target);
		assertThat(fileMode.reaped()).isEqualTo(1);
		assertThat(own).doesNotExist();
		assertThat(other).exists();

		ReapReport directoryMode = OrphanReaper.builder().build().reap(this.root);
		assertThat(directoryMode.reaped()).isEqualTo(1);
		assertThat(other).doesNotExist();
		assertThat(target).hasContent("old");
	}

	@Test
	void leavesFilesThatOnlyLookLikeTempFilesAlone() throws IOException {
		List<String> lookalikes = List.of("x.tmp", "x.tmp.", "x.tmpfoo", ".tmp.1.2.3", "x.tmp.1.2.3", "x.tmp.af-",
				"x.tmp.af-1-zzzzzzzz-1-1", "x.tmp.af-1-DEADBEEF-1-1", "x.tmp.af-1-deadbeef-1", "x.tmp.af-1-deadbeef-1-1-",
				"x.tmp.af-1-deadbeef-1-1.bak", "x.tmp.af-1-deadbee-1-1", "x.tmp.af--deadbeef-1-1",
				"x.tmp.af-12345678901234567890-deadbeef-1-1", "x.tmp.af-١-deadbeef-1-1", ".tmp.af-1-deadbeef-1-1",
				"x.TMP.af-1-deadbeef-1-1", "x.tmp.af-1-deadbeef-1-1\n", "x.tmp.af-1-deadbeef-1-1\r",
				"x.tmp.af-1-deadbeef-1-1\u2028", "index.faiss.tmp", "data[v2].json", "a*b?c");
		for (String name : lookalikes) {
			file(this.root.resolve(name), name, PAST_MAX_AGE);
		}
		Map<String, String> before = TreeSnapshot.of(this.root);

		ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).recursive(true).build().reap(this.root);

		assertThat(TreeSnapshot.of(this.root)).isEqualTo(before);
		assertThat(report.reaped()).isZero();
		assertThat(report.scanned()).isEqualTo(lookalikes.size());
	}

	@Test
	void matchesExtraPatternsAgainstTheFileNameAlone() throws IOException {
		Path sub = Files.createDirectory(this.root.resolve("sub"));
		Path legacy = file(sub.resolve("x.tmp"), "legacy", PAST_MAX_AGE);
		OrphanReaper.Builder builder = OrphanReaper.builder().recursive(true);

		ReapReport pathPatterns = builder.extraPatterns(List.of("sub/x.tmp", "**/x.tmp", "root/sub/x.tmp"))
			.build()
			.reap(this.root);
		assertThat(pathPatterns.reaped()).isZero();
		assertThat(legacy).exists();

		ReapReport namePattern = builder.extraPatterns(List.of("*.tmp")).build().reap(this.root);
		assertThat(namePattern.reaped()).isEqualTo(1);
		assertThat(legacy).doesNotExist();
	}

	@Test
	void globMetacharactersInTargetNamesNeverWidenTheMatchOfAFile() throws IOException {
		Map<String, List<String>> wouldMatchAsGlob = Map.of("data[v2].json", List.of("datav.json", "data2.json"),
				"a*", List.of("abc", "a"), "b?", List.of("bx", "b"), "c\\[x]", List.of("c[x]", "cx"));
		OrphanReaper reaper = OrphanReaper.builder().build();
		for (Map.Entry<String, List<String>> entry : wouldMatchAsGlob.entrySet()) {
			Path target = file(this.root.resolve(entry.getKey()), "old", Duration.ZERO);
			Path own = orphanOf(this.root, entry.getKey(), PAST_MIN_AGE);
			List<Path> others = new ArrayList<>();
			for (String lookalike : entry.getValue()) {
				others.add(orphanOf(this.root, lookalike, PAST_MIN_AGE));
			}

			ReapReport report = reaper.reap(target);

			assertThat(report.reaped()).as(entry.getKey()).isEqualTo(1);
			assertThat(own).doesNotExist();
			assertThat(others).allSatisfy((other) -> assertThat(other).exists());
		}
	}

	@Test
	void reapsOnlyTheTempSiblingsOfARegularFile() throws IOException {
		Path target = file(this.root.resolve("a.json"), "old", Duration.ZERO);
		Path own = orphanOf(this.root, "a.json", PAST_MIN_AGE);
		Path neighbour = orphanOf(this.root, "b.json", PAST_MIN_AGE);
		Path prefixed = orphanOf(this.root, "a.json.bak", PAST_MIN_AGE);
		Path suffixed = orphanOf(this.root, "xa.json", PAST_MIN_AGE);
		Path sub = Files.createDirectory(this.root.resolve("sub"));
		Path below = orphanOf(sub, "a.json", PAST_MIN_AGE);

		ReapReport report = OrphanReaper.builder().recursive(true).build().reap(target);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(own).doesNotExist();
		assertThat(List.of(target, neighbour, prefixed, suffixed, below))
			.allSatisfy((kept) -> assertThat(kept).exists());
	}

	@Test
	void neverEntersASymlinkedDirectory() throws IOException {
		Path outsideOrphan = orphanOf(this.outside, "data.json", PAST_MAX_AGE);
		Files.createDirectory(this.root.resolve("inner"));
		Path innerOrphan = orphanOf(this.root.resolve("inner"), "data.json", PAST_MAX_AGE);
		Files.createSymbolicLink(this.root.resolve("to-outside"), this.outside);
		Files.createSymbolicLink(this.root.resolve("to-inner"), this.root.resolve("inner"));

		ReapReport report = OrphanReaper.builder().recursive(true).build().reap(this.root);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(innerOrphan).doesNotExist();
		assertThat(outsideOrphan).exists();
		assertThat(this.root.resolve("to-outside")).isSymbolicLink();
		assertThat(this.root.resolve("to-inner")).isSymbolicLink();
	}

	@Test
	void leavesASymlinkNamedLikeATempFileAndItsTargetAlone() throws IOException {
		Path outsideOrphan = orphanOf(this.outside, "data.json", PAST_MAX_AGE);
		Path link = Files.createSymbolicLink(this.root.resolve(orphanName("data.json")), outsideOrphan);
		Path dangling = Files.createSymbolicLink(this.root.resolve(orphanName("data.json")),
				this.outside.resolve("missing"));
		Map<String, String> before = TreeSnapshot.of(this.temp);

		ReapReport report = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build().reap(this.root);

		assertThat(report.reaped()).isZero();
		assertThat(report.failed()).isZero();
		assertThat(TreeSnapshot.of(this.temp)).isEqualTo(before);
		assertThat(link).isSymbolicLink();
		assertThat(dangling).isSymbolicLink();
	}

	@Test
	void neverDeletesADirectoryNamedLikeATempFileButReapsInsideItWhenRecursive() throws IOException {
		Path directory = Files.createDirectory(this.root.resolve(orphanName("data.json")));
		Path inside = orphanOf(directory, "data.json", PAST_MAX_AGE);
		ReaperFixtures.age(directory, PAST_MAX_AGE);

		ReapReport flat = OrphanReaper.builder().minAge(Duration.ZERO).maxAge(Duration.ZERO).build().reap(this.root);
		assertThat(flat.reaped()).isZero();
		assertThat(inside).exists();

		ReapReport deep = OrphanReaper.builder().recursive(true).build().reap(this.root);
		assertThat(deep.reaped()).isEqualTo(1);
		assertThat(inside).doesNotExist();
		assertThat(directory).isDirectory();
	}

	@Test
	void neverDeletesOutsideThePath() throws IOException {
		Path besideRoot = orphanOf(this.temp, "data.json", PAST_MAX_AGE);
		Path inOutside = orphanOf(this.outside, "data.json", PAST_MAX_AGE);
		Path inRoot = orphanOf(this.root, "data.json", PAST_MAX_AGE);

		ReapReport report = OrphanReaper.builder().recursive(true).build().reap(this.root);

		assertThat(report.reaped()).isEqualTo(1);
		assertThat(inRoot).doesNotExist();
		assertThat(besideRoot).exists();
		assertThat(inOutside).exists();
	}

	@Test
	void resolvesARootThatIsItselfASymlinkOnce() throws IOException {
		Path orphan = orphanOf(this.outside, "data.json", PAST_MIN_AGE);
		Path link = Files.createSymbolicLink(this.root.resolve("data"), this.outside);

		ReapReport report = OrphanReaper.builder().build().reap(link);

		assertThat(report.pathExists()).isTrue();
		assertThat(report.reaped()).isEqualTo(1);
		assertThat(orphan).doesNotExist();
		assertThat(link).isSymbolicLink();
	}

	@Test
	void reportsAMissingPathWithOneWarningInsteadOfThrowing() {
		Path missing = this.root.resolve("missing");

		ReapReport report = OrphanReaper.builder().build().reap(missing);

		assertThat(report.pathExists()).isFalse();
		assertThat(report.path()).isEqualTo(missing);
		assertThat(report.scanned() + report.reaped() + report.failed()).isZero();
		assertThat(this.logs.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains(missing.toString());
		});
	}

	@Test
	void reapingQuietlyDoesTheSamePassWithItsSummaryAtDebug() throws IOException {
		orphanOf(this.root, "a.json", PAST_MIN_AGE);
		orphanOf(this.root, "b.json", PAST_MIN_AGE);

		ReapReport report = OrphanReaper.builder().build().reapQuietly(this.root);

		assertThat(report.reaped()).isEqualTo(2);
		assertThat(this.logs.list).noneMatch((event) -> event.getLevel() == Level.INFO);
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.DEBUG)
			.extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy((message) -> assertThat(message).startsWith("Reaped 2 "));
	}

	@Test
	void logsOneInfoLinePerRunAndOneDebugLinePerReapedFile() throws IOException {
		Path first = orphanOf(this.root, "a.json", PAST_MIN_AGE);
		Path second = orphanOf(this.root, "b.json", PAST_MIN_AGE);
		file(this.root.resolve("a.json"), "kept", Duration.ZERO);
		long bytes = Files.size(first) + Files.size(second);

		ReapReport report = OrphanReaper.builder().build().reap(this.root);

		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.INFO)
			.singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.contains(this.root.toString(), "Reaped 2 ", bytes + " bytes", "scanned 3",
					report.duration().toMillis() + " ms");
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.DEBUG)
			.extracting(ILoggingEvent::getFormattedMessage)
			.hasSize(2)
			.anySatisfy((line) -> assertThat(line).contains(first.getFileName().toString()))
			.anySatisfy((line) -> assertThat(line).contains(second.getFileName().toString()));
		assertThat(this.logs.list).noneMatch((event) -> event.getLevel().isGreaterOrEqual(Level.WARN));
	}

	@Test
	void tellsTheListenerOfEveryReapedOrphan() throws IOException {
		Path orphan = orphanOf(this.root, "a.json", PAST_MIN_AGE);
		long size = Files.size(orphan);
		List<OrphanReaped> events = new ArrayList<>();
		AtomicFileListener listener = new AtomicFileListener() {
			@Override
			public void onOrphanReaped(OrphanReaped event) {
				events.add(event);
			}
		};

		OrphanReaper.builder().listener(listener).build().reap(this.root);

		assertThat(events).singleElement().satisfies((event) -> {
			assertThat(event.file()).isEqualTo(this.root.toRealPath().resolve(orphan.getFileName()));
			assertThat(event.bytes()).isEqualTo(size);
			assertThat(event.age()).isBetween(PAST_MIN_AGE.minusSeconds(5), PAST_MIN_AGE.plusMinutes(1));
		});
	}

	@Test
	void rejectsInconsistentSettings() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OrphanReaper.builder().minAge(Duration.ofHours(2)).maxAge(Duration.ofHours(1)).build());
		assertThatIllegalArgumentException().isThrownBy(() -> OrphanReaper.builder().minAge(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OrphanReaper.builder().extraPatterns(List.of("[unclosed")).build())
			.withMessageContaining("[unclosed");
	}

}
