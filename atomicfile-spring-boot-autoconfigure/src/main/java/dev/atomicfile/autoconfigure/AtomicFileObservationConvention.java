package dev.atomicfile.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and keys of the {@link AtomicFileObservation atomic file observations}. A bean of this
 * type replaces {@link DefaultAtomicFileObservationConvention} for the observations it
 * {@link #supportsContext supports}: extend the default one for one observation (its name is the
 * observation's, as Micrometer asks of a convention), or support several and name them yourself.
 */
public interface AtomicFileObservationConvention extends ObservationConvention<AtomicFileObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof AtomicFileObservationContext;
	}

}
