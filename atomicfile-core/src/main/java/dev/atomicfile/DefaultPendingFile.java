package dev.atomicfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

import dev.atomicfile.DefaultAtomicFileWriter.Attempt;
import dev.atomicfile.DefaultAtomicFileWriter.Install;

/**
 * The one implementation of {@link PendingFile}: the first half of a write (resolve, create the
 * temp) when opened, the second half (sync, rename or link, sync the directory) when committed,
 * with the writer's own steps and failure handling.
 */
final class DefaultPendingFile implements PendingFile {

	private final DefaultAtomicFileWriter writer;

	private final Path target;

	private final PathLocks.Held pathLock;

	private final long start;

	private final Attempt attempt;

	private final Destination destination;

	private final TempFileOutputStream out;

	private boolean done;

	private DefaultPendingFile(DefaultAtomicFileWriter writer, Path target, PathLocks.Held pathLock, long start,
			Attempt attempt, Destination destination, TempFileOutputStream out) {
		this.writer = writer;
		this.target = target;
		this.pathLock = pathLock;
		this.start = start;
		this.attempt = attempt;
		this.destination = destination;
		this.out = out;
	}

	static DefaultPendingFile open(DefaultAtomicFileWriter writer, Path target) throws IOException {
		long start = System.nanoTime();
		PathLocks.Held pathLock = writer.lockPath(target);
		Attempt attempt = new Attempt();
		try {
			Destination destination = writer.resolve(target, Install.REPLACE);
			TempFileOutputStream out = new TempFileOutputStream(writer.newTemp(target, destination, attempt), target);
			attempt.streaming(out);
			return new DefaultPendingFile(writer, target, pathLock, start, attempt, destination, out);
		}
		catch (Throwable failure) {
			attempt.discard(failure);
			pathLock.close();
			writer.reportFailure(target, failure, start, attempt.origin(failure));
			throw failure;
		}
	}

	@Override
	public Path target() {
		return this.target;
	}

	@Override
	public OutputStream outputStream() {
		return this.out;
	}

	@Override
	public InputStream newInputStream() throws IOException {
		checkOpen();
		this.out.flush();
		TempFile temp = this.attempt.temp();
		return new InputStream() {

			private long position;

			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
			}

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				Objects.checkFromIndexSize(offset, length, bytes.length);
				if (length == 0) {
					return 0;
				}
				int read = temp.read(ByteBuffer.wrap(bytes, offset, length), this.position);
				if (read > 0) {
					this.position += read;
				}
				return read;
			}

		};
	}

	@Override
	public void commit() throws IOException {
		finish(Install.REPLACE);
	}

	@Override
	public void commitNew() throws IOException {
		finish(Install.CREATE_NEW);
	}

	private void finish(Install install) throws IOException {
		checkOpen();
		this.done = true;
		try {
			this.out.finish();
			Destination where = (install == Install.CREATE_NEW)
					? new Destination(this.target.toAbsolutePath(), this.destination.existing()) : this.destination;
			this.writer.install(this.target, where, this.attempt, install);
		}
		catch (Throwable failure) {
			this.attempt.discard(failure);
			this.writer.reportFailure(this.target, failure, this.start, this.attempt.origin(failure));
			throw failure;
		}
		finally {
			this.pathLock.close();
		}
		this.writer.reportSuccess(this.target, this.out.count(), this.start);
	}

	private void checkOpen() {
		if (this.done) {
			throw new IllegalStateException("The pending file of " + this.target + " was already committed or closed");
		}
	}

	@Override
	public void close() {
		if (this.done) {
			return;
		}
		this.done = true;
		this.attempt.discard(new IOException("Pending file closed without commit"));
		this.pathLock.close();
	}

}
