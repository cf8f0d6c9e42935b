package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/** The one implementation of {@link AtomicFileWriter}; see there for what it guarantees. */
final class DefaultAtomicFileWriter implements AtomicFileWriter {

	private final Durability durability;

	private final Metadata metadata;

	private final boolean followLinks;

	private final boolean serializeWrites;

	private final int fsyncParallelism;

	private final AtomicFileListener listener;

	DefaultAtomicFileWriter(Durability durability, Metadata metadata, boolean followLinks, boolean serializeWrites,
			int fsyncParallelism, AtomicFileListener listener) {
		this.serializeWrites = serializeWrites;
		this.fsyncParallelism = fsyncParallelism;
		this.durability = durability;
		this.metadata = metadata;
		this.followLinks = followLinks;
		this.listener = listener;
	}

	@Override
	public void write(Path target, byte[] bytes) throws IOException {
		replace(target, bytes(target, bytes), Install.REPLACE);
	}

	@Override
	public void writeString(Path target, CharSequence text, Charset charset) throws IOException {
		replace(target, text(target, text, charset), Install.REPLACE);
	}

	@Override
	public void write(Path target, ContentWriter content) throws IOException {
		replace(target, streamed(target, content), Install.REPLACE);
	}

	@Override
	public void writeNew(Path target, byte[] bytes) throws IOException {
		replace(target, bytes(target, bytes), Install.CREATE_NEW);
	}

	@Override
	public void writeNew(Path target, ContentWriter content) throws IOException {
		replace(target, streamed(target, content), Install.CREATE_NEW);
	}

	@Override
	public PendingFile newPendingFile(Path target) throws IOException {
		Objects.requireNonNull(target, "target");
		return DefaultPendingFile.open(this, target);
	}

	@Override
	public void replaceSymbolicLink(Path link, Path linkTarget) throws IOException {
		Objects.requireNonNull(link, "link");
		Objects.requireNonNull(linkTarget, "linkTarget");
		long start = System.nanoTime();
		try (PathLocks.Held held = lockPath(link)) {
			SymbolicLinks.replace(link, linkTarget, this.durability.syncsDirectory() && Platform.canSyncDirectories());
		}
		catch (Throwable failure) {
			reportFailure(link, failure, start, WriteFailed.Origin.FILE_SYSTEM);
			throw failure;
		}
		reportSuccess(link, 0, start);
	}

	@Override
	public void writeFile(Path target, TempFileProducer producer) throws IOException {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(producer, "producer");
		replace(target, (destination, attempt) -> {
			TempDirectory directory = attempt
				.workspace(TempDirectory.create(target, destination, this.metadata));
			attempt.fromCaller(() -> {
				producer.produce(directory.contentPath());
				return null;
			});
			TempFile temp = attempt.staged(directory.takeBack());
			return temp.size();
		}, Install.REPLACE);
	}

	@Override
	public DefaultCommitBatch newBatch() {
		return new DefaultCommitBatch(this, this.durability, this.fsyncParallelism, this.listener);
	}

	@Override
	public void commit(CommitContent content) throws IOException {
		Objects.requireNonNull(content, "content");
		try (DefaultCommitBatch batch = newBatch()) {
			try {
				content.writeTo(batch);
			}
			catch (Throwable ex) {
				batch.abandon(ex);
				throw ex;
			}
			batch.commit();
		}
	}

	/** Stages {@code bytes}: the content of a write. */
	Content bytes(Path target, byte[] bytes) {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(bytes, "bytes");
		return (destination, attempt) -> {
			newTemp(target, destination, attempt).write(ByteBuffer.wrap(bytes));
			return bytes.length;
		};
	}

	/** Stages {@code text} encoded in {@code charset}: the content of a write. */
	Content text(Path target, CharSequence text, Charset charset) {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(charset, "charset");
		return (destination, attempt) -> {
			ByteBuffer encoded = attempt.fromCaller(() -> encode(target, text, charset));
			int length = encoded.remaining();
			newTemp(target, destination, attempt).write(encoded);
			return length;
		};
	}

