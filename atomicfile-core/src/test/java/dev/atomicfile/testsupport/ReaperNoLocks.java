package dev.atomicfile.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a child process on a system where file locks fail: a seccomp filter makes every lock
 * command of {@code fcntl} (and only those) return {@code ENOLCK}, which is what a kernel answers
 * on an NFS mount without a lock manager. The JDK and the code under test see the real system-call
 * error; nothing is mocked. Needs {@code python3} (for {@code prctl} through ctypes, no packages)
 * on x86_64 or aarch64 Linux.
 */
public final class ReaperNoLocks {

	private static final String SCRIPT = """
import ctypes, os, platform, struct, sys
# fcntl's lock commands fail with ENOLCK (as on NFS without a lock manager); everything else runs.
ARCHES = {"x86_64": (0xC000003E, 72), "aarch64": (0xC00000B7, 25)}
audit_arch, fcntl_nr = ARCHES[platform.machine()]
LOCK_COMMANDS = (5, 6, 7, 36, 37, 38)  # F_GETLK F_SETLK F_SETLKW F_OFD_GETLK F_OFD_SETLK F_OFD_SETLKW
LD_ABS, JEQ, RET = 0x20, 0x15, 0x06
ALLOW, ERRNO_ENOLCK = 0x7FFF0000, 0x00050000 | 37
def op(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k)
prog = [op(LD_ABS, 4), op(JEQ, audit_arch, 1, 0), op(RET, ALLOW),
        op(LD_ABS, 0), op(JEQ, fcntl_nr, 1, 0), op(RET, ALLOW),
        op(LD_ABS, 24)]
prog += [op(JEQ, cmd, len(LOCK_COMMANDS) - i, 0) for i, cmd in enumerate(LOCK_COMMANDS)]
prog += [op(RET, ALLOW), op(RET, ERRNO_ENOLCK)]
class Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
code = ctypes.create_string_buffer(b"".join(prog))
fprog = Fprog(len(prog), ctypes.addressof(code))
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(38, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
    raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
if libc.prctl(22, ctypes.c_ulong(2), ctypes.byref(fprog), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
    raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")
os.execvp(sys.argv[1], sys.argv[1:])
""";

	private ReaperNoLocks() {
	}

	/** The wrapper (see {@link ChildJvm#command}); writes its script into {@code directory}. */
	public static List<String> wrapper(Path directory) throws IOException {
		Path script = Files.writeString(directory.resolve("reaper-no-locks.py"), SCRIPT);
		return List.of("python3", script.toString());
	}

}
