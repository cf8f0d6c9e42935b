package dev.atomicfile.sample;

import java.net.URI;

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

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidName(InvalidDocumentNameException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid document name", "invalid-name", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> traversal(PathTraversalException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid path", "invalid-path", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(DocumentNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Document not found", "not-found", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooLarge(DocumentTooLargeException ex) {
		return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Document too large", "too-large", ex);
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String type, Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		problem.setType(URI.create("urn:atomicfile-sample:problem:" + type));
		return ResponseEntity.status(status).body(problem);
	}

}
