#!/usr/bin/env python3
"""Turns the JMH JSON of benchmarks.Suite into the tables of BENCHMARKS.md.

The benchmarks interleave the ways they compare inside each fork and count, per way, the operations
and the nanoseconds spent (JMH auxiliary counters). A way's rate in a fork is its operations over its
time; a ratio is taken within each fork (both ways saw the same load), then the median and range over
the forks are reported. That is the only comparison that means something on a shared, noisy machine.

    python3 benchmarks/report.py benchmarks/target/results.json               # print the tables
    python3 benchmarks/report.py benchmarks/target/results.json --update BENCHMARKS.md
    python3 benchmarks/report.py tmpfs.json --update BENCHMARKS.md --section tmpfs
"""

import argparse
import json
import statistics
import sys
from collections import defaultdict

def markers(section):
    name = "report:" + section + ":" if section else "report:"
    return "<!-- %sbegin -->" % name, "<!-- %send -->" % name

PAYLOADS = ["4096", "65536", "1048576"]
DURABILITIES = ["NONE", "FILE", "FULL"]
PAYLOAD_NAMES = {"4096": "4 KiB", "65536": "64 KiB", "1048576": "1 MiB"}

WRITE_TARGET = 0.95
METRICS_TARGET = 0.98
REAPER_TARGET = 1.2
# Issue 11: a FULL commit of 100 files against no fsync (i) and 100 sequential FULL writes (ii); a 2-file
# commit's time against two sequential FULL writes (iii); 16 threads of FULL writes against one (iv).
COMMIT_NO_FSYNC_TARGET = 0.8
COMMIT_SEQUENTIAL_TARGET = 2.0
COMMIT_PAIR_TIME_TARGET = 1.5
DIRECTORY_SYNC_TARGET = 3.0

COMMIT_WAYS = ["filesWrite", "noFsync", "sequential", "rawBatch", "rawProtocol", "commit", "commitNone"]
COMMIT_FILES = ["100", "2"]
PARALLELISM = ["01", "04", "16", "64"]

OBSERVATION_TARGET = 0.98


WAYS = ["filesWrite", "raw", "rawLocked", "library", "libraryListener", "springBean"]


def load(paths):
    """{(benchmark, params): [fork, ...]} in run order; a fork is {counter: [value per iteration]}
    plus "threads" and "score" (the primary, all ways mixed)."""
    forks = defaultdict(list)
    for path in paths:
        with open(path) as f:
            for entry in json.load(f):
                name = entry["benchmark"].rsplit(".", 2)
                key = (name[-2] + "." + name[-1], tuple(sorted(entry.get("params", {}).items())))
                counters = {k: [v for fork in m["rawData"] for v in fork] for k, m in entry["secondaryMetrics"].items()}
                counters["threads"] = entry["threads"]
                counters["score"] = [v for fork in entry["primaryMetric"]["rawData"] for v in fork]
                forks[key].append(counters)
    return forks


def rate(fork, way, threads=1):
    """Operations per second of one way: its operations over the time its threads spent in it."""
    ns = sum(fork.get(way + "Ns", []))
    ops = sum(fork.get(way + "Ops", []))
    return ops / ns * 1e9 * threads if ns else None


def pass_ms(fork, way):
    """The median time of one way's passes (single-shot: one pass per iteration), in ms."""
    times = [ns / ops / 1e6 for ns, ops in zip(fork.get(way + "Ns", []), fork.get(way + "Ops", [])) if ops]
    return statistics.median(times) if times else None


