package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a real child JVM on the test class path, so that crash and liveness tests can kill a
 * writer with SIGKILL or run it in another PID namespace.
 */
public final class ChildJvm {

	private ChildJvm() {
	}

	/** The {@code java} launcher of the JVM running the tests. */
	public static Path javaLauncher() {
		return Paths.get(System.getProperty("java.home"), "bin", "java");
	}

	/**
	 * The command line that runs {@code mainClass} with {@code args} in a new JVM.
	 * @param wrapper programs to run the JVM under (for example {@code unshare --pid --fork}), or none
	 */
	public static List<String> command(List<String> wrapper, Class<?> mainClass, String... args) {
		return command(wrapper, List.of(), mainClass, args);
	}

	/**
	 * The command line that runs {@code mainClass} with {@code args} in a new JVM started with
	 * {@code jvmOptions} (for example {@code -Xmx32m} to prove that content is streamed).
	 */
	public static List<String> command(List<String> wrapper, List<String> jvmOptions, Class<?> mainClass,
			String... args) {
		return command(wrapper, jvmOptions, System.getProperty("java.class.path"), mainClass, args);
	}

	/**
	 * The command line that runs {@code mainClass} on {@code classPath} instead of the tests' own
	 * (for a JVM run as another user, who cannot read the build's local repository).
	 */
	public static List<String> command(List<String> wrapper, List<String> jvmOptions, String classPath,
			Class<?> mainClass, String... args) {
		List<String> command = new ArrayList<>(wrapper);
		command.add(javaLauncher().toString());
		command.addAll(jvmOptions);
		command.add("-Xshare:auto");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(classPath);
		command.add(mainClass.getName());
		command.addAll(List.of(args));
		return command;
	}

	/** Starts {@code mainClass} in a new JVM; its standard error is inherited for diagnosis. */
	public static Process start(Class<?> mainClass, String... args) throws IOException {
		return start(List.of(), mainClass, args);
	}

	/** Starts {@code mainClass} in a new JVM under {@code wrapper}. */
	public static Process start(List<String> wrapper, Class<?> mainClass, String... args) throws IOException {
		return start(wrapper, List.of(), mainClass, args);
	}

	/** Starts {@code mainClass} in a new JVM under {@code wrapper}, with {@code jvmOptions}. */
	public static Process start(List<String> wrapper, List<String> jvmOptions, Class<?> mainClass, String... args)
			throws IOException {
		return new ProcessBuilder(command(wrapper, jvmOptions, mainClass, args))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	/** Kills {@code process} with SIGKILL and waits until it is gone. */
	public static void kill9(Process process) throws InterruptedException {
		process.destroyForcibly();
		process.waitFor();
	}

	/** Whether the tests run as root, as CI does; tests that need a real root-only fault check this. */
	public static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

}
