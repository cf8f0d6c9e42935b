package dev.atomicfile.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor of a durable batch of files in one directory, written by hand in plain Java with no
 * error handling, no lock and no clean-up: what the library's commit is measured against to tell
 * the cost of the protocol from the cost of the file system.
 */
final class RawCommit implements AutoCloseable {

	private final ExecutorService pool;

	/** @param fsyncThreads how many fsyncs run at once, like the library's {@code fsyncParallelism} */
	RawCommit(int fsyncThreads) {
		this.pool = Executors.newFixedThreadPool(fsyncThreads, (task) -> {
			Thread thread = new Thread(task, "raw-fsync");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * The sketch of a durable batch, N + 1 fsyncs: every temp created, filled and given the
	 * target's mode on the caller thread, all fsynced from the pool, renamed one by one, then one
	 * directory fsync. Durable, each file atomic, but not all or nothing across files: no record.
	 */
	void batch(Path[] targets, byte[] bytes) throws IOException {
		Path[] temps = stageAndSync(targets, bytes);
		renameAll(temps, targets);
		RawSequence.syncDirectory(directoryOf(targets));
	}

	/**
	 * The library's commit protocol at its floor, N + 3 fsyncs: the {@link #batch} temps, then a
	 * record naming every target and temp written as temp + fsync + rename, a directory fsync (the
	 * commit point), the renames, a second directory fsync (the renames durable before the record
	 * goes), the record deleted. What all or nothing costs over {@link #batch}, without the library.
	 */
	void protocol(Path[] targets, byte[] bytes) throws IOException {
		Path[] temps = stageAndSync(targets, bytes);
		Path directory = directoryOf(targets);
		StringBuilder record = new StringBuilder("commit\n");
		for (int i = 0; i < targets.length; i++) {
			record.append(targets[i].getFileName()).append('\t').append(temps[i].getFileName()).append('\n');
		}
		Path recordPath = directory.resolve("commit.record");
		Path recordTemp = RawSequence.tempFor(recordPath);
		try (FileChannel channel = FileChannel.open(recordTemp, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			RawSequence.writeAll(channel, record.toString().getBytes(StandardCharsets.UTF_8));
			channel.force(true);
		}
		Files.move(recordTemp, recordPath, StandardCopyOption.ATOMIC_MOVE);
		RawSequence.syncDirectory(directory);
		renameAll(temps, targets);
		RawSequence.syncDirectory(directory);
		Files.delete(recordPath);
	}

	private Path[] stageAndSync(Path[] targets, byte[] bytes) throws IOException {
		Path[] temps = new Path[targets.length];
		List<FileChannel> channels = new ArrayList<>(targets.length);
		try {
			for (int i = 0; i < targets.length; i++) {
				Set<PosixFilePermission> mode = Files.getPosixFilePermissions(targets[i]);
				temps[i] = RawSequence.tempFor(targets[i]);
				FileChannel channel = FileChannel.open(temps[i], StandardOpenOption.CREATE_NEW,
						StandardOpenOption.WRITE);
				channels.add(channel);
				RawSequence.writeAll(channel, bytes);
				// Before the fsync, so that the mode is as durable as the content.
				Files.setPosixFilePermissions(temps[i], mode);
			}
			forceAll(channels);
		}
		finally {
			for (FileChannel channel : channels) {
				channel.close();
			}
		}
		return temps;
	}

	private void forceAll(List<FileChannel> channels) throws IOException {
		List<Future<?>> forces = new ArrayList<>(channels.size());
		for (FileChannel channel : channels) {
			forces.add(this.pool.submit(() -> {
				try {
					channel.force(true);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}));
		}
		for (Future<?> force : forces) {
			await(force);
		}
	}

	private static void renameAll(Path[] temps, Path[] targets) throws IOException {
		for (int i = 0; i < targets.length; i++) {
			Files.move(temps[i], targets[i], StandardCopyOption.ATOMIC_MOVE);
		}
	}

	private static Path directoryOf(Path[] targets) {
		Path directory = targets[0].getParent();
		for (Path target : targets) {
			if (!target.getParent().equals(directory)) {
				throw new IllegalArgumentException("The raw floor handles one directory, not " + target.getParent());
			}
		}
		return directory;
	}

	/** Waits for {@code task} and returns its result, rethrowing its failure as an {@link IOException}. */
	static <T> T await(Future<T> task) throws IOException {
		try {
			return task.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw new IOException(ex.getCause());
		}
	}

	@Override
	public void close() {
		this.pool.shutdownNow();
	}

}
