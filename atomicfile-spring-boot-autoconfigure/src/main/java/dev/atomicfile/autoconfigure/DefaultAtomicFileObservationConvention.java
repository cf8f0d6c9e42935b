package dev.atomicfile.autoconfigure;

import java.nio.file.Path;
import java.util.Objects;

import dev.atomicfile.Durability;
import dev.atomicfile.ReapReport;
import dev.atomicfile.autoconfigure.AtomicFileObservation.HighCardinalityKeyNames;
import dev.atomicfile.autoconfigure.AtomicFileObservation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link AtomicFileObservationConvention} of one {@link AtomicFileObservation}: its
 * name, and the keys the observation documents. Micrometer takes an observation's name from its
 * convention, so there is one instance per observation.
 */
public class DefaultAtomicFileObservationConvention implements AtomicFileObservationConvention {

	/** The convention of {@link AtomicFileObservation#WRITE}. */
	public static final DefaultAtomicFileObservationConvention WRITE = new DefaultAtomicFileObservationConvention(
			AtomicFileObservation.WRITE);

	/** The convention of {@link AtomicFileObservation#COMMIT}. */
	public static final DefaultAtomicFileObservationConvention COMMIT = new DefaultAtomicFileObservationConvention(
			AtomicFileObservation.COMMIT);

	/** The convention of {@link AtomicFileObservation#REAP}. */
	public static final DefaultAtomicFileObservationConvention REAP = new DefaultAtomicFileObservationConvention(
			AtomicFileObservation.REAP);

	static final String SUCCESS = "success";

	static final String FAILURE = "failure";

	static final String ABANDONED = "abandoned";

	private final AtomicFileObservation observation;

	/**
	 * Creates the convention of one observation; extend it to change its keys.
	 * @param observation the observation it names and supports
	 */
	public DefaultAtomicFileObservationConvention(AtomicFileObservation observation) {
		this.observation = Objects.requireNonNull(observation, "observation");
	}

	/**
	 * The convention of one observation.
	 * @param observation the observation
	 * @return its default convention
	 */
	static DefaultAtomicFileObservationConvention of(AtomicFileObservation observation) {
		return switch (observation) {
			case WRITE -> WRITE;
			case COMMIT -> COMMIT;
			case REAP -> REAP;
		};
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof AtomicFileObservationContext atomicFile
				&& atomicFile.getObservation() == this.observation;
	}

	@Override
	public String getName() {
		return this.observation.getName();
	}

	@Override
	public String getContextualName(AtomicFileObservationContext context) {
		return context.getOperation().contextualName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(AtomicFileObservationContext context) {
		KeyValues keys = KeyValues.of(LowCardinalityKeyNames.OUTCOME.withValue(outcome(context)),
				LowCardinalityKeyNames.EXCEPTION.withValue(exception(context)),
				LowCardinalityKeyNames.ROOT.withValue(context.getRoot()));
		if (this.observation == AtomicFileObservation.REAP) {
			return keys;
		}
		return keys.and(LowCardinalityKeyNames.OPERATION.withValue(context.getOperation().value()),
				LowCardinalityKeyNames.DURABILITY.withValue(durability(context.getDurability())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(AtomicFileObservationContext context) {
		Path path = context.getPath();
		return KeyValues.of(HighCardinalityKeyNames.PATH.withValue((path != null) ? path.toString() : KeyValue.NONE_VALUE));
	}

	/** The value of each write, without a new string each time. */
	private static String durability(@Nullable Durability durability) {
		if (durability == null) {
			return KeyValue.NONE_VALUE;
		}
		return switch (durability) {
			case NONE -> "none";
			case FILE -> "file";
			case FULL -> "full";
		};
	}

	/** A reaping pass that returned a report with failed entries failed too, without an exception. */
	private static String outcome(AtomicFileObservationContext context) {
		ReapReport report = context.getReapReport();
		if (context.getError() != null || (report != null && report.failed() > 0)) {
			return FAILURE;
		}
		return context.isAbandoned() ? ABANDONED : SUCCESS;
	}

	private static String exception(AtomicFileObservationContext context) {
		Throwable error = context.getError();
		return (error != null) ? ExceptionNames.simpleName(error) : KeyValue.NONE_VALUE;
	}

}
