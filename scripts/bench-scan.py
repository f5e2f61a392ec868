#!/usr/bin/env python3
"""Benchmark of `kbgen scan` on a generated text log (issue 17: "a 1 GB text
log is scanned in bounded memory").

Writes a log of the requested size (default 1 GiB) mixing the line kinds a
Windows or Linux server writes — CBS.log lines with HRESULTs, syslog sshd
lines, application errors with stack traces, IIS-like request lines —
with their variable parts (times, PIDs, GUIDs, addresses, counts) changed on
every line, so nothing repeats verbatim. Then runs `kbgen scan` on it under
`/usr/bin/time -v` and prints its wall and CPU time, throughput and peak
memory beside the disk's read rate: `cat` of the same file from the disk
(the log's pages dropped from the page cache first, posix_fadvise
DONTNEED) and from the page cache. The scan itself starts with the log's
pages dropped too, so it reads the log from the disk as a first scan of a
fresh log would, with kbgen and the site's signatures in the cache as for
a second log (an earlier scan of an empty log loads them). Then the same
scan with KBGEN_SCAN_REGIONS=1: the log read as one stream, as before it
was read in regions side by side. Last, the scan with `--since` after
every record: the log read and parsed, no record matched, the floor under
the matching. And the floor under any scan of the log by its lines' shapes
(examples/scan_floor.rs: read in parts side by side, lines split, UTF-8
checked, digits and GUIDs masked, each line counted in a hash table), its
pages dropped first too.

Usage: scripts/bench-scan.py [--size-mb N] [--kb DIR] [--keep] [--log FILE]
  --kb   knowledge base to scan against [default: ../shared/corpus/ms-support-full
         when present, else tests/data/scan/kb]
  --log  scan this log (one an earlier run kept) instead of writing one
Run from the repository root after `cargo build --release` (the script
builds examples/scan_floor.rs itself).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time

LINES = [
    "{ts}, Info                  CBS    Failed to find package: Package_for_KB{kb}~31bf3856ad364e35~amd64~~10.0.{a}.{b} from the index mapping [HRESULT = 0x800f090d - CBS_E_MISSING_PACKAGE_MAPPING_INDEX]",
    "{ts}, Info                  CBS    Session: {a}_{b} initialized by client WindowsUpdateAgent, external staging directory: (null)",
    "{ts} web{a:02d} sshd[{pid}]: Failed password for invalid user u{b} from 203.0.{c}.{d} port {port} ssh2",
    "{ts} INFO  [pool-{a}-thread-{b}] com.contoso.billing.Sync - processed {n} invoices in {ms} ms",
    "{ts} ERROR [pool-{a}-thread-{b}] com.contoso.billing.Sync - request {guid} failed\n"
    "java.net.SocketTimeoutException: Read timed out after {ms} ms\n"
    "\tat com.contoso.billing.Client.call(Client.java:{a})\n"
    "\tat com.contoso.billing.Sync.run(Sync.java:{b})",
    "{ts} W3SVC1 10.1.{c}.{d} GET /shop/item/{n} - 443 - 10.9.{a}.{b} Mozilla/5.0 - 200 0 0 {ms}",
    "{ts} WARN  [main] com.contoso.cache - eviction of {n} entries took {ms} ms",
    "{ts} ERROR The Contoso Sync Agent service terminated with the following error: Access is denied. (0x80070005) pid {pid}",
]


def generate(path, size):
    rnd = random.Random(17)
    written = 0
    t = 1_700_000_000
    with open(path, "w", buffering=1 << 20) as f:
        while written < size:
            chunk = []
            for _ in range(2000):
                t += rnd.randint(0, 3)
                ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
                line = rnd.choice(LINES).format(
                    ts=ts,
                    kb=rnd.randint(5000000, 5099999),
                    a=rnd.randint(1, 99),
                    b=rnd.randint(1, 9999),
                    c=rnd.randint(0, 255),
                    d=rnd.randint(1, 254),
                    n=rnd.randint(1, 100000),
                    ms=rnd.randint(1, 60000),
                    pid=rnd.randint(100, 65000),
                    port=rnd.randint(1024, 65535),
                    guid="%08x-%04x-%04x-%04x-%012x"
                    % tuple(rnd.getrandbits(k) for k in (32, 16, 16, 16, 48)),
                )
                chunk.append(line)
            text = "\n".join(chunk) + "\n"
            f.write(text)
            written += len(text)


def timed(cmd, env=None):
    """Runs `cmd` under /usr/bin/time -v; (wall seconds, peak RSS MB, stdout)."""
    p = subprocess.run(
        ["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True,
        env=None if env is None else {**os.environ, **env},
    )
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    h, m, s = wall.groups()
    secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    cpu = sum(
        float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", p.stderr).group(1))
        for kind in ("User", "System")
    )
    return secs, rss / 1024, p.stdout, p.stderr, cpu


def drop_cache(path):
    """Drops `path`'s pages from the page cache so the next read of it
    comes from the disk (the kernel keeps the tool's and the site's pages:
    a scan is timed on its log, not on loading kbgen); False when the
    kernel cannot (a file system kept in memory)."""
    with open(path, "rb") as f:
        os.fsync(f.fileno())
        os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    return not on_tmpfs(path)


def on_tmpfs(path):
    """True when `path` is on a file system kept in memory."""
    best, kind = "", ""
    with open("/proc/mounts") as m:
        for line in m:
            fields = line.split()
            mount = fields[1]
            if os.path.abspath(path).startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, kind = mount, fields[2]
    return kind in ("tmpfs", "ramfs")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--kb")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--log")
    args = ap.parse_args()
    kbgen = "./target/release/kbgen"
    if not os.path.exists(kbgen):
        sys.exit("build first: cargo build --release")
    floor = "./target/release/examples/scan_floor"
    subprocess.run(["cargo", "build", "--release", "-q", "--example", "scan_floor"], check=True)
    kb = args.kb or (
        "../shared/corpus/ms-support-full"
        if os.path.isdir("../shared/corpus/ms-support-full")
        else "tests/data/scan/kb"
    )
    tmp = tempfile.mkdtemp(prefix="kbgen-scan-bench-")
    site = os.path.join(tmp, "site")
    subprocess.run(
        [kbgen, "build", "-q", "--broken-links", "warn", "--source", kb, "--output", site],
        check=True,
        cwd=tmp if False else None,
    )
    if args.log:
        log = args.log
        args.keep = True
    else:
        log = os.path.join(tmp, "bench.log")
        t0 = time.time()
        generate(log, args.size_mb << 20)
        print(f"generated {os.path.getsize(log) / 2**20:.0f} MiB in {time.time() - t0:.0f} s: {log}")
    size = os.path.getsize(log)
    cat = ["sh", "-c", f"cat {log} > /dev/null"]
    cold = drop_cache(log)
    cold_s = timed(cat)[0]
    warm_s = timed(cat)[0]
    scan = [kbgen, "scan", "--source", kb, "--output", site, log]
    # kbgen and the site's signatures in the page cache, as for a second log.
    empty = os.path.join(tmp, "empty.log")
    open(empty, "w").close()
    timed(scan[:-1] + [empty])
    drop_cache(log)
    secs, rss, out, err, cpu = timed(scan)
    # The same log read as one stream (a reader thread handing batches to
    # the matching threads), as before regions, the log's pages dropped too.
    drop_cache(log)
    one_secs, one_rss, one_out, _, one_cpu = timed(scan, {"KBGEN_SCAN_REGIONS": "1"})
    # The floor under the matching: the same log read and parsed into
    # records, which `--since` then leaves out, so none is matched.
    drop_cache(log)
    parse_secs, parse_rss, _, _, parse_cpu = timed(scan[:-1] + ["--since", "2999-01-01", log])
    # The least any scan by line shapes does, on the same cores.
    drop_cache(log)
    floor_secs, floor_rss, floor_out, _, floor_cpu = timed([floor, log])
    head = "\n".join(out.splitlines()[:1])
    mib = size / 2**20
    print(f"kb: {kb}")
    if cold:
        print(f"cat (from disk):   {cold_s:6.1f} s  {mib / cold_s:7.0f} MiB/s")
    else:
        print("cat (from disk):   not measured (the log's file system is kept in memory)")
    print(f"cat (page cache):  {warm_s:6.1f} s  {mib / warm_s:7.0f} MiB/s")
    print(f"kbgen scan:        {secs:6.2f} s  {mib / secs:7.0f} MiB/s  peak RSS {rss:.0f} MB"
          + ("  (the log's pages dropped first)" if cold else ""))
    # CPU time says what the scan costs even on a busy machine, where the
    # wall time is mostly waiting for a core.
    print(f"kbgen scan CPU:    {cpu:6.2f} s user+sys  {mib / cpu:7.0f} MiB per CPU-second")
    print(f"one stream:        {one_secs:6.2f} s  {mib / one_secs:7.0f} MiB/s  peak RSS {one_rss:.0f} MB"
          f"  CPU {one_cpu:.2f} s  (KBGEN_SCAN_REGIONS=1)")
    print(f"read+parse only:   {parse_secs:6.2f} s  {mib / parse_secs:7.0f} MiB/s  peak RSS {parse_rss:.0f} MB"
          f"  CPU {parse_cpu:.2f} s  (every record left out by --since: none matched)")
    print(f"scan floor:        {floor_secs:6.2f} s  {mib / floor_secs:7.0f} MiB/s  peak RSS {floor_rss:.0f} MB"
          f"  CPU {floor_cpu:.2f} s  (examples/scan_floor.rs: {floor_out.strip()})")
    if one_out != out:
        print("the one-stream report differs from the regions' report")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores"
          + (" (a busy machine: the wall time is mostly waiting for a core)" if load > os.cpu_count() else ""))
    print(f"report: {head}")
    if "error" in err.lower() and "warning" not in err.lower():
        print(err)
    if not args.keep:
        os.remove(log)


if __name__ == "__main__":
    main()
