package dev.atomicfile.autoconfigure;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of atomic file operations: what they are called, which keys they carry, and
 * their default convention. With Spring Boot's meter handler each gives a timer of its name, and a
 * span when tracing is on.
 */
public enum AtomicFileObservation implements ObservationDocumentation {

	/**
	 * One single-file operation of the writer: a write, a create-only write, a pending file from its
	 * opening to its commit or close, or the replacement of a symbolic link.
	 */
	WRITE {

		@Override
		public String getName() {
			return "atomicfile.write";
		}

	},

	/** One all-or-nothing commit of several files, from the batch's start to its commit or close. */
	COMMIT {

		@Override
		public String getName() {
			return "atomicfile.commit";
		}

	},

	/** One reaping pass over one configured path. */
	REAP {

		@Override
		public String getName() {
			return "atomicfile.reap";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.OUTCOME, LowCardinalityKeyNames.EXCEPTION,
					LowCardinalityKeyNames.ROOT };
		}

	};

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return DefaultAtomicFileObservationConvention.class;
	}

	/** Writes and commits carry every low-cardinality key; {@link #REAP} has no operation and durability. */
	@Override
	public KeyName[] getLowCardinalityKeyNames() {
		return LowCardinalityKeyNames.values();
	}

	@Override
	public KeyName[] getHighCardinalityKeyNames() {
		return HighCardinalityKeyNames.values();
	}

	/** The keys with few values: they tag the meters. */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * What the writer was asked to do: {@code write}, {@code write_new}, {@code pending},
		 * {@code symlink} or {@code commit}.
		 */
		OPERATION {

			@Override
			public String asString() {
				return "operation";
			}

		},

		/** The writer's durability, lower case: {@code none}, {@code file} or {@code full}. */
		DURABILITY {

			@Override
			public String asString() {
				return "durability";
			}

		},

		/**
		 * How it ended: {@code success}, {@code failure}, or {@code abandoned} (a pending file or batch
		 * closed without a commit and without a failure).
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		},

		/** The simple class name of the exception of a failure, {@code none} otherwise. */
		EXCEPTION {

			@Override
			public String asString() {
				return "exception";
			}

		},

		/**
		 * The alias of the configured root the path lies under ({@link AtomicFileRoots}), {@code other}
		 * under none, {@code none} for a batch that staged nothing.
		 */
		ROOT {

			@Override
			public String asString() {
				return "root";
			}

		}

	}

	/** The keys with many values: on spans, never on meters. */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The path written, linked or reaped; for a commit its first target; {@code none} for a batch
		 * that staged nothing.
		 */
		PATH {

			@Override
			public String asString() {
				return "path";
			}

		}

	}

}
