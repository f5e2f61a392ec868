#!/usr/bin/env python3
"""Keeps what a fuzzer found as regression tests (README, "Fuzzing").

    scripts/fuzz-keep.py TARGET...

For each target: minimises fuzz/corpus/TARGET with `cargo fuzz cmin`, then
replaces the inputs in fuzz/regressions/TARGET/ with up to 250 of the
minimised corpus's inputs of at most 4 KB, spread evenly over their sizes,
300 KB in all, and copies in every crash, timeout and out-of-memory input
from fuzz/artifacts/TARGET/. Kept crash-/timeout-/oom- files stay.
tests/fuzz_regressions.rs runs them all in `cargo test`.
"""

import os
import shutil
import subprocess
import sys

FUZZ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz")
MAX_FILES, MAX_FILE, MAX_BYTES = 250, 4096, 300 * 1024
FOUND = ("crash-", "timeout-", "oom-")


def keep(target):
    subprocess.run(
        ["nice", "-n", "19", "cargo", "fuzz", "cmin", target, "--",
         "-rss_limit_mb=2048", "-timeout=10"],
        cwd=FUZZ, env={**os.environ, "RUSTC_BOOTSTRAP": "1"}, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    corpus = os.path.join(FUZZ, "corpus", target)
    dest = os.path.join(FUZZ, "regressions", target)
    os.makedirs(dest, exist_ok=True)
    for f in os.listdir(dest):
        if not f.startswith(FOUND):
            os.remove(os.path.join(dest, f))
    files = sorted((os.path.getsize(os.path.join(corpus, f)), f) for f in os.listdir(corpus))
    files = [x for x in files if x[0] <= MAX_FILE]
    n = min(MAX_FILES, len(files))
    picked = sorted({files[round(i * (len(files) - 1) / max(n - 1, 1))] for i in range(n)})
    while sum(size for size, _ in picked) > MAX_BYTES:
        picked.pop()
    for _, f in picked:
        shutil.copy(os.path.join(corpus, f), dest)
    artifacts = os.path.join(FUZZ, "artifacts", target)
    found = os.listdir(artifacts) if os.path.isdir(artifacts) else []
    for f in found:
        shutil.copy(os.path.join(artifacts, f), dest)
    print(f"{target}: corpus {len(os.listdir(corpus))} files after cmin; kept "
          f"{len(picked)} inputs ({sum(size for size, _ in picked)} bytes) and {len(found)} found")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for t in sys.argv[1:]:
        keep(t)
