"""Batch run scaling: wall time and peak memory of ``baocao run`` with 1 and 2 jobs.

    python benchmarks/batch_scaling.py [--docs 1000] [--keep DIR]

Generates a corpus of ``--docs`` distinct documents from the demo corpus (each text file copied
with its number, date and figures varied, so every copy has its own content hash), then runs the
whole pipeline (ingest → extract → aggregate) with ``--jobs 1`` and ``--jobs 2`` in child
processes and prints wall time, the speed-up, and peak memory of the parent and of one worker.
Memory is also measured on a quarter of the corpus, to show it does not grow with its size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "demo"


def make_corpus(dest: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` varied copies of the demo text documents into ``dest``."""
    rng = random.Random(seed)
    sources = [p for p in sorted(DEMO.rglob("*.txt")) if "gold" not in p.parts]
    if not sources:
        sys.exit(f"{DEMO}: no .txt documents to copy")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        t = texts[i % len(texts)]
        # vary the figures and the sequence number: a distinct document, same shape
        t = re.sub(r"\b(\d{2,4})\b(?![/\-])", lambda m: str(int(m.group(1)) + rng.randint(0, 9)), t)
        (dest / f"doc{i:05d}.txt").write_text(t + f"\n\n(Bản số {i})\n", encoding="utf-8")
    return n


def timed_run(corpus: Path, out: Path, jobs: int) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS (MiB) of the largest process of one ``baocao run``, and the
    run's own split of it (``run.json``: the parent's peak and the largest worker's)."""
    if out.exists():
        shutil.rmtree(out)
    # A fresh wrapper per run, so the peak it reports is this run's alone (ru_maxrss of
    # children is the largest process among the run's parent and its workers).
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out), "--jobs", str(jobs)]
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    split = json.loads((out / "run.json").read_text(encoding="utf-8")).get("peak_rss_mib", {})
    return wall, int(res.stdout.strip().splitlines()[-1]) / 1024, split


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated corpus and outputs here")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="baocao-bench-"))
    small, full = base / "corpus-small", base / "corpus-full"
    make_corpus(small, max(50, args.docs // 4))
    make_corpus(full, args.docs)
    w_small, m_small, s_small = timed_run(small, base / "out-small", 2)
    w1, m1, s1 = timed_run(full, base / "out-1", 1)
    w2, m2, s2 = timed_run(full, base / "out-2", 2)
    print(f"corpus: {args.docs} documents generated from {DEMO}")
    print(f"jobs=1: {w1:.1f} s ({args.docs / w1:.1f} docs/s), peak RSS of any process {m1:.0f} MiB {s1}")
    print(f"jobs=2: {w2:.1f} s ({args.docs / w2:.1f} docs/s), peak RSS of any process {m2:.0f} MiB {s2}")
    print(f"speed-up 2 jobs / 1 job: {w1 / w2:.2f}×  (target ≥ 1.6×)")
    n_small = max(50, args.docs // 4)
    print(
        f"memory vs size: {n_small} docs → workers {s_small.get('workers')} MiB, parent {s_small.get('parent')} MiB; "
        f"{args.docs} docs → workers {s2.get('workers')} MiB, parent {s2.get('parent')} MiB"
    )
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
