package dev.atomicfile.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * A real second user ({@link OtherUser}) trying to open, for reading, every file that appears
 * anywhere below a directory: on each inotify creation event at once, and in full scans in between.
 * Whatever it manages to open, it reports with its first bytes. The test synchronises on the count
 * of full scans, never on time. Needs root (to switch users) and {@code python3}.
 */
public final class OpenRacer implements AutoCloseable {

	private static final String SCRIPT = """
import ctypes, os, select, struct, sys
root = os.fsencode(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
IN_CREATE, IN_MOVED_TO, IN_ISDIR, IN_NONBLOCK = 0x100, 0x80, 0x40000000, 0o4000
FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY
inotify = libc.inotify_init1(IN_NONBLOCK)
if inotify < 0:
    raise OSError(ctypes.get_errno(), "inotify_init1")
watched = {}
out = sys.stdout.buffer
def report(line):
    out.write(line + b"\\n")
    out.flush()
def watch(path):
    wd = libc.inotify_add_watch(inotify, path, IN_CREATE | IN_MOVED_TO)
    if wd >= 0:
        watched[wd] = path
def attempt(path):
    try:
        fd = os.open(path, FLAGS)
    except OSError:
        return
    try:
        data = os.read(fd, 32)
    except OSError:
        data = b""
    finally:
        os.close(fd)
    report(b"OPENED\\t" + path.hex().encode() + b"\\t" + data.hex().encode())
def scan(path):
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for entry in entries:
        try:
            directory = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if directory:
            scan(entry.path)
        else:
            attempt(entry.path)
def events():
    try:
        buffer = os.read(inotify, 65536)
    except BlockingIOError:
        return
    offset = 0
    while offset < len(buffer):
        wd, mask, cookie, length = struct.unpack_from("iIII", buffer, offset)
        name = buffer[offset + 16:offset + 16 + length].rstrip(b"\\0")
        offset += 16 + length
        path = watched.get(wd, root) + b"/" + name
        if mask & IN_ISDIR:
            watch(path)
            scan(path)
        else:
            attempt(path)
watch(root)
report(b"READY")
passes = 0
while not select.select([sys.stdin], [], [], 0)[0]:
    if select.select([inotify], [], [], 0.002)[0]:
        events()
    scan(root)
    passes += 1
    report(b"PASS\\t%d" % passes)
""";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final AtomicLong passes = new AtomicLong();

	private final AtomicBoolean ready = new AtomicBoolean();

	private final AtomicBoolean ended = new AtomicBoolean();

	private final List<Opened> opened = new CopyOnWriteArrayList<>();

	private OpenRacer(Process process) {
		this.process = process;
		Thread pump = new Thread(this::pump, "open-racer-" + process.pid());
		pump.setDaemon(true);
		pump.start();
	}

	/**
	 * Starts racing below {@code directory} (which nobody must be able to enter) and returns once
	 * the racer watches it and has scanned it at least once; its script goes to {@code scratch}.
	 */
	public static OpenRacer start(Path directory, Path scratch) throws IOException {
		OtherUser.openDirectory(scratch);
		Path script = Files.writeString(scratch.resolve("open-racer.py"), SCRIPT);
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
		List<String> command = new ArrayList<>(OtherUser.wrapper());
		command.addAll(List.of("python3", script.toString(), directory.toString()));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		OpenRacer racer = new OpenRacer(process);
		await().atMost(TIMEOUT).until(() -> racer.ready.get() || racer.ended.get());
		racer.awaitPasses(1);
		return racer;
	}

	/** Waits until the racer has made {@code more} full scans from now. */
	public void awaitPasses(long more) {
		long goal = this.passes.get() + more;
		await().atMost(TIMEOUT).until(() -> this.passes.get() >= goal || this.ended.get());
		if (this.passes.get() < goal) {
			throw new AssertionError("The open racer ended (exit " + this.process.exitValue() + ") after "
					+ this.passes.get() + " scans");
		}
	}

	/** The full scans made so far. */
	public long passes() {
		return this.passes.get();
	}

	/** Every file the racer managed to open, in order. */
	public List<Opened> opened() {
		return List.copyOf(this.opened);
	}

	/** Every file the racer opened, other than {@code allowed}. */
	public List<Opened> openedExcept(Path allowed) {
		return this.opened.stream().filter((open) -> !open.path().equals(allowed.toString())).toList();
	}

	@Override
	public void close() throws IOException, InterruptedException {
		try (OutputStream stdin = this.process.getOutputStream()) {
			stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			// Already gone: nothing to stop.
		}
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	private void pump() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				String[] fields = line.split("\t", -1);
				switch (fields[0]) {
					case "READY" -> this.ready.set(true);
					case "PASS" -> this.passes.set(Long.parseLong(fields[1]));
					case "OPENED" -> this.opened.add(new Opened(
							new String(HexFormat.of().parseHex(fields[1]), StandardCharsets.UTF_8),
							HexFormat.of().parseHex(fields[2])));
					default -> {
						// Nothing else is printed.
					}
				}
			}
		}
		catch (IOException ex) {
			// The pipe broke: the racer is gone.
		}
		finally {
			this.ended.set(true);
		}
	}

	/**
	 * A file the other user opened.
	 *
	 * @param path its path
	 * @param head its first bytes, as read through that descriptor
	 */
	public record Opened(String path, byte[] head) {

		@Override
		public String toString() {
			return this.path + " (read: \"" + new String(this.head, StandardCharsets.UTF_8) + "\")";
		}

	}

}
