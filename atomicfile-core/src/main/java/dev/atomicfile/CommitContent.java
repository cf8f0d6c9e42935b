package dev.atomicfile;

import java.io.IOException;

/**
 * Stages the files of one all-or-nothing commit, for {@link AtomicFileWriter#commit(CommitContent)}.
 */
@FunctionalInterface
public interface CommitContent {

	/**
	 * Writes every file of the commit to {@code batch}. Whatever this throws abandons the commit: no
	 * target changes and nothing is left behind.
	 * @param batch the batch to stage the files in
	 * @throws IOException to abandon the commit
	 */
	void writeTo(CommitBatch batch) throws IOException;

}
