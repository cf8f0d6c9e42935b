package dev.atomicfile;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The files of one all-or-nothing commit, staged one by one and then committed together: after a
 * crash at any instant and the {@link CommitRecovery recovery} at the next start, either every
 * target holds its old content (or is still absent) or every target holds its new content.
 *
 * <p>Each {@code write} stages its file at once: a locked temp sibling of the target is created,
 * filled and given the target's mode and owner, on the calling thread. Nothing is visible until
 * {@link #commit()}. A batch holds one open file per staged target until it is committed or closed.
 *
 * <pre>{@code
 * try (CommitBatch batch = writer.newBatch()) {
 *     batch.write(index, indexBytes);
 *     batch.writeString(metadata, json);
 *     batch.commit();
 * }
 * }</pre>
 *
 * <p>Once any write to a batch has failed, the batch can no longer be committed: {@link #commit()}
 * throws {@link IllegalStateException}. A batch is used by one thread at a time.
 */
public interface CommitBatch extends AutoCloseable {

	/**
	 * Stages {@code bytes} as the new content of {@code target}.
	 * @param target the file to replace or create; its directory must exist
	 * @param bytes the complete new content
	 * @throws IOException if the file could not be staged; the batch can then only be closed
	 * @throws IllegalArgumentException if the batch already holds {@code target}
	 */
	void write(Path target, byte[] bytes) throws IOException;

	/**
	 * Stages {@code text}, encoded as UTF-8, as the new content of {@code target}.
	 * @param target the file to replace or create; its directory must exist
	 * @param text the complete new content
	 * @throws IOException if the file could not be staged; the batch can then only be closed
	 * @throws IllegalArgumentException if the batch already holds {@code target}
	 */
	default void writeString(Path target, CharSequence text) throws IOException {
		writeString(target, text, StandardCharsets.UTF_8);
	}

	/**
	 * Stages {@code text}, encoded in {@code charset}, as the new content of {@code target}. Text the
	 * charset cannot encode fails the write.
	 * @param target the file to replace or create; its directory must exist
	 * @param text the complete new content
	 * @param charset the encoding
	 * @throws IOException if the file could not be staged; the batch can then only be closed
	 * @throws IllegalArgumentException if the batch already holds {@code target}
	 */
	void writeString(Path target, CharSequence text, Charset charset) throws IOException;

	/**
	 * Stages the bytes {@code content} streams as the new content of {@code target}. A failure of the
	 * stream fails the write even when the callback swallowed it.
	 * @param target the file to replace or create; its directory must exist
	 * @param content writes the complete new content
	 * @throws IOException if the file could not be staged or the callback failed; the batch can then
	 * only be closed
	 * @throws IllegalArgumentException if the batch already holds {@code target}
	 */
	void write(Path target, ContentWriter content) throws IOException;

	/**
	 * Replaces every staged target, all or nothing. With {@link Durability#FULL}, the whole new state
	 * survives a power cut once this returns. Readers that look while the targets are renamed, one
	 * after the other, may see some new and some old files: a commit is atomic against crashes, it
	 * does not isolate readers.
	 * @throws IncompleteCommitException if the commit point was passed but not every target could be
	 * renamed or synced: recovery completes the commit
	 * @throws IOException if the commit failed before its commit point: every target is unchanged and
	 * nothing is left behind
	 * @throws IllegalStateException if a write to this batch failed, or it was committed or closed
	 */
	void commit() throws IOException;

	/**
	 * Abandons the batch unless it was committed: every staged temp file is deleted and no target
	 * changes. Does nothing when called again. Problems are logged, never thrown.
	 */
	@Override
	void close();

}
