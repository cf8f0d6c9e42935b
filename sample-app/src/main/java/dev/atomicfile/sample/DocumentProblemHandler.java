package dev.atomicfile.sample;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import dev.atomicfile.IncompleteCommitException;
import dev.atomicfile.autoconfigure.FileSystemFailureReason;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the store's refusals and failures into RFC 9457 problem details
 * ({@code application/problem+json}) with a status that says what happened: 400, 404, 409, 413,
 * and for a failing file system 507 (full), 503 (read-only, no permission, data directory gone)
 * or 500; 500 too for a document that disagrees with its metadata, and for a commit that passed
 * its commit point but did not finish. Details never carry a server path. Spring MVC's own errors (405, 415, ...) get theirs
 * from {@code spring.mvc.problemdetails.enabled}.
 */
@RestControllerAdvice
public class DocumentProblemHandler {

	private static final Logger logger = LoggerFactory.getLogger(DocumentProblemHandler.class);

	private static final Map<Class<?>, Kind> refusals = Map.of(
			InvalidDocumentNameException.class, new Kind(HttpStatus.BAD_REQUEST, "Invalid document name", "invalid-name"),
			PathTraversalException.class, new Kind(HttpStatus.BAD_REQUEST, "Invalid path", "invalid-path"),
			DocumentNotFoundException.class, new Kind(HttpStatus.NOT_FOUND, "Document not found", "not-found"),
			DocumentTooLargeException.class, new Kind(HttpStatus.PAYLOAD_TOO_LARGE, "Document too large", "too-large"),
			DocumentConflictException.class, new Kind(HttpStatus.CONFLICT, "Not a document", "not-a-document"),
			IncompleteUploadException.class, new Kind(HttpStatus.BAD_REQUEST, "Incomplete upload", "incomplete-upload"),
			StorageUnavailableException.class,
			new Kind(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable", "storage-unavailable"),
			InvalidContentTypeException.class, new Kind(HttpStatus.BAD_REQUEST, "Invalid content type", "invalid-content-type"));

	private static final Map<FileSystemFailureReason, Failure> failures = Map.of(
			FileSystemFailureReason.NO_SPACE,
			new Failure(new Kind(HttpStatus.INSUFFICIENT_STORAGE, "Storage full", "storage-full"),
					"The storage has no space left for this document; the previous version is intact"),
			FileSystemFailureReason.READ_ONLY,
			new Failure(new Kind(HttpStatus.SERVICE_UNAVAILABLE, "Storage read-only", "storage-read-only"),
					"The storage is read-only at the moment; documents can be read but not written"),
			FileSystemFailureReason.PERMISSION,
			new Failure(new Kind(HttpStatus.SERVICE_UNAVAILABLE, "Storage not writable", "storage-not-writable"),
					"The application may not write to its storage"),
			FileSystemFailureReason.NOT_FOUND, new Failure(refusals.get(StorageUnavailableException.class),
					"The document storage is unavailable: its data directory is missing"),
			FileSystemFailureReason.IS_A_DIRECTORY, new Failure(refusals.get(DocumentConflictException.class),
					"A directory holds that name, not a document; it is left as it is"),
			FileSystemFailureReason.NOT_A_REGULAR_FILE, new Failure(refusals.get(DocumentConflictException.class),
					"A special file holds that name, not a document; it is left as it is"));

	private static final Kind inconsistent = new Kind(HttpStatus.INTERNAL_SERVER_ERROR, "Document inconsistent",
			"document-inconsistent");

	private static final Failure unexpected = new Failure(
			new Kind(HttpStatus.INTERNAL_SERVER_ERROR, "Storage failure", "storage-failure"),
			"The document could not be stored or read; the previous version is intact");

	@ExceptionHandler({ InvalidDocumentNameException.class, PathTraversalException.class,
			DocumentNotFoundException.class, DocumentTooLargeException.class, DocumentConflictException.class,
			IncompleteUploadException.class, StorageUnavailableException.class, InvalidContentTypeException.class })
	ResponseEntity<ProblemDetail> refusal(Exception ex) {
		return problem(refusals.get(ex.getClass()), ex.getMessage());
	}

	/** Should never happen: the store would rather fail than serve bytes its headers misdescribe. */
	@ExceptionHandler(DocumentInconsistentException.class)
	ResponseEntity<ProblemDetail> inconsistent(DocumentInconsistentException ex) {
		logger.error(ex.getMessage());
		return problem(inconsistent, "The document and its metadata disagree; it is not served");
	}

	/** Past the commit point: the new version is there in part, and the next start completes it. */
	@ExceptionHandler(IncompleteCommitException.class)
	ResponseEntity<ProblemDetail> incomplete(IncompleteCommitException ex) {
		logger.error("Commit past its commit point did not finish; the next start completes it: {}", ex.toString());
		return problem(unexpected.kind(),
				"The new version was committed but not every file was put in place; it is completed when the "
						+ "application restarts");
	}

	/** A failing file system: its reason picks the status; the message, which names server paths, is only logged. */
	@ExceptionHandler(IOException.class)
	ResponseEntity<ProblemDetail> failure(IOException ex, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			// The body was already under way (a client that stopped reading a GET): nothing to answer.
			throw ex;
		}
		FileSystemFailureReason reason = FileSystemFailureReason.of(ex);
		Failure failure = failures.getOrDefault(reason, unexpected);
		logger.warn("Storage failure ({}), answered {}: {}", reason.tagValue(), failure.kind().status().value(),
				ex.toString());
		return problem(failure.kind(), failure.detail());
	}

	private static ResponseEntity<ProblemDetail> problem(Kind kind, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), detail);
		problem.setTitle(kind.title());
		problem.setType(URI.create("urn:atomicfile-sample:problem:" + kind.type()));
		return ResponseEntity.status(kind.status()).body(problem);
	}

	/** What a refusal becomes: its status, a fixed title and the last part of its type URI. */
	private record Kind(HttpStatus status, String title, String type) {
	}

	/** What a file-system failure becomes, with a detail that names no server path. */
	private record Failure(Kind kind, String detail) {
	}

}