	/** Stages what {@code content} streams: the content of a write. */
	Content streamed(Path target, ContentWriter content) {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(content, "content");
		return (destination, attempt) -> {
			TempFileOutputStream out = new TempFileOutputStream(newTemp(target, destination, attempt), target);
			attempt.streaming(out);
			attempt.fromCaller(() -> {
				content.writeTo(out);
				return null;
			});
			out.finish();
			return out.count();
		};
	}

	TempFile newTemp(Path target, Destination destination, Attempt attempt) throws IOException {
		TempFile temp = attempt.staged(TempFile.create(target, destination, this.metadata, attempt.suffix));
		if (attempt.suffix != null) {
			// A commit's temp: its record carries the checksum that recovery checks before renaming.
			temp.keepChecksum();
		}
		return temp;
	}

	/**
	 * Stages one file of a commit: resolved, created, filled and given its whole mode, not synced.
	 * On failure nothing is left behind.
	 * @param suffix the temp's suffix, the commit's own
	 * @param check accepts the file the rename will replace, or refuses it before anything is created
	 */
	StagedFile stage(Path target, Content content, String suffix, StagingCheck check, FailureSink failed)
			throws IOException {
		Attempt attempt = new Attempt();
		attempt.suffix = suffix;
		try {
			Destination resolved = Destination.resolve(target, this.followLinks,
					this.metadata.readsExisting());
			Destination destination = new Destination(check.accept(target, resolved.file()), resolved.existing());
			long bytes = content.stage(destination, attempt);
			TempFile temp = attempt.temp();
			temp.applyMode();
			return new StagedFile(target, destination.file(), temp, bytes);
		}
		catch (Throwable failure) {
			attempt.discard(failure);
			failed.accept(failure, attempt.origin(failure));
			throw failure;
		}
	}

	/** Told why staging failed, and whose part it was; see {@link #stage}. */
	@FunctionalInterface
	interface FailureSink {

		void accept(Throwable failure, WriteFailed.Origin origin);

	}

	/** Vets a file a commit is to replace; see {@link #stage}. */
	@FunctionalInterface
	interface StagingCheck {

		/** @return the path the rename is to replace, in its directory's real path */
		Path accept(Path target, Path file) throws IOException;

	}

	@Override
	public String toString() {
		return "AtomicFileWriter[durability=" + this.durability + ", preservePermissions="
				+ this.metadata.preservePermissions() + ", preserveOwnership=" + this.metadata.preserveOwnership()
				+ ", followLinks=" + this.followLinks + ", newFileMode=" + ((this.metadata.newFileMode() != null)
						? String.format("%04o", this.metadata.newFileMode()) : "umask")
				+ ", serializeWrites=" + this.serializeWrites + ", fsyncParallelism=" + this.fsyncParallelism + "]";
	}

	/**
	 * The write path, in one straight line: resolve, stage the content, carry metadata over, sync,
	 * rename (or link), sync the directory. Every failure goes through the one catch below.
	 */
	private void replace(Path target, Content content, Install install) throws IOException {
		try (PathLocks.Held held = lockPath(target)) {
			long start = System.nanoTime();
			Attempt attempt = new Attempt();
			long bytes;
			try {
				Destination destination = resolve(target, install);
				bytes = content.stage(destination, attempt);
				install(target, destination, attempt, install);
			}
			catch (Throwable failure) {
				attempt.discard(failure);
				reportFailure(target, failure, start, attempt.origin(failure));
				throw failure;
			}
			reportSuccess(target, bytes, start);
		}
	}

	/** Holds {@code target}'s lock when this writer serialises writes per path. */
	PathLocks.Held lockPath(Path target) {
		return this.serializeWrites ? PathLocks.SHARED.lock(target.toAbsolutePath().normalize()) : PathLocks.NONE;
	}

	/** Where the content goes; a create-only write never follows a link, it refuses any existing name. */
	Destination resolve(Path target, Install install) throws IOException {
		return Destination.resolve(target, this.followLinks && install == Install.REPLACE,
				this.metadata.readsExisting());
	}

	/** The second half of every write: the staged temp, filled, becomes the target. */
	void install(Path target, Destination destination, Attempt attempt, Install install) throws IOException {
		TempFile temp = attempt.temp();
		temp.applyMode();
		if (this.durability.syncsFile()) {
			temp.force();
		}
		if (install == Install.CREATE_NEW) {
			temp.linkTo(destination.file());
		}
		else {
			temp.moveTo(destination.file());
		}
		attempt.close();
		if (this.durability.syncsDirectory() && Platform.canSyncDirectories()) {
			syncDirectory(target, destination.directory());
		}
	}

