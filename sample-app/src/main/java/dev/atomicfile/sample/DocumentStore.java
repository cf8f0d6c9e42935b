package dev.atomicfile.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.OrphanReaper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The documents: one regular file each, directly in the data directory, replaced atomically by
 * the {@link AtomicFileWriter} the starter configures (with {@code atomicfile.follow-links=false},
 * so a symbolic link planted in the directory is replaced, never written through).
 *
 * <p>Only regular files are documents: a symbolic link, a directory, a pipe or a device in the
 * data directory is never served, listed, followed or deleted, and opening a document never
 * blocks, even if a pipe is swapped in for it at that instant. Names the configured reaper would
 * delete (its temp files, its extra patterns) are refused.
 */
@Service
public class DocumentStore {

	private static final Logger logger = LoggerFactory.getLogger(DocumentStore.class);

	private final AtomicFileWriter writer;

	private final OrphanReaper reaper;

	private final Path dataDir;

	private final long maxDocumentBytes;

	/** Striped by name: tells the one PUT that created a document from those that replaced it. */
	private final ReentrantLock[] commitLocks = new ReentrantLock[64];

	public DocumentStore(AtomicFileWriter writer, OrphanReaper reaper, SampleProperties properties)
			throws IOException {
		this.writer = writer;
		this.reaper = reaper;
		// Created here, while the context starts, so the startup reaper finds the directory.
		this.dataDir = Files.createDirectories(properties.dataDir()).toRealPath();
		this.maxDocumentBytes = properties.maxDocumentSize().toBytes();
		for (int i = 0; i < this.commitLocks.length; i++) {
			this.commitLocks[i] = new ReentrantLock();
		}
		logger.info("Storing documents in {} (at most {} bytes each)", this.dataDir, this.maxDocumentBytes);
	}

	/** The largest document {@link #store} accepts, in bytes. */
	public long maxDocumentBytes() {
		return this.maxDocumentBytes;
	}

	/**
	 * Replaces (or creates) a document with the content of {@code body}, streamed to disk.
	 * @return what was stored; {@code created} is true for exactly one of several concurrent
	 * requests that create the same new document
	 * @throws DocumentTooLargeException if {@code body} has more than {@link #maxDocumentBytes()};
	 * the old document is then intact
	 * @throws DocumentConflictException if a directory, pipe or device holds the name
	 * @throws IOException if the write failed; the old document is then intact
	 */
	public StoredDocument store(DocumentName name, InputStream body) throws IOException {
		Path target = resolve(name);
		BasicFileAttributes existing = attributes(target);
		if (existing != null && !existing.isRegularFile() && !existing.isSymbolicLink()) {
			throw new DocumentConflictException(name, existing.isDirectory() ? "a directory" : "a special file");
		}
		InputStream limited = new SizeLimitedInputStream(body, this.maxDocumentBytes);
		ReentrantLock commitLock = this.commitLocks[Math.floorMod(name.value().hashCode(), this.commitLocks.length)];
		long[] size = new long[1];
		boolean[] created = new boolean[1];
		try {
			this.writer.write(target, (out) -> {
				size[0] = limited.transferTo(out);
				// Held from here until the rename is done: whoever looks next sees this document.
				commitLock.lock();
				created[0] = attributes(target) == null;
			});
		}
		catch (NoSuchFileException ex) {
			requireDataDir();
			throw ex;
		}
		finally {
			if (commitLock.isHeldByCurrentThread()) {
				commitLock.unlock();
			}
		}
		return new StoredDocument(new DocumentInfo(name.value(), size[0]), created[0]);
	}

	/**
	 * Opens a document for reading. The stream reads the version current at this call even if a
	 * write replaces the document meanwhile: a rename never changes an open file.
	 * @throws DocumentNotFoundException if there is no such document (or only a link, a directory
	 * or a special file of that name)
	 */
	public OpenDocument open(DocumentName name) throws IOException {
		Path path = resolve(name);
		BasicFileAttributes attributes = attributes(path);
		if (attributes == null || !attributes.isRegularFile()) {
			throw new DocumentNotFoundException(name);
		}
		FileChannel channel;
		try {
			channel = NonBlockingOpen.forReading(path);
		}
		catch (NoSuchFileException | NonBlockingOpen.NotARegularFileException ex) {
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

	/** Every document with its size, by name; links, directories, special files and temp files are not documents. */
	public List<DocumentInfo> list() throws IOException {
		List<DocumentInfo> documents = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dataDir)) {
			for (Path file : files) {
				String fileName = file.getFileName().toString();
				if (!DocumentName.isAllowed(fileName) || isReapable(fileName)) {
					continue;
				}
				BasicFileAttributes attributes = attributes(file);
				if (attributes != null && attributes.isRegularFile()) {
					documents.add(new DocumentInfo(fileName, attributes.size()));
				}
			}
		}
		catch (DirectoryIteratorException ex) {
			throw ex.getCause();
		}
		catch (NoSuchFileException ex) {
			requireDataDir();
			throw ex;
		}
		documents.sort(Comparator.comparing(DocumentInfo::name));
		return documents;
	}

	/**
	 * Deletes a document.
	 * @throws DocumentNotFoundException if there is no such document (a link, a directory or a
	 * special file of that name is left alone)
	 */
	public void delete(DocumentName name) throws IOException {
		Path path = resolve(name);
		BasicFileAttributes attributes = attributes(path);
		if (attributes == null || !attributes.isRegularFile()) {
			throw new DocumentNotFoundException(name);
		}
		if (!Files.deleteIfExists(path)) {
			throw new DocumentNotFoundException(name);
		}
	}

	private Path resolve(DocumentName name) {
		if (isReapable(name.value())) {
			throw new InvalidDocumentNameException(name.value(),
					"the orphan reaper would delete a file of that name (a temp-file name or an "
							+ "atomicfile.reaper.extra-patterns match)");
		}
		Path path = this.dataDir.resolve(name.value());
		// DocumentName already rules out separators and dot names; this guards that rule.
		if (!this.dataDir.equals(path.getParent())) {
			throw new InvalidDocumentNameException(name.value());
		}
		requireDataDir();
		return path;
	}

	private boolean isReapable(String fileName) {
		return this.reaper.isTempFileName(fileName);
	}

	private void requireDataDir() {
		if (!Files.isDirectory(this.dataDir, LinkOption.NOFOLLOW_LINKS)) {
			throw new StorageUnavailableException();
		}
	}

	/** The file's own attributes (a link is not followed), or {@code null} when there is none. */
	private static @Nullable BasicFileAttributes attributes(Path path) throws IOException {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

}
