package dev.atomicfile.autoconfigure;

/** The exception tag values the counters and the observations share. */
final class ExceptionNames {

	private ExceptionNames() {
	}

	/** An anonymous class has no simple name: it must not make a series with an empty tag. */
	static String simpleName(Throwable exception) {
		String name = exception.getClass().getSimpleName();
		return name.isEmpty() ? "unnamed" : name;
	}

}
