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


def best_of(fn, repeat: int, *, warm: bool = True) -> float:
    if warm:
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

    # Interleaved document by document, so that a noisy shared machine slows all three alike:
    # for each text, extract (ingest included) and word_tokenize take the best of --repeat runs,
    # ner one run over its lines (line by line is cheaper per character for underthesea than
    # whole paragraphs).  One warm-up pass first (imports, caches): a batch runs warm.
    for p, t in zip(paths, texts, strict=True):
        extract(ingest(p), findings_model=model)
        word_tokenize(t)
    sub = set(range(len(paths) if not args.ner_docs else min(args.ner_docs, len(paths))))
    t_extract = t_ws = t_ner = 0.0
    ner_chars = 0
    for i, (p, t) in enumerate(zip(paths, texts, strict=True)):
        t_extract += best_of(lambda p=p: extract(ingest(p), findings_model=model), args.repeat, warm=False)
        t_ws += best_of(lambda t=t: word_tokenize(t), args.repeat, warm=False)
        if i in sub:
            t0 = time.perf_counter()
            for line in t.splitlines():
                if line.strip():
                    ner(line)
            t_ner += time.perf_counter() - t0
            ner_chars += len(t)
    t_ner *= chars / max(1, ner_chars)

    n = len(paths)
    print(f"documents: {n} ({chars / 1e6:.2f} M characters), one core")
    print(f"baocao extract (ingest included): {t_extract:.2f} s  ({n / t_extract:.1f} docs/s)")
    print(f"underthesea word_tokenize:        {t_ws:.2f} s  ({n / t_ws:.1f} docs/s)")
    print(f"underthesea ner ({len(sub)} docs, scaled by characters): {t_ner:.2f} s  ({n / t_ner:.2f} docs/s)")
    print(f"ratio extract / word_tokenize: {t_extract / t_ws:.2f}  (target ≤ 1)")
    print(f"speed-up over ner: {t_ner / t_extract:.1f}×  (target ≥ 20×)")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
