package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.function.Supplier;

import dev.atomicfile.ReapReport;

/**
 * Observes the reaping pass of one path for {@link ConfiguredPathsReaper}, without the reaper
 * depending on Micrometer.
 */
@FunctionalInterface
interface ReapObserver {

	/** Reaps without observing. */
	ReapObserver NONE = (path, pass) -> pass.get();

	/**
	 * Runs {@code pass} as the observed reap of {@code path}.
	 * @param path the configured path
	 * @param pass the pass; whatever it throws is rethrown
	 * @return its report
	 */
	ReapReport observe(Path path, Supplier<ReapReport> pass);

}
