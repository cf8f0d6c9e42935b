package dev.atomicfile.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * What a tracer's handler sees, recorded: each start and stop with the observation's name, and the
 * contexts as they were when they stopped.
 */
class RecordingObservationHandler implements ObservationHandler<Observation.Context> {

	private final List<String> events = new ArrayList<>();

	private final List<Observation.Context> stopped = new ArrayList<>();

	@Override
	public synchronized void onStart(Observation.Context context) {
		this.events.add("start " + context.getName());
	}

	@Override
	public synchronized void onError(Observation.Context context) {
		this.events.add("error " + context.getName());
	}

	@Override
	public synchronized void onStop(Observation.Context context) {
		this.events.add("stop " + context.getName());
		this.stopped.add(context);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return true;
	}

	synchronized List<String> events() {
		return List.copyOf(this.events);
	}

	synchronized List<Observation.Context> stopped() {
		return List.copyOf(this.stopped);
	}

}
