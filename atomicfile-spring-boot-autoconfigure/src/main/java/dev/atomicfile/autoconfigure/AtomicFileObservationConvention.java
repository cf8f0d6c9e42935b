package dev.atomicfile.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and keys of the {@link AtomicFileObservation atomic file observations}. A bean of this
 * type replaces {@link DefaultAtomicFileObservationConvention} for the observations it
 * {@link #supportsContext supports}, the first bean in order that does. Micrometer takes an
 * observation's name from {@link #getName()}, which sees no context: a convention that supports
 * several observations gives them all its one name, so the usual way is to extend the default
 * convention of one observation.
 */
public interface AtomicFileObservationConvention extends ObservationConvention<AtomicFileObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof AtomicFileObservationContext;
	}

}
