package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Replaces files atomically: readers, and the next start after a crash, see the complete old
 * content or the complete new content, never a torn, empty or mixed file.
 *
 * <h2>How a write works</h2>
 * Each write creates a uniquely named temp file beside the target ({@code <name>.tmp.af-…},
 * {@code CREATE_NEW}, born with the target's permission bits), locks it so that an
 * {@link OrphanReaper} in any process can tell it is alive, writes the content, gives it the
 * target's owner, group and whole mode, fsyncs it ({@link Durability#FILE} and
 * {@link Durability#FULL}), renames it over the target with {@code ATOMIC_MOVE}, and fsyncs the
 * directory ({@link Durability#FULL}).
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>When a write throws, the target is byte-identical to before and the temp file is gone, with
 * one exception: a failure <em>after</em> the rename (the directory fsync, or closing the file) is
 * still thrown, because the durability asked for was not reached, but the target already holds the
 * new content.</li>
 * <li>Content that failed is never committed: once any write, flush or close of the stream given
 * to a {@link ContentWriter} has failed, the write throws even if the callback swallowed the
 * failure (as {@link java.io.PrintStream} does) and returned normally.</li>
 * <li>No fallback to a non-atomic move: a rename that cannot be atomic fails with
 * {@link java.nio.file.AtomicMoveNotSupportedException}.</li>
 * <li>A symbolic link as target is written through, like {@link java.nio.file.Files#write}: the link
 * stays, the file it finally points to is replaced, in that file's directory; with
 * {@link Builder#followLinks(boolean) followLinks(false)} the link itself is replaced.</li>
 * <li>The new content is never readable more widely than the final file, not even before its first
 * byte. The whole mode (setuid, setgid and sticky included) and, where the process may, the owner and
 * group of an existing target are carried over. A new file gets the mode {@code Files.write} would
 * give it (the umask applies).</li>
 * <li>A target whose name has the temp-file format is refused: a reaper would delete it.</li>
 * <li>Every failure names the caller's target or the temp file; an interrupt becomes an
 * {@link java.io.InterruptedIOException} and leaves the thread's interrupt status set.</li>
 * <li>Whatever a listener throws is logged and never changes the outcome of a write.</li>
 * </ul>
 *
 * <h2>Not guaranteed</h2>
 * <ul>
 * <li>ACLs, extended attributes and hard links of the old file are not carried over: the target is a
 * new inode.</li>
 * <li>Concurrent writes to one target are not serialised: each is atomic and the last rename wins.</li>
 * <li>Any code in this process that opens and closes a temp file while it is being written drops
 * the writer's lock (fcntl locks belong to the process): a reaper in another process may then
 * delete it, and the write fails cleanly.</li>
 * <li>On Windows there is no directory fsync (the JDK cannot open a directory) and the file is
 * closed before its rename, so {@link Durability#FULL} behaves like {@link Durability#FILE}.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe; one instance serves a whole application.
 */
public interface AtomicFileWriter {

	/**
	 * Replaces {@code target} with {@code bytes}.
	 * @param target the file to replace or create; its directory must exist
	 * @param bytes the complete new content
	 * @throws IOException if the write failed; the target is then unchanged
	 */
	void write(Path target, byte[] bytes) throws IOException;

	/**
	 * Replaces {@code target} with {@code text} encoded as UTF-8.
	 * @param target the file to replace or create; its directory must exist
	 * @param text the complete new content
	 * @throws IOException if the write failed; the target is then unchanged
	 */
	default void writeString(Path target, CharSequence text) throws IOException {
		writeString(target, text, StandardCharsets.UTF_8);
	}

	/**
	 * Replaces {@code target} with {@code text} encoded in {@code charset}. Text the charset cannot
	 * encode fails the write, as in {@link java.nio.file.Files#writeString}.
	 * @param target the file to replace or create; its directory must exist
	 * @param text the complete new content
	 * @param charset the encoding
	 * @throws IOException if the write failed; the target is then unchanged
	 */
	void writeString(Path target, CharSequence text, Charset charset) throws IOException;

	/**
	 * Replaces {@code target} with the bytes {@code content} streams. Nothing is held in memory
	 * beyond a 64 KiB buffer, so files of any size work. If the callback throws anything, the write
	 * is abandoned and the exception propagates unchanged. If a write to the stream failed, the
	 * stream fails every later call and the write throws, even when the callback swallowed the
	 * failure and returned normally.
	 * @param target the file to replace or create; its directory must exist
	 * @param content writes the complete new content
	 * @throws IOException if the write or the callback failed; the target is then unchanged
	 */
	void write(Path target, ContentWriter content) throws IOException;

	/**
	 * Replaces {@code target} with the file {@code producer} makes at a temp path, for APIs that
	 * write to a path themselves. The path lies in a private directory beside the target
	 * ({@code <name>.tmp.af-…/<name>}, mode 0700) whose lock the writer holds for the whole write,
	 * so the producer may close, delete, recreate or reopen its file at will without any reaper
	 * taking it for an orphan, and nobody else can open it whatever mode the producer gives it. After
	 * the producer returns, the file gets the target's mode and owner (so a read-only target never
	 * locks the producer out), is synced and renamed over the target, and the directory is removed.
	 * @param target the file to replace or create; its directory must exist
	 * @param producer writes the complete new content at the path it is given
	 * @throws IOException if the write or the producer failed; the target is then unchanged
	 */
	void writeFile(Path target, TempFileProducer producer) throws IOException;

	/**
	 * Creates {@code target} with {@code bytes}, only if nothing has that name yet (not even a
	 * dangling link): the file system decides in one step ({@code link(2)} of the finished temp
	 * file refuses an existing name), so two processes racing to create one file cannot both win
	 * and no reader ever sees it partly written. Links at the target are not followed.
	 * @param target the file to create; its directory must exist
	 * @param bytes the complete content
	 * @throws java.nio.file.FileAlreadyExistsException if the target exists; it is untouched
	 * @throws IOException if the write failed; nothing is then left behind
	 */
	void writeNew(Path target, byte[] bytes) throws IOException;

	/**
	 * Creates {@code target} with the bytes {@code content} streams, only if nothing has that name;
	 * see {@link #writeNew(Path, byte[])}.
	 * @param target the file to create; its directory must exist
	 * @param content writes the complete content
	 * @throws java.nio.file.FileAlreadyExistsException if the target exists; it is untouched
	 * @throws IOException if the write or the callback failed; nothing is then left behind
	 */
	void writeNew(Path target, ContentWriter content) throws IOException;

	/**
	 * Opens a replacement of {@code target} to write through a stream and commit when done; close it
	 * (try-with-resources) so that an abandoned one leaves nothing behind.
	 * @param target the file to replace or create; its directory must exist
	 * @return the open replacement
	 * @throws IOException if its temp file cannot be created
	 */
	PendingFile newPendingFile(Path target) throws IOException;

	/**
	 * Points the symbolic link {@code link} at {@code linkTarget}, creating or replacing it in one
	 * rename: readers resolving {@code link} see the old or the new destination, never a missing
	 * link. The building block of snapshot switching: write {@code releases/v43/…}, then switch
	 * {@code current} from {@code releases/v42}. A temp link is staged as
	 * {@code <name>.tmp.afu-…} (links cannot be locked), which reapers delete after {@code maxAge}.
	 * @param link where the link is; if something exists there it must be a symbolic link
	 * @param linkTarget what the link points to, stored as given (relative targets resolve from the
	 * link's directory)
	 * @throws java.nio.file.FileSystemException if {@code link} exists and is not a symbolic link
	 * @throws IOException if the replacement failed; the old link is then unchanged
	 */
	void replaceSymbolicLink(Path link, Path linkTarget) throws IOException;

	/**
	 * Replaces several files all or nothing: {@code content} stages them in a {@link CommitBatch},
	 * which is then committed. After a crash at any instant and the {@link CommitRecovery recovery}
	 * at the next start, either every target holds its old content (or is still absent) or every
	 * target holds its new content. The targets may lie in several directories and file systems.
	 * Readers that look during the commit may see some targets new and others old.
	 * <pre>{@code
	 * writer.commit(batch -> {
	 *     batch.write(index, indexBytes);
	 *     batch.writeString(metadata, json);
	 * });
	 * }</pre>
	 * @param content stages every file of the commit
	 * @throws IncompleteCommitException if the commit point was passed but the commit could not
	 * finish: recovery completes it
	 * @throws IOException if the commit failed before its commit point, or {@code content} threw:
	 * every target is then unchanged and nothing is left behind
	 */
	default void commit(CommitContent content) throws IOException {
		Objects.requireNonNull(content, "content");
		try (CommitBatch batch = newBatch()) {
			content.writeTo(batch);
			batch.commit();
		}
	}

	/**
	 * Starts an empty batch of files to commit all or nothing, for code that cannot stage them in one
	 * lambda. Close it (try-with-resources) so that an abandoned batch leaves nothing behind.
	 * @return a new batch using this writer's settings
	 */
	CommitBatch newBatch();

	/**
	 * A builder whose {@code build()} without further settings gives the safe defaults:
	 * {@link Durability#FULL}, permissions preserved, no listener.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/** Configures an {@link AtomicFileWriter}. Not thread-safe; the writers it builds are. */
	final class Builder {

		/**
		 * How many files of one commit are fsynced at once unless set otherwise: fsync waits on the
		 * device, not the CPU, and journaling file systems merge concurrent fsyncs into one journal
		 * commit, so even a 2-core machine gains from 16; large machines with fast devices get more.
		 */
		public static final int DEFAULT_FSYNC_PARALLELISM = Math.min(128,
				Math.max(16, 2 * Runtime.getRuntime().availableProcessors()));

		private Durability durability = Durability.FULL;

		private boolean preservePermissions = true;

		private boolean preserveOwnership = true;

		private boolean followLinks = true;

		private AtomicFileListener listener = AtomicFileListener.none();

		private int fsyncParallelism = DEFAULT_FSYNC_PARALLELISM;

		private @Nullable Integer newFileMode;

		private boolean serializeWrites;

		private Builder() {
		}

		/**
		 * Sets how much of each write reaches stable storage before it returns.
		 * @param durability the level; default {@link Durability#FULL}
		 * @return this builder
		 */
		public Builder durability(Durability durability) {
			this.durability = Objects.requireNonNull(durability, "durability");
			return this;
		}

		/**
		 * Sets whether an existing target's permission bits are carried over to the new file.
		 * @param preservePermissions default {@code true}; when {@code false} (or on a file system
		 * without POSIX permissions) the new file gets the mode a new file gets
		 * @return this builder
		 */
		public Builder preservePermissions(boolean preservePermissions) {
			this.preservePermissions = preservePermissions;
			return this;
		}

		/**
		 * Sets whether an existing target's owner and group are carried over to the new file. Only a
		 * process allowed to give files away (root, or one with {@code CAP_CHOWN}) can; for others
		 * this is skipped silently (a DEBUG line), and the new file belongs to the process, as
		 * with every rename-based writer.
		 * @param preserveOwnership default {@code true}
		 * @return this builder
		 */
		public Builder preserveOwnership(boolean preserveOwnership) {
			this.preserveOwnership = preserveOwnership;
			return this;
		}

		/**
		 * Sets whether a symbolic link at the target is written through, as
		 * {@link java.nio.file.Files#write} does: the link stays and the file it finally points to is
		 * replaced. With {@code false} the link itself is replaced by the new regular file and the
		 * file behind it is never touched: use this when the directory may hold links planted by
		 * someone else (uploads, shared data directories).
		 * @param followLinks default {@code true}
		 * @return this builder
		 */
		public Builder followLinks(boolean followLinks) {
			this.followLinks = followLinks;
			return this;
		}

		/**
		 * Sets the listener told of every write and failure.
		 * @param listener the listener; see {@link AtomicFileListener#composite} for several
		 * @return this builder
		 */
		public Builder listener(AtomicFileListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/**
		 * Sets the permissions of the files this writer creates, exactly, whatever the process's
		 * umask: a secret written with {@code rw-------} never exists with a wider mode, not even as
		 * a temp file. Applies to new targets, and to every target when
		 * {@link #preservePermissions(boolean) preservePermissions} is off.
		 * @param permissions the permission bits; {@code null} (the default) for the mode
		 * {@link java.nio.file.Files#write} would give ({@code 0666} minus the umask)
		 * @return this builder
		 */
		public Builder newFilePermissions(@Nullable Set<PosixFilePermission> permissions) {
			this.newFileMode = (permissions != null) ? Modes.of(permissions) : null;
			return this;
		}

		/**
		 * Sets whether writes to one path wait for each other. Off by default: each write is atomic
		 * and the last rename wins. On, writes by any writer of this class loader with this setting,
		 * to the same path as given (absolute and normalized, links not resolved), run one at a time
		 * in the order they arrived, as npm's write-file-atomic does; a {@link PendingFile} holds its
		 * path from open to commit or close.
		 * @param serializeWrites default {@code false}
		 * @return this builder
		 */
		public Builder serializeWrites(boolean serializeWrites) {
			this.serializeWrites = serializeWrites;
			return this;
		}

		/**
		 * Sets how many files of one commit may be fsynced at the same time.
		 * @param fsyncParallelism at least 1; default {@link #DEFAULT_FSYNC_PARALLELISM}
		 * @return this builder
		 */
		public Builder fsyncParallelism(int fsyncParallelism) {
			if (fsyncParallelism < 1) {
				throw new IllegalArgumentException("fsyncParallelism must be at least 1, not " + fsyncParallelism);
			}
			this.fsyncParallelism = fsyncParallelism;
			return this;
		}

		/**
		 * Builds a writer with the current settings.
		 * @return a new thread-safe writer
		 */
		public AtomicFileWriter build() {
			return new DefaultAtomicFileWriter(this.durability,
					new Metadata(this.preservePermissions, this.preserveOwnership, this.newFileMode), this.followLinks,
					this.serializeWrites, this.fsyncParallelism, this.listener);
		}

	}

}
