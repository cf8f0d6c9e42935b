package dev.atomicfile.sample;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the store's refusals into RFC 9457 problem details ({@code application/problem+json}).
 * Spring MVC's own errors (405, 415, ...) get theirs from {@code spring.mvc.problemdetails.enabled}.
 */
@RestControllerAdvice
public class DocumentProblemHandler {

	private static final Map<Class<?>, Kind> kinds = Map.of(
			InvalidDocumentNameException.class, new Kind(HttpStatus.BAD_REQUEST, "Invalid document name", "invalid-name"),
			PathTraversalException.class, new Kind(HttpStatus.BAD_REQUEST, "Invalid path", "invalid-path"),
			DocumentNotFoundException.class, new Kind(HttpStatus.NOT_FOUND, "Document not found", "not-found"),
			DocumentTooLargeException.class, new Kind(HttpStatus.PAYLOAD_TOO_LARGE, "Document too large", "too-large"));

	@ExceptionHandler({ InvalidDocumentNameException.class, PathTraversalException.class,
			DocumentNotFoundException.class, DocumentTooLargeException.class })
	ResponseEntity<ProblemDetail> problem(Exception ex) {
		Kind kind = kinds.get(ex.getClass());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), ex.getMessage());
		problem.setTitle(kind.title());
		problem.setType(URI.create("urn:atomicfile-sample:problem:" + kind.type()));
		return ResponseEntity.status(kind.status()).body(problem);
	}

	/** What a refusal becomes: its status, a fixed title and the last part of its type URI. */
	private record Kind(HttpStatus status, String title, String type) {
	}

}
