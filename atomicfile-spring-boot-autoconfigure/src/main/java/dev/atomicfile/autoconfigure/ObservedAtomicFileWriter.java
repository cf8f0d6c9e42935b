package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitBatch;
import dev.atomicfile.CommitContent;
import dev.atomicfile.ContentWriter;
import dev.atomicfile.Durability;
import dev.atomicfile.PendingFile;
import dev.atomicfile.TempFileProducer;
import dev.atomicfile.autoconfigure.AtomicFileObservationContext.Operation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AtomicFileWriter} that counts each operation in an {@link AtomicFileWriterActivity}
 * while it runs and observes it: {@link AtomicFileObservation#WRITE} for writes, create-only writes,
 * pending files (from their opening to their commit or close) and symbolic links,
 * {@link AtomicFileObservation#COMMIT} for {@code commit(content)} and for batches (from
 * {@code newBatch()} to their commit or close). A synchronous operation runs in the scope of its
 * observation, so a tracer's span is current in the caller's callback. The writer it wraps does the
 * work and sends its events as before; {@link #toString()} is the wrapped writer's.
 */
public final class ObservedAtomicFileWriter implements AtomicFileWriter {

	private final AtomicFileWriter delegate;

	private final AtomicFileWriterActivity activity;

	private final AtomicFileObservations observations;

	/**
	 * Wraps a writer.
	 * @param delegate the writer that does the work
	 * @param durability its durability, for the {@code durability} key
	 * @param roots the roots whose aliases the {@code root} key gives
	 * @param activity counts the operations in flight
	 * @param registry where the observations go; {@link ObservationRegistry#NOOP} to only count
	 * @param conventions conventions that replace the default one for the observations they support,
	 * in order
	 */
	public ObservedAtomicFileWriter(AtomicFileWriter delegate, Durability durability, AtomicFileRoots roots,
			AtomicFileWriterActivity activity, ObservationRegistry registry,
			List<AtomicFileObservationConvention> conventions) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		this.activity = Objects.requireNonNull(activity, "activity");
		this.observations = new AtomicFileObservations(registry, roots, durability, conventions);
	}

	@Override
	public void write(Path target, byte[] bytes) throws IOException {
		observe(Operation.WRITE, target, () -> this.delegate.write(target, bytes));
	}

	@Override
	public void writeString(Path target, CharSequence text) throws IOException {
		observe(Operation.WRITE, target, () -> this.delegate.writeString(target, text));
	}

	@Override
	public void writeString(Path target, CharSequence text, Charset charset) throws IOException {
		observe(Operation.WRITE, target, () -> this.delegate.writeString(target, text, charset));
	}

	@Override
	public void write(Path target, ContentWriter content) throws IOException {
		observe(Operation.WRITE, target, () -> this.delegate.write(target, content));
	}

	@Override
	public void writeFile(Path target, TempFileProducer producer) throws IOException {
		observe(Operation.WRITE, target, () -> this.delegate.writeFile(target, producer));
	}

	@Override
	public void writeNew(Path target, byte[] bytes) throws IOException {
		observe(Operation.WRITE_NEW, target, () -> this.delegate.writeNew(target, bytes));
	}

	@Override
	public void writeNew(Path target, ContentWriter content) throws IOException {
		observe(Operation.WRITE_NEW, target, () -> this.delegate.writeNew(target, content));
	}

	@Override
	public void replaceSymbolicLink(Path link, Path linkTarget) throws IOException {
		observe(Operation.SYMLINK, link, () -> this.delegate.replaceSymbolicLink(link, linkTarget));
	}

	/** The wrapped writer's commit, so its events are unchanged; the staged targets give path and root. */
	@Override
	public void commit(CommitContent content) throws IOException {
		Objects.requireNonNull(content, "content");
		observe(AtomicFileObservation.COMMIT, Operation.COMMIT, null,
				(observation) -> this.delegate.commit((batch) -> content.writeTo(new StagingBatch(batch, observation))));
	}

	@Override
	public PendingFile newPendingFile(Path target) throws IOException {
		Run run = new Run(this.observations.create(AtomicFileObservation.WRITE, Operation.PENDING, target));
		try {
			return new ObservedPendingFile(this.delegate.newPendingFile(target), run);
		}
		catch (Throwable ex) {
			run.fail(ex);
			throw ex;
		}
	}

	@Override
	public CommitBatch newBatch() {
		Run run = new Run(this.observations.create(AtomicFileObservation.COMMIT, Operation.COMMIT, null));
		try {
			return new ObservedCommitBatch(this.delegate.newBatch(), run);
		}
		catch (Throwable ex) {
			run.fail(ex);
			throw ex;
		}
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

	private void observe(Operation operation, Path target, WriterCall call) throws IOException {
		observe(AtomicFileObservation.WRITE, operation, target, (observation) -> call.run());
	}

	private void observe(AtomicFileObservation kind, Operation operation, @Nullable Path target, ObservedCall call)
			throws IOException {
		this.activity.started();
		Observation observation = this.observations.create(kind, operation, target);
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			call.run(observation);
		}
		catch (Throwable ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
			this.activity.ended();
		}
	}

	@FunctionalInterface
	private interface ObservedCall {

		void run(Observation observation) throws IOException;

	}

	@FunctionalInterface
	private interface WriterCall {

		void run() throws IOException;

	}

	/**
	 * A pending file's or batch's observation and activity, which span several calls: started when
	 * it opens, ended once, by its commit (however that ends) or its close.
	 */
	private final class Run {

		private final Observation observation;

		private boolean ended;

		Run(Observation observation) {
			this.observation = observation;
			ObservedAtomicFileWriter.this.activity.started();
			observation.start();
		}

		Observation observation() {
			return this.observation;
		}

		/** Runs the commit; a second commit's {@link IllegalStateException} leaves the first outcome. */
		void commit(WriterCall commit) throws IOException {
			boolean first = !this.ended;
			try {
				commit.run();
			}
			catch (Throwable ex) {
				if (first) {
					fail(ex);
				}
				throw ex;
			}
			end();
		}

		/** A failure that does not end it yet: a batch whose staging failed can only be closed. */
		void failed(Throwable ex) {
			if (!this.ended && this.observation.getContext().getError() == null) {
				this.observation.error(ex);
			}
		}

		void fail(Throwable ex) {
			failed(ex);
			end();
		}

		/** Closes the pending file or batch; unless it ended already, it was abandoned (or failed). */
		void close(Runnable close) {
			try {
				close.run();
			}
			finally {
				abandon();
			}
		}

		private void abandon() {
			if (!this.ended && this.observation.getContext().getError() == null
					&& this.observation.getContext() instanceof AtomicFileObservationContext context) {
				context.setAbandoned(true);
			}
			end();
		}

		private void end() {
			if (!this.ended) {
				this.ended = true;
				this.observation.stop();
				ObservedAtomicFileWriter.this.activity.ended();
			}
		}

	}

	private static final class ObservedPendingFile implements PendingFile {

		private final PendingFile delegate;

		private final Run run;

		ObservedPendingFile(PendingFile delegate, Run run) {
			this.delegate = delegate;
			this.run = run;
		}

		@Override
		public Path target() {
			return this.delegate.target();
		}

		@Override
		public OutputStream outputStream() {
			return this.delegate.outputStream();
		}

		@Override
		public InputStream newInputStream() throws IOException {
			return this.delegate.newInputStream();
		}

		@Override
		public void commit() throws IOException {
			this.run.commit(this.delegate::commit);
		}

		@Override
		public void commitNew() throws IOException {
			this.run.commit(this.delegate::commitNew);
		}

		@Override
		public void close() {
			this.run.close(this.delegate::close);
		}

		@Override
		public String toString() {
			return this.delegate.toString();
		}

	}

	/** Passes the staging on and records the first target in the observation. */
	private class StagingBatch implements CommitBatch {

		final CommitBatch delegate;

		private final Observation observation;

		StagingBatch(CommitBatch delegate, Observation observation) {
			this.delegate = delegate;
			this.observation = observation;
		}

		@Override
		public void write(Path target, byte[] bytes) throws IOException {
			staging(target, () -> this.delegate.write(target, bytes));
		}

		@Override
		public void writeString(Path target, CharSequence text) throws IOException {
			staging(target, () -> this.delegate.writeString(target, text));
		}

		@Override
		public void writeString(Path target, CharSequence text, Charset charset) throws IOException {
			staging(target, () -> this.delegate.writeString(target, text, charset));
		}

		@Override
		public void write(Path target, ContentWriter content) throws IOException {
			staging(target, () -> this.delegate.write(target, content));
		}

		void staging(Path target, WriterCall write) throws IOException {
			ObservedAtomicFileWriter.this.observations.staged(this.observation, target);
			write.run();
		}

		@Override
		public void commit() throws IOException {
			this.delegate.commit();
		}

		@Override
		public void close() {
			this.delegate.close();
		}

		@Override
		public String toString() {
			return this.delegate.toString();
		}

	}

	/** A batch of {@link #newBatch()}: its staging failures, its commit and its close end up in its run. */
	private final class ObservedCommitBatch extends StagingBatch {

		private final Run run;

		ObservedCommitBatch(CommitBatch delegate, Run run) {
			super(delegate, run.observation());
			this.run = run;
		}

		@Override
		void staging(Path target, WriterCall write) throws IOException {
			try {
				super.staging(target, write);
			}
			catch (IllegalArgumentException ex) {
				// A target staged twice is refused before anything is staged: the batch can still commit.
				throw ex;
			}
			catch (Throwable ex) {
				this.run.failed(ex);
				throw ex;
			}
		}

		@Override
		public void commit() throws IOException {
			this.run.commit(this.delegate::commit);
		}

		@Override
		public void close() {
			this.run.close(this.delegate::close);
		}

	}

}
