package dev.atomicfile.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.OrphanReaped;
import dev.atomicfile.WriteSucceeded;

/** A listener bean that records the writes and the reaped orphans it hears of. */
class RecordingListener implements AtomicFileListener {

	final List<WriteSucceeded> writes = new CopyOnWriteArrayList<>();

	final List<OrphanReaped> reaped = new CopyOnWriteArrayList<>();

	@Override
	public void onWrite(WriteSucceeded event) {
		this.writes.add(event);
	}

	@Override
	public void onOrphanReaped(OrphanReaped event) {
		this.reaped.add(event);
	}

}
