package dev.atomicfile.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an invalid {@code atomicfile.*} value with the value as written, its origin, the reason
 * and what to write instead, instead of a stack trace.
 */
class InvalidAtomicFilePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAtomicFilePropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAtomicFilePropertyException cause) {
		return analysis(cause);
	}

	static FailureAnalysis analysis(InvalidAtomicFilePropertyException invalid) {
		StringBuilder description = new StringBuilder().append("Invalid value for property '")
			.append(invalid.getProperty())
			.append("':\n\n    Value: \"")
			.append(invalid.getValue())
			.append("\"\n    Origin: ")
			.append((invalid.getOrigin() != null) ? invalid.getOrigin() : "unknown (a default or set in code)")
			.append("\n    Reason: ")
			.append(invalid.getReason());
		return new FailureAnalysis(description.toString(), invalid.getAction(), invalid);
	}

}
