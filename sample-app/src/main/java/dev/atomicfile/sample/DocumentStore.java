package dev.atomicfile.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.atomicfile.AtomicFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The documents: one file each, directly in the data directory, replaced atomically by the
 * {@link AtomicFileWriter} the starter configures.
 */
@Service
public class DocumentStore {

	private static final Logger logger = LoggerFactory.getLogger(DocumentStore.class);

	private final AtomicFileWriter writer;

	private final Path dataDir;

	private final long maxDocumentBytes;

	public DocumentStore(AtomicFileWriter writer, SampleProperties properties) throws IOException {
		this.writer = writer;
		// Created here, while the context starts, so the startup reaper finds the directory.
		this.dataDir = Files.createDirectories(properties.dataDir()).toRealPath();
		this.maxDocumentBytes = properties.maxDocumentSize().toBytes();
		logger.info("Storing documents in {} (at most {} bytes each)", this.dataDir, this.maxDocumentBytes);
	}

	/** The largest document {@link #store} accepts, in bytes. */
	public long maxDocumentBytes() {
		return this.maxDocumentBytes;
	}

	/**
	 * Replaces (or creates) a document with the content of {@code body}, streamed to disk.
	 * @return what was stored
	 * @throws DocumentTooLargeException if {@code body} has more than {@link #maxDocumentBytes()};
	 * the old document is then intact
	 * @throws IOException if the write failed; the old document is then intact
	 */
	public StoredDocument store(DocumentName name, InputStream body) throws IOException {
		Path target = resolve(name);
		boolean created = !Files.exists(target);
		InputStream limited = new SizeLimitedInputStream(body, this.maxDocumentBytes);
		long[] size = new long[1];
		this.writer.write(target, (out) -> size[0] = limited.transferTo(out));
		return new StoredDocument(new DocumentInfo(name.value(), size[0]), created);
	}

	/**
	 * Opens a document for reading. The stream reads the version current at this call even if a
	 * write replaces the document meanwhile: a rename never changes an open file.
	 * @throws DocumentNotFoundException if there is no such document
	 */
	public OpenDocument open(DocumentName name) throws IOException {
		Path path = resolve(name);
		FileChannel channel;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ);
		}
		catch (NoSuchFileException ex) {
			throw new DocumentNotFoundException(name);
		}
		try {
			// The size of the open file, so that it matches the version being streamed.
			return new OpenDocument(Channels.newInputStream(channel), channel.size());
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/** Every document with its size, by name; temp files of writes in flight are not documents. */
	public List<DocumentInfo> list() throws IOException {
		List<DocumentInfo> documents = new ArrayList<>();
		try (Stream<Path> files = Files.list(this.dataDir)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				String fileName = file.getFileName().toString();
				if (!DocumentName.isAllowed(fileName)) {
					continue;
				}
				try {
					BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
					if (attributes.isRegularFile()) {
						documents.add(new DocumentInfo(fileName, attributes.size()));
					}
				}
				catch (NoSuchFileException ex) {
					// Deleted since the directory was read: not a document any more.
				}
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		documents.sort(Comparator.comparing(DocumentInfo::name));
		return documents;
	}

	/**
	 * Deletes a document.
	 * @throws DocumentNotFoundException if there is no such document
	 */
	public void delete(DocumentName name) throws IOException {
		if (!Files.deleteIfExists(resolve(name))) {
			throw new DocumentNotFoundException(name);
		}
	}

	private Path resolve(DocumentName name) {
		Path path = this.dataDir.resolve(name.value());
		// DocumentName already rules out separators and dot names; this guards that rule.
		if (!this.dataDir.equals(path.getParent())) {
			throw new InvalidDocumentNameException(name.value());
		}
		return path;
	}

}
