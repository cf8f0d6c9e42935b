package dev.atomicfile;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Switches a symbolic link in one rename: a new link is made under a temp name beside it and
 * renamed over it, so that a reader resolving the link never finds it missing.
 */
final class SymbolicLinks {

	private SymbolicLinks() {
	}

	static void replace(Path link, Path linkTarget, boolean syncDirectory) throws IOException {
		Path file = link.toAbsolutePath();
		Destination destination = Destination.resolve(file, false, false);
		try {
			BasicFileAttributes existing = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!existing.isSymbolicLink()) {
				throw new FileSystemException(link.toString(), null,
						"Not a symbolic link: only a link is replaced by a link");
			}
		}
		catch (NoSuchFileException ex) {
			// Created new.
		}
		Path temp = stage(link, destination, linkTarget);
		try {
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			IOException named = IoErrors.naming(link, ex);
			deleteQuietly(temp, named);
			throw named;
		}
		catch (RuntimeException ex) {
			deleteQuietly(temp, ex);
			throw ex;
		}
		if (syncDirectory) {
			DefaultAtomicFileWriter.syncDirectory(link, destination.directory());
		}
	}

	private static void deleteQuietly(Path temp, Throwable failure) {
		try {
			Files.deleteIfExists(temp);
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	/** A new link under an unlocked temp name: a link cannot be locked, so only its age tells it dead. */
	private static Path stage(Path link, Destination destination, Path linkTarget) throws IOException {
		for (int attempt = 0; attempt < TempFile.MAX_NAME_ATTEMPTS; attempt++) {
			Path temp = destination.tempSibling(TempFileNames.unlockedVariant(TempFileNames.newSuffix()));
			try {
				return Files.createSymbolicLink(temp, linkTarget);
			}
			catch (FileAlreadyExistsException ex) {
				continue;
			}
			catch (NoSuchFileException ex) {
				throw TempFile.missingDirectory(link, destination, ex);
			}
			catch (IOException ex) {
				throw IoErrors.naming(link, ex);
			}
		}
		throw new FileAlreadyExistsException(link.toString(), null,
				"no unused temp link name after " + TempFile.MAX_NAME_ATTEMPTS + " attempts");
	}

}