	void reportFailure(Path target, Throwable failure, long start, WriteFailed.Origin origin) {
		Listeners.deliver(this.listener, AtomicFileListener::onWriteFailure,
				new WriteFailed(target, failure, Duration.ofNanos(System.nanoTime() - start), origin));
	}

	/** Called outside any catch: whatever a listener does, a write that succeeded is never reported as failed. */
	void reportSuccess(Path target, long bytes, long start) {
		Listeners.deliver(this.listener, AtomicFileListener::onWrite,
				new WriteSucceeded(target, bytes, Duration.ofNanos(System.nanoTime() - start)));
	}

	/** How the finished temp becomes the target. */
	enum Install {

		/** Renamed over whatever is there. */
		REPLACE,

		/** Linked to the name only if nothing has it. */
		CREATE_NEW

	}

	/**
	 * Makes the rename itself durable: the new directory entry reaches the disk, through an fsync
	 * that concurrent writers into the same directory may share.
	 */
	static void syncDirectory(Path target, Path directory) throws IOException {
		try {
			DirectorySyncs.SHARED.sync(directory);
		}
		catch (IOException ex) {
			throw IoErrors.naming(target, ex);
		}
	}

	private static ByteBuffer encode(Path target, CharSequence text, Charset charset) throws IOException {
		try {
			return charset.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(text));
		}
		catch (CharacterCodingException ex) {
			throw IoErrors.naming(target, ex);
		}
	}

	/** Creates the temp file (through {@link Attempt#staged}) and fills it; returns the bytes written. */
	@FunctionalInterface
	interface Content {

		long stage(Destination destination, Attempt attempt) throws IOException;

	}

	/** Runs caller code; {@link Attempt#fromCaller} remembers what it threw. */
	@FunctionalInterface
	private interface CallerCode<T> {

		T run() throws IOException;

	}

	/**
	 * What one write has made so far, so that a failure at any step cleans up exactly that, and
	 * whose part of the work failed.
	 */
	static final class Attempt {

		private @Nullable TempFile temp;

		private @Nullable TempDirectory workspace;

		private @Nullable TempFileOutputStream stream;

		private @Nullable Throwable callerFailure;

		/** The temp's suffix when it must be this one (a commit's), else {@code null} for a fresh one. */
		@Nullable String suffix;

		TempFile staged(TempFile temp) {
			this.temp = temp;
			return temp;
		}

		TempDirectory workspace(TempDirectory workspace) {
			this.workspace = workspace;
			return workspace;
		}

		void streaming(TempFileOutputStream stream) {
			this.stream = stream;
		}

		TempFile temp() {
			return Objects.requireNonNull(this.temp, "no temp file was staged");
		}

		<T> T fromCaller(CallerCode<T> code) throws IOException {
			try {
				return code.run();
			}
			catch (Throwable ex) {
				this.callerFailure = ex;
				Throwable streamFailure = (this.stream != null) ? this.stream.failure() : null;
				if (streamFailure != null && streamFailure != ex && !IoErrors.causedBy(ex, streamFailure)) {
					ex.addSuppressed(streamFailure);
				}
				throw ex;
			}
		}

		/**
		 * The caller's code failed for a reason of its own, unless the file system failed under it
		 * first and it passed that failure on.
		 */
		WriteFailed.Origin origin(Throwable failure) {
			if (failure != this.callerFailure) {
				return WriteFailed.Origin.FILE_SYSTEM;
			}
			Throwable streamFailure = (this.stream != null) ? this.stream.failure() : null;
			return (streamFailure != null && IoErrors.causedBy(failure, streamFailure)) ? WriteFailed.Origin.FILE_SYSTEM
					: WriteFailed.Origin.CONTENT;
		}

		void close() throws IOException {
			if (this.temp != null) {
				this.temp.close();
			}
			if (this.workspace != null) {
				this.workspace.close();
			}
		}

		void discard(Throwable failure) {
			if (this.temp != null) {
				this.temp.discard(failure);
			}
			if (this.workspace != null) {
				this.workspace.discard(failure);
			}
		}

	}

}
