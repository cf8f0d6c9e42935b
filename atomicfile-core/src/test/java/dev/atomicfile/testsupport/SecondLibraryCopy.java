package dev.atomicfile.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitBatch;
import dev.atomicfile.PendingFile;
import dev.atomicfile.ContentWriter;
import dev.atomicfile.TempFileProducer;
import org.jspecify.annotations.Nullable;

/**
 * A second copy of the library's classes in this JVM, loaded by a real {@link URLClassLoader}
 * whose parent is the platform class loader: what a second web application in one servlet
 * container, a plugin loader or DevTools' restart loader has. Its classes are not the test's
 * classes (its {@code OrphanReaper} is another class with its own statics), so it is used through
 * reflection only.
 */
public final class SecondLibraryCopy implements AutoCloseable {

	private final URLClassLoader loader;

	private SecondLibraryCopy(URLClassLoader loader) {
		this.loader = loader;
	}

	/**
	 * Loads the main classes of this module ({@code target/classes}) with the jars they need
	 * (slf4j-api without a provider, so this copy logs nothing, and jspecify) from the test class
	 * path.
	 */
	public static SecondLibraryCopy load() {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path path = Path.of(entry);
			String name = String.valueOf(path.getFileName());
			if (path.endsWith(Path.of("target", "classes")) || name.startsWith("slf4j-api-")
					|| name.startsWith("jspecify-")) {
				urls.add(url(path));
			}
		}
		return new SecondLibraryCopy(
				new URLClassLoader("second-atomicfile-copy", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()));
	}

	/** The copy's class named {@code name}. */
	public Class<?> loadClass(String name) {
		try {
			return this.loader.loadClass(name);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("The second copy has no " + name + "; is target/classes on the class path?",
					ex);
		}
	}

	/** An {@code OrphanReaper} of this copy, built with these settings. */
	public Reaper reaper(Duration minAge, Duration maxAge, boolean recursive, List<String> extraPatterns) {
		Object builder = invoke(null, method(loadClass("dev.atomicfile.OrphanReaper"), "builder"));
		Class<?> type = builder.getClass();
		invoke(builder, method(type, "maxAge", Duration.class), maxAge);
		invoke(builder, method(type, "minAge", Duration.class), minAge);
		invoke(builder, method(type, "recursive", boolean.class), recursive);
		invoke(builder, method(type, "extraPatterns", List.class), extraPatterns);
		Object reaper = invoke(builder, method(type, "build"));
		Method reap = method(reaper.getClass(), "reap", Path.class);
		return (path) -> String.valueOf(invoke(reaper, reap, path));
	}

	/**
	 * An {@code AtomicFileWriter} of the second copy with durability {@code durability} (a
	 * constant's name), seen through this copy's interface: callbacks and producers are handed to
	 * it as proxies of the copy's own interfaces, and what it throws comes out unwrapped.
	 */
	public AtomicFileWriter writer(String durability) {
		Class<?> writerType = loadClass("dev.atomicfile.AtomicFileWriter");
		Object builder = invoke(null, method(writerType, "builder"));
		Class<?> durabilities = loadClass("dev.atomicfile.Durability");
		invoke(builder, method(builder.getClass(), "durability", durabilities), enumConstant(durabilities, durability));
		Object writer = invoke(builder, method(builder.getClass(), "build"));
		Class<?> contentWriter = loadClass("dev.atomicfile.ContentWriter");
		Class<?> producer = loadClass("dev.atomicfile.TempFileProducer");
		Method writeBytes = method(writerType, "write", Path.class, byte[].class);
		Method writeString = method(writerType, "writeString", Path.class, CharSequence.class, Charset.class);
		Method writeContent = method(writerType, "write", Path.class, contentWriter);
		Method writeFile = method(writerType, "writeFile", Path.class, producer);
		return new AtomicFileWriter() {

			@Override
			public void write(Path target, byte[] bytes) throws IOException {
				call(writer, writeBytes, target, bytes);
			}

			@Override
			public void writeString(Path target, CharSequence text, Charset charset) throws IOException {
				call(writer, writeString, target, text, charset);
			}

			@Override
			public void write(Path target, ContentWriter content) throws IOException {
				call(writer, writeContent, target,
						proxy(contentWriter, (arguments) -> content.writeTo((OutputStream) arguments[0])));
			}

			@Override
			public void writeFile(Path target, TempFileProducer produce) throws IOException {
				call(writer, writeFile, target, proxy(producer, (arguments) -> produce.produce((Path) arguments[0])));
			}

			@Override
			public CommitBatch newBatch() {
				throw new UnsupportedOperationException("Batches of the second copy are not bridged");
			}

			@Override
			public void writeNew(Path target, byte[] bytes) {
				throw new UnsupportedOperationException("Create-only writes of the second copy are not bridged");
			}

			@Override
			public void writeNew(Path target, ContentWriter content) {
				throw new UnsupportedOperationException("Create-only writes of the second copy are not bridged");
			}

			@Override
			public PendingFile newPendingFile(Path target) {
				throw new UnsupportedOperationException("Pending files of the second copy are not bridged");
			}

			@Override
			public void replaceSymbolicLink(Path link, Path linkTarget) {
				throw new UnsupportedOperationException("Links of the second copy are not bridged");
			}

			@Override
			public String toString() {
				return "second copy's " + writer;
			}

		};
	}

	@Override
	public void close() throws IOException {
		this.loader.close();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Object enumConstant(Class<?> type, String name) {
		return Enum.valueOf((Class) type, name);
	}

	private static Method method(Class<?> type, String name, Class<?>... parameters) {
		try {
			return type.getMethod(name, parameters);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Calls {@code method}, which throws no checked exception; whatever it throws comes out unwrapped. */
	private static Object invoke(@Nullable Object target, Method method, Object... arguments) {
		try {
			return call(target, method, arguments);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Calls {@code method}; whatever it throws, an {@link IOException} included, comes out unwrapped. */
	private static Object call(@Nullable Object target, Method method, Object... arguments) throws IOException {
		try {
			return method.invoke(target, arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw sneaky(ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An instance of the copy's one-method callback interface {@code type} that runs {@code body}. */
	private Object proxy(Class<?> type, Callback body) {
		return Proxy.newProxyInstance(this.loader, new Class<?>[] { type }, (self, method, arguments) -> {
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
					case "equals" -> self == arguments[0];
					case "hashCode" -> System.identityHashCode(self);
					default -> type.getSimpleName() + " of the test";
				};
			}
			body.run(arguments);
			return null;
		});
	}

	private static RuntimeException sneaky(Throwable failure) {
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		throw new IllegalStateException(failure);
	}

	private static URL url(Path path) {
		try {
			return path.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A reaper of the second copy. */
	@FunctionalInterface
	public interface Reaper {

		/**
		 * Runs one pass; whatever the copy's {@code reap} throws comes out unwrapped.
		 * @return the copy's {@code ReapReport}, as text
		 */
		String reap(Path path);

	}

	/** The body of a callback of the test, called with the copy's arguments. */
	@FunctionalInterface
	private interface Callback {

		void run(Object[] arguments) throws IOException;

	}

}
