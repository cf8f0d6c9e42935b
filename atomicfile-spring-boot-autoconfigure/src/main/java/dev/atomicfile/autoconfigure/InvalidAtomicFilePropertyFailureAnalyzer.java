package dev.atomicfile.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an invalid {@code atomicfile.*} value with a description and an action instead of a
 * stack trace.
 */
class InvalidAtomicFilePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAtomicFilePropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAtomicFilePropertyException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
