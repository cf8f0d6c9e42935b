package dev.atomicfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;

/** The one implementation of {@link AtomicFileWriter}; see there for what it guarantees. */
final class DefaultAtomicFileWriter implements AtomicFileWriter {

	/**
	 * Windows can neither rename an open file nor open a directory to fsync it.
	 */
	private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

	private final Durability durability;

	private final boolean preservePermissions;

	private final AtomicFileListener listener;

	DefaultAtomicFileWriter(Durability durability, boolean preservePermissions, AtomicFileListener listener) {
		this.durability = durability;
		this.preservePermissions = preservePermissions;
		this.listener = listener;
	}

	@Override
	public void write(Path target, byte[] bytes) throws IOException {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(bytes, "bytes");
		replace(target, (temp) -> {
			temp.write(ByteBuffer.wrap(bytes));
			return bytes.length;
		});
	}

	@Override
	public void writeString(Path target, CharSequence text, Charset charset) throws IOException {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(charset, "charset");
		replace(target, (temp) -> {
			ByteBuffer encoded = encode(target, text, charset);
			int length = encoded.remaining();
			temp.write(encoded);
			return length;
		});
	}

	@Override
	public void write(Path target, ContentWriter content) throws IOException {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(content, "content");
		replace(target, (temp) -> {
			TempFileOutputStream out = new TempFileOutputStream(temp);
			content.writeTo(out);
			out.close();
			return out.count();
		});
	}

	@Override
	public void writeFile(Path target, TempFileProducer producer) throws IOException {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(producer, "producer");
		replace(target, (temp) -> {
			temp.handOver();
			producer.produce(temp.path());
			temp.reopen();
			return temp.size();
		});
	}

	@Override
	public String toString() {
		return "AtomicFileWriter[durability=" + this.durability + ", preservePermissions=" + this.preservePermissions
				+ "]";
	}

	private void replace(Path target, Content content) throws IOException {
		long start = System.nanoTime();
		TempFile temp = null;
		long bytes;
		try {
			Destination destination = Destination.resolve(target, this.preservePermissions);
			temp = TempFile.create(target, destination);
			if (destination.permissions() != null) {
				temp.setPermissions(destination.permissions());
			}
			bytes = content.writeTo(temp);
			if (this.durability != Durability.NONE) {
				temp.force();
			}
			if (WINDOWS) {
				temp.close();
			}
			temp.moveTo(destination.file());
			temp.close();
			if (this.durability == Durability.FULL && !WINDOWS) {
				syncDirectory(target, destination.directory());
			}
		}
		catch (Throwable failure) {
			if (temp != null) {
				temp.discard(failure);
			}
			Listeners.deliver(this.listener, AtomicFileListener::onWriteFailure,
					new WriteFailed(target, failure, Duration.ofNanos(System.nanoTime() - start)));
			throw failure;
		}
		// Outside the try: whatever a listener does, a write that succeeded is never reported as failed.
		Listeners.deliver(this.listener, AtomicFileListener::onWrite,
				new WriteSucceeded(target, bytes, Duration.ofNanos(System.nanoTime() - start)));
	}

	/** Makes the rename itself durable: the new directory entry reaches the disk. */
	private static void syncDirectory(Path target, Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			throw IoErrors.naming(target, ex);
		}
	}

	private static ByteBuffer encode(Path target, CharSequence text, Charset charset) throws IOException {
		try {
			return charset.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(text));
		}
		catch (CharacterCodingException ex) {
			throw IoErrors.naming(target, ex);
		}
	}

	/** Fills the temp file; returns the number of bytes written. */
	@FunctionalInterface
	private interface Content {

		long writeTo(TempFile temp) throws IOException;

	}

}
