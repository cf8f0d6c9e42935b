package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.Objects;

import dev.atomicfile.Durability;
import dev.atomicfile.ReapReport;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link AtomicFileObservationConvention} sees of one observed operation: its kind and
 * operation, the writer's durability, the path and the alias of its root, and how it ended.
 */
public class AtomicFileObservationContext extends Observation.Context {

	private final AtomicFileObservation observation;

	private final Operation operation;

	private final @Nullable Durability durability;

	private @Nullable Path path;

	private String root;

	private boolean abandoned;

	private @Nullable ReapReport reapReport;

	/**
	 * Creates the context of one operation.
	 * @param observation which observation this is
	 * @param operation what was asked
	 * @param durability the writer's durability; {@code null} for a reap
	 * @param path the path, or {@code null} while a batch has staged nothing
	 * @param root the alias of the path's root
	 */
	public AtomicFileObservationContext(AtomicFileObservation observation, Operation operation,
			@Nullable Durability durability, @Nullable Path path, String root) {
		this.observation = Objects.requireNonNull(observation, "observation");
		this.operation = Objects.requireNonNull(operation, "operation");
		this.durability = durability;
		this.path = path;
		this.root = Objects.requireNonNull(root, "root");
	}

	/**
	 * Which observation this is.
	 * @return the observation
	 */
	public AtomicFileObservation getObservation() {
		return this.observation;
	}

	/**
	 * What the writer or reaper was asked to do.
	 * @return the operation
	 */
	public Operation getOperation() {
		return this.operation;
	}

	/**
	 * The durability of the writer.
	 * @return the durability, or {@code null} for a reap
	 */
	public @Nullable Durability getDurability() {
		return this.durability;
	}

	/**
	 * The path written, linked or reaped; for a commit its first staged target.
	 * @return the path, or {@code null} for a batch that staged nothing
	 */
	public @Nullable Path getPath() {
		return this.path;
	}

	/**
	 * The alias of the configured root the path lies under.
	 * @return the alias, {@value AtomicFileRoots#OTHER} under no root
	 */
	public String getRoot() {
		return this.root;
	}

	/**
	 * Sets the path and its root once a batch has staged its first target.
	 * @param path the first target
	 * @param root the alias of its root
	 */
	public void setPath(Path path, String root) {
		this.path = Objects.requireNonNull(path, "path");
		this.root = Objects.requireNonNull(root, "root");
	}

	/**
	 * Whether a pending file or batch was closed without a commit and without a failure.
	 * @return whether it was abandoned
	 */
	public boolean isAbandoned() {
		return this.abandoned;
	}

	/**
	 * Marks a pending file or batch as closed without a commit.
	 * @param abandoned whether it was abandoned
	 */
	public void setAbandoned(boolean abandoned) {
		this.abandoned = abandoned;
	}

	/**
	 * What a reaping pass did, once it ended.
	 * @return the report, or {@code null} for writes, commits and a pass not ended or that threw
	 */
	public @Nullable ReapReport getReapReport() {
		return this.reapReport;
	}

	/**
	 * Records what a reaping pass did.
	 * @param reapReport the report of the pass
	 */
	public void setReapReport(ReapReport reapReport) {
		this.reapReport = Objects.requireNonNull(reapReport, "reapReport");
	}

	/** What was asked, as the {@code operation} key gives it. */
	public enum Operation {

		/** A replacement: {@code write}, {@code writeString} or {@code writeFile}. */
		WRITE("write"),

		/** A create-only write: {@code writeNew}. */
		WRITE_NEW("write_new"),

		/** A pending file, from {@code newPendingFile} to its commit or close. */
		PENDING("pending"),

		/** The replacement of a symbolic link. */
		SYMLINK("symlink"),

		/** An all-or-nothing commit: {@code commit(content)} or a batch from {@code newBatch()}. */
		COMMIT("commit"),

		/** A reaping pass (the reap observation has no {@code operation} key). */
		REAP("reap");

		private final String value;

		private final String contextualName;

		Operation(String value) {
			this.value = value;
			this.contextualName = "atomicfile " + value;
		}

		/** The default contextual name (a span's name), made once. */
		String contextualName() {
			return this.contextualName;
		}

		/**
		 * The value of the {@code operation} key.
		 * @return the value, lower case
		 */
		public String value() {
			return this.value;
		}

	}

}