class Report:

    def __init__(self, forks):
        self.forks = forks
        self.misses = []
        self.checks = 0

    def forks_of(self, benchmark, **params):
        key = (benchmark, tuple(sorted((k, str(v)) for k, v in params.items())))
        return self.forks.get(key, [])

    @staticmethod
    def ratios(numerator, denominator):
        """Per-fork ratios: both ways measured interleaved in the same fork."""
        return [a / b for a, b in zip(numerator, denominator) if a is not None and b]

    @staticmethod
    def cell(values, digits=0):
        if not values:
            return "n/a"
        fmt = "{:,.%df}" % digits
        median = fmt.format(statistics.median(values))
        if len(values) == 1:
            return median
        return "%s [%s–%s]" % (median, fmt.format(min(values)), fmt.format(max(values)))

    def ratio_cell(self, ratios, target=None, lower_is_better=False, label=None):
        if not ratios:
            return "n/a"
        text = self.cell(ratios, 3)
        if target is None:
            return text
        self.checks += 1
        median = statistics.median(ratios)
        ok = median <= target if lower_is_better else median >= target
        if not ok:
            self.misses.append("%s: %.2f (target %s %.2f)" % (label, median, "≤" if lower_is_better else "≥", target))
        return text + (" ✓" if ok else " **✗**")

    def writes(self):
        if not any(key[0] == "InterleavedWriteBenchmark.interleaved" for key in self.forks):
            return []
        out = ["### Single-thread writes, all ways interleaved (ops/s, median [min–max] over forks)", "",
               "| payload | durability | Files.write (in place) | raw | raw + lock | library | library + listener | Spring bean + Micrometer |",
               "|---|---|---:|---:|---:|---:|---:|---:|"]
        rates = {}
        for payload in PAYLOADS:
            for durability in DURABILITIES:
                forks = self.forks_of("InterleavedWriteBenchmark.interleaved", payloadBytes=payload, durability=durability)
                if not forks:
                    continue
                rates[payload, durability] = {way: [rate(fork, way) for fork in forks] for way in WAYS}
                out.append("| %s | %s | %s |" % (PAYLOAD_NAMES[payload], durability, " | ".join(
                    self.cell([r for r in rates[payload, durability][way] if r is not None]) for way in WAYS)))
        out += ["", "### Ratios (per fork, interleaved; median [min–max])", "",
                "| payload | durability | library ÷ raw (≥ %.2f) | library ÷ raw + lock | raw + lock ÷ raw | listener ÷ library | Spring + Micrometer ÷ library (≥ %.2f) | raw ÷ Files.write |" % (WRITE_TARGET, METRICS_TARGET),
                "|---|---|---:|---:|---:|---:|---:|---:|"]
        for payload in PAYLOADS:
            for durability in DURABILITIES:
                if (payload, durability) not in rates:
                    continue
                r = rates[payload, durability]
                where = "%s %s" % (PAYLOAD_NAMES[payload], durability)
                out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    PAYLOAD_NAMES[payload], durability,
                    self.ratio_cell(self.ratios(r["library"], r["raw"]), WRITE_TARGET, label="library ÷ raw, " + where),
                    self.ratio_cell(self.ratios(r["library"], r["rawLocked"])),
                    self.ratio_cell(self.ratios(r["rawLocked"], r["raw"])),
                    self.ratio_cell(self.ratios(r["libraryListener"], r["library"])),
                    self.ratio_cell(self.ratios(r["springBean"], r["library"]), METRICS_TARGET,
                                    label="Spring + Micrometer ÷ library, " + where),
                    self.ratio_cell(self.ratios(r["raw"], r["filesWrite"]))))
        return out

    def concurrency(self):
        out = ["### Concurrent FULL writes of 4 KiB, distinct files in one directory", "",
               "Each thread interleaves raw and library writes. Per-way ops/s: that way's writes over the time "
               "threads spent in it, times the thread count (what the machine would do running that way alone).", "",
               "| threads | all writes/s (mixed) | raw ops/s | library ops/s | library ÷ raw | library vs 1 thread |",
               "|---:|---:|---:|---:|---:|---:|"]
        if not any(self.forks_of("ConcurrentWriteBenchmark.threads" + t) for t in ["01", "04", "16"]):
            return []
        single = [rate(f, "library") for f in self.forks_of("ConcurrentWriteBenchmark.threads01")]
        for threads in ["01", "04", "16"]:
            forks = self.forks_of("ConcurrentWriteBenchmark.threads" + threads)
            if not forks:
                continue
            n = int(threads)
            raw = [rate(f, "raw", n) for f in forks]
            library = [rate(f, "library", n) for f in forks]
            mixed = [statistics.median(f["score"]) for f in forks]
            out.append("| %d | %s | %s | %s | %s | %s |" % (
                n, self.cell(mixed), self.cell([x for x in raw if x]), self.cell([x for x in library if x]),
                self.ratio_cell(self.ratios(library, raw), WRITE_TARGET, label="concurrent library ÷ raw, %d threads" % n),
                self.ratio_cell(self.ratios(library, single))))
        return out

    def reaper(self):
        forks = self.forks_of("ReaperBenchmark.pass")
        if not forks:
            return []
        raw = [pass_ms(f, "raw") for f in forks]
        library = [pass_ms(f, "library") for f in forks]
        return ["### One reaping pass: 100,000 entries, 1,000 orphans (ms per pass, passes interleaved)", "",
                "| raw DirectoryStream loop | OrphanReaper | reaper ÷ raw (≤ %.1f) |" % REAPER_TARGET, "|---:|---:|---:|",
                "| %s | %s | %s |" % (self.cell([x for x in raw if x], 1), self.cell([x for x in library if x], 1),
                                    self.ratio_cell(self.ratios(library, raw), REAPER_TARGET, lower_is_better=True,
                                                    label="reaper ÷ raw"))]

    def commits(self):
        rates = {}
        for files in COMMIT_FILES:
            forks = self.forks_of("CommitBenchmark.interleaved", files=files)
            if forks:
                # One operation is one batch: files per second is batches per second times its files.
                rates[files] = {way: [r * int(files) if r else None for r in (rate(f, way) for f in forks)]
                                for way in COMMIT_WAYS}
        if not rates:
            return []
        out = ["### Commits: the same files of 4 KiB replaced in every way, batches interleaved (files/s, median [min–max] over forks)", "",
               "| files | Files.write, in place, no fsync | raw atomic, no fsync | library FULL, one by one | raw batch FULL (N+1 fsyncs) | raw commit protocol FULL (N+3 fsyncs) | library commit FULL | library commit NONE |",
               "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for files, r in rates.items():
            out.append("| %s | %s |" % (files, " | ".join(self.cell([x for x in r[way] if x]) for way in COMMIT_WAYS)))
        out += ["", "### Commit ratios (per fork, interleaved; median [min–max])", "",
                "| files | (i) commit ÷ raw no fsync (≥ %.1f) | commit ÷ Files.write | (ii) commit ÷ one by one (≥ %.0f) | (iii) commit time ÷ one-by-one time (≤ %.1f) | commit ÷ raw protocol | commit NONE ÷ raw no fsync | raw protocol ÷ raw no fsync | raw batch ÷ raw no fsync | raw protocol ÷ raw batch |"
                % (COMMIT_NO_FSYNC_TARGET, COMMIT_SEQUENTIAL_TARGET, COMMIT_PAIR_TIME_TARGET),
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for files, r in rates.items():
            many, pair = files == "100", files == "2"
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                files,
                self.ratio_cell(self.ratios(r["commit"], r["noFsync"]), COMMIT_NO_FSYNC_TARGET if many else None,
                                label="(i) 100-file commit ÷ raw no fsync"),
                self.ratio_cell(self.ratios(r["commit"], r["filesWrite"])),
                self.ratio_cell(self.ratios(r["commit"], r["sequential"]), COMMIT_SEQUENTIAL_TARGET if many else None,
                                label="(ii) 100-file commit ÷ 100 one-by-one FULL writes"),
                self.ratio_cell(self.ratios(r["sequential"], r["commit"]), COMMIT_PAIR_TIME_TARGET if pair else None,
                                lower_is_better=True, label="(iii) 2-file commit time ÷ two FULL writes' time"),
                self.ratio_cell(self.ratios(r["commit"], r["rawProtocol"])),
                self.ratio_cell(self.ratios(r["commitNone"], r["noFsync"])),
                # The floors against no fsync: how close to (i) any implementation of each can get.
                self.ratio_cell(self.ratios(r["rawProtocol"], r["noFsync"])),
                self.ratio_cell(self.ratios(r["rawBatch"], r["noFsync"])),
                self.ratio_cell(self.ratios(r["rawProtocol"], r["rawBatch"]))))
        return out

    def parallelism(self):
        forks = self.forks_of("CommitParallelismBenchmark.interleaved")
        if not forks:
            return []
        rates = {p: [rate(f, "parallelism" + p) for f in forks] for p in PARALLELISM}
        files = lambda values: [v * 100 for v in values if v]
        out = ["### FULL commit of 100 files of 4 KiB by fsyncParallelism (commits interleaved)", "",
               "| fsyncParallelism | files/s | ms per commit | ÷ parallelism 1 | ÷ parallelism 16 |",
               "|---:|---:|---:|---:|---:|"]
        for p in PARALLELISM:
            out.append("| %d | %s | %s | %s | %s |" % (
                int(p), self.cell(files(rates[p])), self.cell([1000 / v for v in rates[p] if v], 1),
                self.ratio_cell(self.ratios(rates[p], rates["01"])), self.ratio_cell(self.ratios(rates[p], rates["16"]))))
        return out

    def directory_syncs(self):
        forks = self.forks_of("DirectorySyncBenchmark.burst")
        if not forks:
            return []
        r = {way: [rate(f, way) for f in forks] for way in ["library01", "library16", "raw01", "raw16"]}
        ok = lambda values: [v for v in values if v]
        return ["### Single FULL writes of 4 KiB into one directory: 16 threads against 1 (bursts interleaved)", "",
                "| way | 1 thread, writes/s | 16 threads, writes/s | 16 ÷ 1 thread |", "|---|---:|---:|---:|",
                "| library (shared directory fsyncs) | %s | %s | %s |" % (
                    self.cell(ok(r["library01"])), self.cell(ok(r["library16"])),
                    self.ratio_cell(self.ratios(r["library16"], r["library01"]), DIRECTORY_SYNC_TARGET,
                                    label="(iv) library, 16 threads ÷ 1 thread")),
                "| raw (a directory fsync per write) | %s | %s | %s |" % (
                    self.cell(ok(r["raw01"])), self.cell(ok(r["raw16"])), self.ratio_cell(self.ratios(r["raw16"], r["raw01"]))),
                "", "Library ÷ raw at 16 threads: %s; at 1 thread: %s." % (
                    self.ratio_cell(self.ratios(r["library16"], r["raw16"])),
                    self.ratio_cell(self.ratios(r["library01"], r["raw01"])))]

    def observations(self):
        forks = self.forks_of("ObservationWriteBenchmark.interleaved", payloadBytes="4096", durability="FULL")
        if not forks:
            return []
        rates = {way: [rate(fork, way) for fork in forks] for way in ["plain", "counted", "observed"]}
        return ["### Observed writes: 4 KiB, FULL, interleaved (ops/s, median [min–max] over forks)", "",
                "| writer + counters | + decorator, no registry | + observation (meter handler) | "
                "no registry ÷ writer | observed ÷ writer (≥ %.2f) |" % OBSERVATION_TARGET,
                "|---:|---:|---:|---:|---:|",
                "| %s | %s | %s | %s | %s |" % (
                    self.cell([r for r in rates["plain"] if r]), self.cell([r for r in rates["counted"] if r]),
                    self.cell([r for r in rates["observed"] if r]),
                    self.ratio_cell(self.ratios(rates["counted"], rates["plain"])),
                    self.ratio_cell(self.ratios(rates["observed"], rates["plain"]), OBSERVATION_TARGET,
                                    label="observed ÷ writer, 4 KiB FULL"))]

    def render(self):
        rounds = max((len(v) for v in self.forks.values()), default=0)
        body = ["_Generated by `benchmarks/report.py` from %d fork(s) per benchmark; each cell: the median over "
                "forks [min–max]; a fork's rate for a way: its operations over the time spent in them, summed over "
                "the measurement iterations; ratios are taken within each fork, then their median._" % rounds, ""]
        for section in (self.writes(), self.concurrency(), self.reaper(), self.commits(), self.parallelism(),
                        self.directory_syncs(), self.observations()):
            if section:
                body += section + [""]
        body += ["### Targets", ""]
        if self.misses:
            body.append("%d of %d target checks missed (by the median ratio):" % (len(self.misses), self.checks))
            body += ["- " + miss for miss in self.misses]
        else:
            body.append("All %d target checks met (by the median ratio)." % self.checks)
        return "\n".join(body) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json", nargs="+", help="JMH JSON result files of benchmarks.Suite")
    parser.add_argument("--update", metavar="MARKDOWN",
                        help="replace the text between <!-- report:begin --> and <!-- report:end --> in this file")
    parser.add_argument("--section", default="",
                        help="use the markers <!-- report:SECTION:begin --> and <!-- report:SECTION:end --> instead")
    args = parser.parse_args()
    forks = load(args.json)
    text = Report(forks).render()
    if not args.update:
        sys.stdout.write(text)
        return
    begin, end = markers(args.section)
    with open(args.update) as f:
        document = f.read()
    if begin not in document or end not in document:
        sys.exit("%s has no %s ... %s markers" % (args.update, begin, end))
    head, rest = document.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.update, "w") as f:
        f.write(head + begin + "\n" + text + end + tail)


if __name__ == "__main__":
    main()
