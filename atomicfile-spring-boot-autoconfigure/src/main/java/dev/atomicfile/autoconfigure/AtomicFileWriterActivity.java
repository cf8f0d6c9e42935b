package dev.atomicfile.autoconfigure;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many writes (and commits) of the auto-configured writer are under way at this instant, for
 * the {@code atomicfile} actuator endpoint. The writer bean counts them.
 */
public class AtomicFileWriterActivity {

	private final AtomicInteger inFlight = new AtomicInteger();

	/** Creates an activity with nothing in flight. */
	public AtomicFileWriterActivity() {
	}

	/** Counts a write that starts. */
	public void started() {
		this.inFlight.incrementAndGet();
	}

	/** Counts a write that ended, however it ended. */
	public void ended() {
		this.inFlight.decrementAndGet();
	}

	/**
	 * The writes under way.
	 * @return how many started and have not ended
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

}
