package dev.atomicfile.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real second, unprivileged user ({@code nobody:nogroup}) for permission tests: processes are
 * switched to it with {@code setpriv}, so only a root test JVM (as in CI) can use it.
 */
public final class OtherUser {

	/** Switches to nobody with no supplementary groups, and a {@code PATH} it can search. */
	private static final List<String> WRAPPER = List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
			"--clear-groups", "env", "PATH=/usr/local/bin:/usr/bin:/bin");

	private OtherUser() {
	}

	/** Programs that run the rest of a command line as nobody:nogroup. */
	public static List<String> wrapper() {
		return WRAPPER;
	}

	/** nobody's uid. */
	public static int uid() throws IOException, InterruptedException {
		return Integer.parseInt(Commands.run("id", "-u", "nobody").trim());
	}

	/** nogroup's gid. */
	public static int gid() throws IOException, InterruptedException {
		return Integer.parseInt(Commands.run("id", "-g", "nobody").trim());
	}

	/** Hands {@code path} (not following a link) to nobody:nogroup. */
	public static void own(Path path) throws IOException, InterruptedException {
		Commands.run("chown", "-h", "nobody:nogroup", path.toString());
	}

	/** Lets every user list and enter {@code directory} (JUnit makes its temp directories 0700). */
	public static Path openDirectory(Path directory) throws IOException {
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		return directory;
	}

	/**
	 * Starts {@code mainClass} in a JVM run as nobody. The tests' class path lies partly in root's
	 * local repository, which nobody cannot read: the class directories and the logging jars the
	 * child needs are copied into {@code scratch} (made readable by all) on first use.
	 */
	public static Process startJvm(Path scratch, List<String> outerWrapper, Class<?> mainClass, String... args)
			throws IOException {
		List<String> wrapper = new ArrayList<>(outerWrapper);
		wrapper.addAll(WRAPPER);
		return new ProcessBuilder(ChildJvm.command(wrapper, List.of(), readableClassPath(scratch), mainClass, args))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	/** The copy in {@code scratch}, made on first use. */
	private static String readableClassPath(Path scratch) throws IOException {
		openDirectory(scratch);
		Path root = scratch.resolve("class-path");
		if (Files.isDirectory(root)) {
			try (Stream<Path> copies = Files.list(root)) {
				return copies.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
			}
		}
		openDirectory(Files.createDirectory(root));
		List<String> entries = new ArrayList<>();
		int index = 0;
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path source = Path.of(entry);
			String name = String.valueOf(source.getFileName());
			if (Files.isDirectory(source) || name.startsWith("slf4j-api") || name.startsWith("logback-")) {
				Path copy = root.resolve((index++) + "-" + name);
				copyReadable(source, copy);
				entries.add(copy.toString());
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	private static void copyReadable(Path source, Path copy) throws IOException {
		Files.walkFileTree(source, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
					throws IOException {
				openDirectory(Files.createDirectory(copy.resolve(source.relativize(directory).toString())));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Path copied = Files.copy(file, copy.resolve(source.relativize(file).toString()));
				Files.setPosixFilePermissions(copied, PosixFilePermissions.fromString("rw-r--r--"));
				return FileVisitResult.CONTINUE;
			}
		});
	}

}
