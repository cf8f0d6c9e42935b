package dev.atomicfile;

import org.jspecify.annotations.Nullable;

/**
 * Which mode and owner a writer gives the files it writes.
 *
 * @param preservePermissions whether an existing target's whole mode is carried over
 * @param preserveOwnership whether an existing target's owner and group are carried over
 * @param newFileMode the permission bits of a file that gets no mode carried over, exactly (the
 * umask does not apply), or {@code null} for the mode {@code Files.write} would give it
 */
record Metadata(boolean preservePermissions, boolean preserveOwnership, @Nullable Integer newFileMode) {

	/** A private file of the library's own (a commit record): the mode a new file gets, nothing carried over. */
	static final Metadata OWN_FILE = new Metadata(false, false, null);

	/**
	 * The mode the written file must end with, or {@code null} to leave the one creation gives.
	 * @param existing the target's current metadata, {@code null} for a new file
	 */
	@Nullable Integer modeFor(Destination.@Nullable Existing existing) {
		if (existing != null && this.preservePermissions) {
			return existing.mode();
		}
		return this.newFileMode;
	}

	/** The owner to give the written file, or {@code null} to leave it the process's. */
	Destination.@Nullable Existing ownerFrom(Destination.@Nullable Existing existing) {
		return this.preserveOwnership ? existing : null;
	}

	/** Whether the target's current mode or owner must be read before writing. */
	boolean readsExisting() {
		return this.preservePermissions || this.preserveOwnership;
	}

}
