"""Extract speed against underthesea on the same texts, one core, ratios in one run.

    python benchmarks/extract_speed.py [--ner-docs 10]

Times (1) the whole default extract, ingest included, (2) underthesea ``word_tokenize`` and
(3) underthesea ``ner`` on the same texts, and prints the ratios.  NER is slow, so it runs on the
first ``--ner-docs`` documents and is scaled by characters.
"""

from __future__ import annotations

import argparse
import time

from _common import need_docs, peak_rss_mib, pin_one_core


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ner-docs", type=int, default=10)
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
    extract(ingest(paths[0]), findings_model=model)  # warm-up
    word_tokenize(texts[0][:2000])

    t0 = time.perf_counter()
    for p in paths:
        extract(ingest(p), findings_model=model)
    t_extract = time.perf_counter() - t0

    t0 = time.perf_counter()
    for t in texts:
        word_tokenize(t)
    t_ws = time.perf_counter() - t0

    sub = texts[: args.ner_docs]
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
