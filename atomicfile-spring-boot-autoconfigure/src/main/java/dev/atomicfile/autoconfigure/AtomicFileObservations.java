package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.atomicfile.Durability;
import dev.atomicfile.autoconfigure.AtomicFileObservationContext.Operation;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Creates the atomic file observations of one writer or reaper: the context, the user's convention
 * where one supports it, the default one otherwise.
 */
final class AtomicFileObservations {

	private final ObservationRegistry registry;

	private final AtomicFileRoots roots;

	private final @Nullable Durability durability;

	private final List<AtomicFileObservationConvention> conventions;

	AtomicFileObservations(ObservationRegistry registry, AtomicFileRoots roots, @Nullable Durability durability,
			List<AtomicFileObservationConvention> conventions) {
		this.registry = registry;
		this.roots = roots;
		this.durability = durability;
		this.conventions = List.copyOf(conventions);
	}

	/** An observation not yet started; {@link Observation#NOOP} without a registry, at no cost. */
	Observation create(AtomicFileObservation observation, Operation operation, @Nullable Path path) {
		if (this.registry.isNoop()) {
			return Observation.NOOP;
		}
		AtomicFileObservationContext context = new AtomicFileObservationContext(observation, operation,
				this.durability, path, (path != null) ? this.roots.aliasOf(path) : KeyValue.NONE_VALUE);
		return observation.observation(custom(context), DefaultAtomicFileObservationConvention.of(observation),
				() -> context, this.registry);
	}

	/** Records the first target a batch stages as the path and root of its observation. */
	void staged(Observation observation, Path target) {
		if (observation.getContext() instanceof AtomicFileObservationContext context && context.getPath() == null) {
			context.setPath(target, this.roots.aliasOf(target));
		}
	}

	private @Nullable AtomicFileObservationConvention custom(AtomicFileObservationContext context) {
		for (AtomicFileObservationConvention convention : this.conventions) {
			if (convention.supportsContext(context)) {
				return convention;
			}
		}
		return null;
	}

}
