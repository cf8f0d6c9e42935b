package dev.atomicfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A commit failed <em>after</em> its commit point: some of its targets may already hold their new
 * content, the others will get theirs when {@link CommitRecovery} runs (at the next start, in a
 * Spring application). The commit record and the temp files not yet renamed stay on disk; no
 * reaper deletes them.
 */
public class IncompleteCommitException extends IOException {

	private static final long serialVersionUID = 1L;

	private final transient List<Path> targets;

	/**
	 * Creates the exception.
	 * @param targets every target of the commit
	 * @param cause what stopped it
	 */
	public IncompleteCommitException(List<Path> targets, Throwable cause) {
		super("Commit of " + targets + " passed its commit point but did not finish (" + cause
				+ "); recovery completes it", cause);
		this.targets = List.copyOf(targets);
	}

	/**
	 * The targets of the commit.
	 * @return every target, in the order they were staged
	 */
	public List<Path> targets() {
		return this.targets;
	}

}
