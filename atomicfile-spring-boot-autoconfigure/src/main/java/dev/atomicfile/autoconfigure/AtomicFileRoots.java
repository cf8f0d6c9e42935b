package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The directories an application writes under, as configured ({@code atomicfile.reaper.paths}), each
 * with a short alias for metric tags, health components and the endpoint: its last path element
 * ({@code /var/lib/app/documents} is {@code documents}), with parent elements prefixed
 * ({@code cache-data}, {@code spool-data}) when two roots share one. A path under no root has the
 * alias {@value #OTHER}: tags never carry a path.
 */
public class AtomicFileRoots {

	/** The alias of a path under no configured root. */
	public static final String OTHER = "other";

	private final List<Root> roots;

	/** Longest first, so that a nested root wins over the one that contains it. */
	private final List<Root> byDepth;

	/**
	 * Creates the roots of the given paths, aliased as described above.
	 * @param paths the configured paths, in order
	 */
	public AtomicFileRoots(List<Path> paths) {
		List<Path> normalized = paths.stream().map((path) -> path.toAbsolutePath().normalize()).distinct().toList();
		List<Root> roots = new ArrayList<>();
		Map<String, Integer> taken = new HashMap<>();
		for (Path path : normalized) {
			String alias = alias(path, normalized);
			int seen = taken.merge(alias, 1, Integer::sum);
			roots.add(new Root((seen == 1) ? alias : alias + "-" + seen, path));
		}
		this.roots = List.copyOf(roots);
		this.byDepth = this.roots.stream().sorted(Comparator.comparingInt((Root root) -> root.path().getNameCount())
			.reversed()).toList();
	}

	/**
	 * The configured roots.
	 * @return every root, in configuration order
	 */
	public List<Root> getRoots() {
		return this.roots;
	}

	/**
	 * The alias of the root {@code path} lies under.
	 * @param path any path
	 * @return the deepest root's alias, or {@value #OTHER}
	 */
	public String aliasOf(Path path) {
		Path normalized = path.toAbsolutePath().normalize();
		for (Root root : this.byDepth) {
			if (normalized.startsWith(root.path())) {
				return root.alias();
			}
		}
		return OTHER;
	}

	/** The shortest tail of {@code path} (elements joined by '-') that no other path ends with. */
	private static String alias(Path path, List<Path> all) {
		int count = path.getNameCount();
		if (count == 0) {
			return "root";
		}
		int elements = 1;
		while (elements < count && sharedTail(path, elements, all)) {
			elements++;
		}
		List<String> names = new ArrayList<>();
		path.subpath(count - elements, count).forEach((name) -> names.add(name.toString()));
		return String.join("-", names);
	}

	private static boolean sharedTail(Path path, int elements, List<Path> all) {
		Path tail = path.subpath(path.getNameCount() - elements, path.getNameCount());
		return all.stream()
			.filter((other) -> !other.equals(path) && other.getNameCount() >= elements)
			.anyMatch((other) -> other.subpath(other.getNameCount() - elements, other.getNameCount()).equals(tail));
	}

	/**
	 * One configured root.
	 *
	 * @param alias its short name
	 * @param path its absolute, normalized path
	 */
	public record Root(String alias, Path path) {

		/**
		 * Checks the parts.
		 * @param alias its short name
		 * @param path its absolute, normalized path
		 */
		public Root {
			Objects.requireNonNull(alias, "alias");
			Objects.requireNonNull(path, "path");
		}

	}

}
