package dev.atomicfile.sample;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /documents}: bodies are streamed both ways, never held in memory whole.
 */
@RestController
@RequestMapping("/documents")
public class DocumentController {

	private final DocumentStore store;

	public DocumentController(DocumentStore store) {
		this.store = store;
	}

	/** Every document with its size. */
	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	public List<DocumentInfo> list() throws IOException {
		return this.store.list();
	}

	/**
	 * Stores the raw request body (any content type) as the document, committed together with its
	 * metadata (size, SHA-256, the request's content type): 201 when new, 200 when it replaced
	 * one. The request's input stream is read directly, so no converter buffers it.
	 */
	@PutMapping("/{name}")
	public ResponseEntity<DocumentInfo> put(@PathVariable String name, HttpServletRequest request) throws IOException {
		DocumentName documentName = new DocumentName(name);
		long declared = request.getContentLengthLong();
		if (declared > this.store.maxDocumentBytes()) {
			// Refused before reading: a client that sent "Expect: 100-continue" never sends the body.
			throw new DocumentTooLargeException(this.store.maxDocumentBytes());
		}
		StoredDocument stored = this.store.store(documentName, contentType(request.getContentType()),
				request.getInputStream());
		return ResponseEntity.status(stored.created() ? HttpStatus.CREATED : HttpStatus.OK).body(stored.document());
	}

	/**
	 * The document's bytes with the headers its metadata gives: its content type, its length, its
	 * SHA-256 as a strong {@code ETag} and as an RFC 9530 {@code Repr-Digest}. A document that
	 * disagrees with its metadata is never served: 500 with a problem detail instead. The content
	 * type is the uploader's, so the document is sandboxed: no script in it runs with this
	 * origin's rights.
	 */
	@GetMapping("/{name}")
	public ResponseEntity<InputStreamResource> get(@PathVariable String name) throws IOException {
		OpenDocument document = this.store.open(new DocumentName(name));
		DocumentMetadata metadata = document.metadata();
		// The converter copies the stream to the response and closes it.
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(metadata.contentType()))
			.contentLength(metadata.size())
			.eTag("\"" + metadata.sha256() + "\"")
			.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(metadata.sha256Bytes()) + ":")
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy", "sandbox")
			.body(new InputStreamResource(document.content()));
	}

	/** The declared content type, normalised; none declared is {@code application/octet-stream}. */
	private static String contentType(@Nullable String declared) {
		if (declared == null || declared.isBlank()) {
			return MediaType.APPLICATION_OCTET_STREAM_VALUE;
		}
		try {
			String type = MediaType.parseMediaType(declared).toString();
			if (type.chars().allMatch((c) -> c >= 0x20 && c <= 0x7e)) {
				return type;
			}
		}
		catch (InvalidMediaTypeException ex) {
			// Reported below.
		}
		throw new InvalidContentTypeException();
	}

	/** Deletes the document and its metadata: 204, or 404 when there is none. */
	@DeleteMapping("/{name}")
	public ResponseEntity<Void> delete(@PathVariable String name) throws IOException {
		this.store.delete(new DocumentName(name));
		return ResponseEntity.noContent().build();
	}

}
