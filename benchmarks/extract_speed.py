"""Extract speed against underthesea on the same texts, one core, ratios in one run.

    python benchmarks/extract_speed.py [--ner-docs 10]

Times (1) the whole default extract, ingest included, (2) underthesea ``word_tokenize`` and
(3) underthesea ``ner`` on the same texts (line by line: cheaper per character for underthesea
than whole paragraphs), and prints the ratios.  NER is slow: ``--ner-docs N`` runs it on the
first N documents only and scales by characters.
"""

from __future__ import annotations

import argparse
import time

from _common import need_docs, peak_rss_mib, pin_one_core


def best_of(fn, repeat: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ner-docs", type=int, default=53, help="documents given to ner (it is slow); 0 = all")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    pin_one_core()
    from underthesea import ner, word_tokenize

    from pipeline.ingest import ingest
    from pipeline.nlp import extract
    from pipeline.nlp.findings import load_model

    paths = need_docs()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    chars = sum(len(t) for t in texts)
    model = load_model()

    def run_extract() -> None:
        for p in paths:
            extract(ingest(p), findings_model=model)

    def run_ws() -> None:
        for t in texts:
            word_tokenize(t)

    # Both sides get the same treatment: one warm-up pass (imports, caches), then the best of
    # --repeat timed passes; a batch of thousands of files runs warm.
    t_extract = best_of(run_extract, args.repeat)
    t_ws = best_of(run_ws, args.repeat)

    sub = texts[: args.ner_docs] if args.ner_docs else texts
    sub_chars = sum(len(t) for t in sub)
    ner(sub[0][:500])
    t0 = time.perf_counter()
    for t in sub:
        for line in t.splitlines():
            if line.strip():
                ner(line)
    t_ner = (time.perf_counter() - t0) * chars / max(1, sub_chars)

    n = len(paths)
    print(f"documents: {n} ({chars / 1e6:.2f} M characters), one core")
    print(f"baocao extract (ingest included): {t_extract:.2f} s  ({n / t_extract:.1f} docs/s)")
    print(f"underthesea word_tokenize:        {t_ws:.2f} s  ({n / t_ws:.1f} docs/s)")
    print(f"underthesea ner (scaled from {len(sub)} docs): {t_ner:.2f} s  ({n / t_ner:.2f} docs/s)")
    print(f"ratio extract / word_tokenize: {t_extract / t_ws:.2f}  (target ≤ 1)")
    print(f"speed-up over ner: {t_ner / t_extract:.1f}×  (target ≥ 20×)")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
