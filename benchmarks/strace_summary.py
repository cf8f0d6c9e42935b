#!/usr/bin/env python3
"""Sums an `strace -f -tt -T` trace of TraceCommit or TraceDirectorySync between its start and end
markers: per system call, the calls per batch (or per write) and the time spent in them (summed over
threads, so parallel fsyncs add up beyond the wall time), and the wall time per batch.

    python3 benchmarks/strace_summary.py /tmp/commit.trace BATCHES    # or WRITES, for TraceDirectorySync
"""

import re
import sys
from collections import defaultdict

MARKER = "/atomicfile-trace-start"
END = "/atomicfile-trace-end"
# "1234 12:00:00.123456 fsync(5) = 0 <0.000123>" or "1234 12:00:00.123456 <... fsync resumed>) = 0 <0.000123>"
LINE = re.compile(r"^(\d+)\s+(\d+):(\d+):(\d+\.\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*?)(?:<(\d+\.\d+)>)?$")


def main():
    path, batches = sys.argv[1], int(sys.argv[2])
    calls, seconds = defaultdict(int), defaultdict(float)
    started, first, last = False, None, None
    with open(path) as f:
        for line in f:
            if not started:
                started = MARKER in line
                continue
            if END in line or "exit_group(" in line:
                break
            match = LINE.match(line.rstrip("\n"))
            if not match:
                continue
            _, h, m, s, resumed, name, rest, duration = match.groups()
            when = int(h) * 3600 + int(m) * 60 + float(s)
            first = when if first is None else first
            last = when
            if "<unfinished ...>" in rest:
                continue
            name = resumed or name
            calls[name] += 1
            seconds[name] += float(duration or 0)
    if not started:
        sys.exit("No %s marker in %s" % (MARKER, path))
    print("wall %.2f ms per batch over %d batches (strace slows every call)" % ((last - first) * 1e3 / batches, batches))
    print("%-16s %10s %14s %14s" % ("syscall", "per batch", "ms per batch", "us per call"))
    for name in sorted(calls, key=lambda n: -seconds[n]):
        print("%-16s %10.1f %14.3f %14.1f" % (name, calls[name] / batches, seconds[name] * 1e3 / batches,
                                               seconds[name] * 1e6 / calls[name]))


if __name__ == "__main__":
    main()
