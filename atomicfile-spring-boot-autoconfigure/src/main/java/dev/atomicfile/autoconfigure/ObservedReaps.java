package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import dev.atomicfile.ReapReport;
import dev.atomicfile.autoconfigure.AtomicFileObservationContext.Operation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/** Each path's pass as an {@link AtomicFileObservation#REAP} observation. */
final class ObservedReaps implements ReapObserver {

	private final AtomicFileObservations observations;

	ObservedReaps(ObservationRegistry registry, AtomicFileRoots roots,
			List<AtomicFileObservationConvention> conventions) {
		this.observations = new AtomicFileObservations(registry, roots, null, conventions);
	}

	@Override
	public ReapReport observe(Path path, Supplier<ReapReport> pass) {
		Observation observation = this.observations.create(AtomicFileObservation.REAP, Operation.REAP, path);
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			ReapReport report = pass.get();
			if (observation.getContext() instanceof AtomicFileObservationContext context) {
				context.setReapReport(report);
			}
			return report;
		}
		catch (Throwable ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
