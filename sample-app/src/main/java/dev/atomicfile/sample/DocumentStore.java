package dev.atomicfile.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitBatch;
import dev.atomicfile.OrphanReaper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The documents: one regular file each, directly in the data directory, with their metadata (size,
 * SHA-256, content type) in a hidden sidecar JSON next to each ({@code .<name>.meta.json}). A
 * document and its metadata are replaced together by one commit of the {@link AtomicFileWriter}
 * the starter configures (with {@code atomicfile.follow-links=false}, so a symbolic link planted in
 * the directory is replaced, never written through), and a document is only served when it
 * agrees with its metadata.
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

	/** A sidecar is a few dozen bytes; a large one is not ours. */
	private static final int MAX_METADATA_BYTES = 4096;

	private static final String METADATA_SUFFIX = ".meta.json";

	/**
	 * Striped by name: tells the one PUT that created a document from those that replaced it, and
	 * keeps a reader from opening a document and its metadata in the middle of a commit's renames.
	 */
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
	 * Replaces (or creates) a document with the content of {@code body}, streamed to disk, and its
	 * metadata (size, SHA-256, content type) in one commit: after a crash at any instant, and the
	 * startup recovery, both hold the old version or both the new one.
	 * @param contentType the media type to serve the document with
	 * @return what was stored; {@code created} is true for exactly one of several concurrent
	 * requests that create the same new document
	 * @throws DocumentTooLargeException if {@code body} has more than {@link #maxDocumentBytes()};
	 * the old document is then intact
	 * @throws DocumentConflictException if a directory, pipe or device holds the name
	 * @throws IOException if the commit failed; before its commit point the old document and its
	 * metadata are intact, after it ({@link dev.atomicfile.IncompleteCommitException}) recovery
	 * completes the new ones at the next start
	 */
	public StoredDocument store(DocumentName name, String contentType, InputStream body) throws IOException {
		Path target = resolve(name);
		BasicFileAttributes existing = attributes(target);
		if (existing != null && !existing.isRegularFile() && !existing.isSymbolicLink()) {
			throw new DocumentConflictException(name, existing.isDirectory() ? "a directory" : "a special file");
		}
		InputStream limited = new SizeLimitedInputStream(body, this.maxDocumentBytes);
		MessageDigest sha256 = sha256();
		long[] size = new long[1];
		ReentrantLock commitLock = commitLock(name);
		try (CommitBatch batch = this.writer.newBatch()) {
			batch.write(target, (out) -> size[0] = limited.transferTo(new DigestOutputStream(out, sha256)));
			DocumentMetadata metadata = new DocumentMetadata(size[0], HexFormat.of().formatHex(sha256.digest()),
					contentType);
			batch.writeString(metadataOf(target), metadata.toJson());
			// Held from here until the renames are done: whoever reads next sees both files of one version.
			commitLock.lock();
			try {
				boolean created = attributes(target) == null;
				batch.commit();
				return new StoredDocument(new DocumentInfo(name.value(), size[0]), created);
			}
			finally {
				commitLock.unlock();
			}
		}
		catch (NoSuchFileException ex) {
			requireDataDir();
			throw ex;
		}
	}

	/**
	 * Opens a document for reading and checks it against its metadata. The stream reads the
	 * version current at this call even if a commit replaces the document meanwhile: a rename
	 * never changes an open file. Both files are opened under the document's commit lock, so they
	 * are of one version (the library promises readers no isolation from a commit's renames; the
	 * store adds it). The check reads the whole document before it is served, a second read for
	 * every GET, so that no bytes are ever served that the headers misdescribe.
	 * @throws DocumentNotFoundException if there is no such document (or only a link, a directory
	 * or a special file of that name)
	 * @throws DocumentInconsistentException if its metadata is missing or disagrees with it
	 */
	public OpenDocument open(DocumentName name) throws IOException {
		Path path = resolve(name);
		BasicFileAttributes attributes = attributes(path);
		if (attributes == null || !attributes.isRegularFile()) {
			throw new DocumentNotFoundException(name);
		}
		FileChannel channel;
		String sidecar;
		ReentrantLock commitLock = commitLock(name);
		commitLock.lock();
		try {
			channel = NonBlockingOpen.forReading(path);
			try {
				sidecar = readMetadata(metadataOf(path));
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		}
		catch (NoSuchFileException | NonBlockingOpen.NotARegularFileException ex) {
			throw new DocumentNotFoundException(name);
		}
		finally {
			commitLock.unlock();
		}
		try {
			DocumentMetadata metadata = (sidecar != null) ? DocumentMetadata.parse(sidecar) : null;
			if (metadata == null) {
				throw new DocumentInconsistentException(name,
						(sidecar != null) ? "its metadata is unreadable" : "it has no metadata");
			}
			check(name, channel, metadata);
			return new OpenDocument(Channels.newInputStream(channel.position(0)), metadata);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/** The size of the open file, and the SHA-256 of what it holds, must be what the metadata says. */
	private static void check(DocumentName name, FileChannel channel, DocumentMetadata metadata) throws IOException {
		long size = channel.size();
		if (size != metadata.size()) {
			throw new DocumentInconsistentException(name, "it has " + size + " bytes, its metadata says " + metadata.size());
		}
		MessageDigest sha256 = sha256();
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		channel.position(0);
		while (channel.read(buffer) >= 0) {
			sha256.update(buffer.flip());
			buffer.clear();
		}
		if (!MessageDigest.isEqual(sha256.digest(), metadata.sha256Bytes())) {
			throw new DocumentInconsistentException(name, "its SHA-256 is not the one its metadata says");
		}
	}

	/** The sidecar's text, or {@code null} when there is none; only a small regular file is read whole. */
	private static @Nullable String readMetadata(Path sidecar) throws IOException {
		FileChannel channel;
		try {
			channel = NonBlockingOpen.forReading(sidecar);
		}
		catch (NoSuchFileException | NonBlockingOpen.NotARegularFileException ex) {
			return null;
		}
		try (InputStream in = Channels.newInputStream(channel)) {
			byte[] bytes = in.readNBytes(MAX_METADATA_BYTES + 1);
			return (bytes.length > MAX_METADATA_BYTES) ? "" : new String(bytes, StandardCharsets.UTF_8);
		}
	}

	/**
	 * Every document with its size, by name; links, directories, special files, temp files, commit
	 * records and metadata sidecars (names starting with a dot) are not documents.
	 */
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
		ReentrantLock commitLock = commitLock(name);
		commitLock.lock();
		try {
			if (!Files.deleteIfExists(path)) {
				throw new DocumentNotFoundException(name);
			}
			// The document first: a crash in between leaves metadata of no document, never a document without any.
			Files.deleteIfExists(metadataOf(path));
		}
		finally {
			commitLock.unlock();
		}
	}

	/**
	 * Where a document's metadata lives: {@code .<name>.meta.json} next to it. The leading dot
	 * keeps it out of every document name (names never start with one) and out of the listing.
	 */
	private static Path metadataOf(Path document) {
		return document.resolveSibling("." + document.getFileName() + METADATA_SUFFIX);
	}

	private ReentrantLock commitLock(DocumentName name) {
		return this.commitLocks[Math.floorMod(name.value().hashCode(), this.commitLocks.length)];
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
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
