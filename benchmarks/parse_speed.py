"""Ingest speed and peak memory on ../shared/corpus/docs, one core, in one process.

    python benchmarks/parse_speed.py [--repeat 3]

Prints documents per second (best of the repeats, after a warm-up pass) and the peak RSS.
"""

from __future__ import annotations

import argparse
import time

from _common import need_docs, peak_rss_mib, pin_one_core


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pin_one_core()
    from pipeline.ingest import ingest

    paths = need_docs()
    rss0 = peak_rss_mib()
    for p in paths:  # warm-up: imports, regex compilation, caches
        ingest(p)
    best = float("inf")
    chars = sum(len(p.read_text(encoding="utf-8", errors="replace")) for p in paths)
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for p in paths:
            ingest(p)
        best = min(best, time.perf_counter() - t0)
    print(f"documents: {len(paths)} ({chars / 1e6:.2f} M characters)")
    print(f"parse: {len(paths) / best:.1f} documents/s, {chars / best / 1e6:.2f} M chars/s (best of {args.repeat}, one core)")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB (after imports: {rss0:.0f} MiB)")


if __name__ == "__main__":
    main()
