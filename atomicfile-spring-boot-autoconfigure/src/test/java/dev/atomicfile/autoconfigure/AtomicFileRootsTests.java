package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link AtomicFileRoots}: aliases that stay short, unique and free of paths. */
class AtomicFileRootsTests {

	@Test
	void aliasIsTheLastElementUnlessAnotherRootEndsTheSameWay() {
		AtomicFileRoots roots = new AtomicFileRoots(List.of(Path.of("/var/lib/app/documents"),
				Path.of("/srv/cache/data"), Path.of("/srv/spool/data"), Path.of("/x/data/data")));
		assertThat(roots.getRoots()).extracting(AtomicFileRoots.Root::alias)
			.containsExactly("documents", "cache-data", "spool-data", "data-data");
	}

	@Test
	void aPathTakesTheAliasOfTheDeepestRootItLiesUnder() {
		AtomicFileRoots roots = new AtomicFileRoots(List.of(Path.of("/data"), Path.of("/data/index")));
		assertThat(roots.aliasOf(Path.of("/data/index/segments_1"))).isEqualTo("index");
		assertThat(roots.aliasOf(Path.of("/data/docs/../state.json"))).isEqualTo("data");
		assertThat(roots.aliasOf(Path.of("/data-other/x"))).isEqualTo(AtomicFileRoots.OTHER);
		assertThat(roots.aliasOf(Path.of("/etc/passwd"))).isEqualTo(AtomicFileRoots.OTHER);
	}

	@Test
	void theSamePathTwiceIsOneRoot() {
		AtomicFileRoots roots = new AtomicFileRoots(List.of(Path.of("/data"), Path.of("/data/./")));
		assertThat(roots.getRoots()).singleElement().satisfies((root) -> assertThat(root.alias()).isEqualTo("data"));
	}

}
