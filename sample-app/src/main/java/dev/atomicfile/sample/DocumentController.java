package dev.atomicfile.sample;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
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
	 * Stores the raw request body (any content type) as the document: 201 when new, 200 when it
	 * replaced one. The request's input stream is read directly, so no converter buffers it.
	 */
	@PutMapping("/{name}")
	public ResponseEntity<DocumentInfo> put(@PathVariable String name, HttpServletRequest request) throws IOException {
		DocumentName documentName = new DocumentName(name);
		long declared = request.getContentLengthLong();
		if (declared > this.store.maxDocumentBytes()) {
			// Refused before reading: a client that sent "Expect: 100-continue" never sends the body.
			throw new DocumentTooLargeException(this.store.maxDocumentBytes());
		}
		StoredDocument stored = this.store.store(documentName, request.getInputStream());
		return ResponseEntity.status(stored.created() ? HttpStatus.CREATED : HttpStatus.OK).body(stored.document());
	}

	/** The document's bytes, as {@code application/octet-stream}. */
	@GetMapping("/{name}")
	public ResponseEntity<InputStreamResource> get(@PathVariable String name) throws IOException {
		OpenDocument document = this.store.open(new DocumentName(name));
		// The converter copies the stream to the response and closes it.
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.contentLength(document.size())
			.header("X-Content-Type-Options", "nosniff")
			.body(new InputStreamResource(document.content()));
	}

	/** Deletes the document: 204, or 404 when there is none. */
	@DeleteMapping("/{name}")
	public ResponseEntity<Void> delete(@PathVariable String name) throws IOException {
		this.store.delete(new DocumentName(name));
		return ResponseEntity.noContent().build();
	}

}
