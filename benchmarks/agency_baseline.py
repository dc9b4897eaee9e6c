"""Baseline: underthesea's NER (ORG entities) against the gold agencies, scored like our rules.

Each non-blank line of a document goes through ``underthesea.ner``; ``B-ORG``/``I-ORG``
tokens are merged into entities, and an entity's text is its own canonical (the NER does not
resolve bodies).  Scoring is :mod:`pipeline.evaluate.agencies` for both systems, on the
documents whose gold has ``agencies``.

Usage::

    python benchmarks/agency_baseline.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from pipeline.evaluate.agencies import AgencyScore, score_document
from pipeline.ingest import ingest
from pipeline.nlp.agencies import context_from_document, find_agencies


def ner_orgs(text: str) -> list[dict[str, Any]]:
    """ORG entities found by underthesea's NER, line by line."""
    from underthesea import ner

    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        current: list[str] = []
        for word, _pos, _chunk, tag in ner(line.strip()) + [("", "", "", "O")]:
            if tag == "B-ORG" or (tag == "I-ORG" and not current):
                if current:
                    out.append(" ".join(current))
                current = [word]
            elif tag == "I-ORG":
                current.append(word)
            elif current:
                out.append(" ".join(current))
                current = []
    return [{"text": t, "canonical": t} for t in out]


def run(shared: Path) -> dict[str, Any]:
    corpus = shared / "corpus"
    rules, baseline = AgencyScore(), AgencyScore()
    t_rules = t_ner = 0.0
    n = 0
    ner_orgs("Ủy ban nhân dân tỉnh")  # load the model outside the timing
    for gold_path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not gold.get("agencies"):
            continue
        doc = ingest(corpus / "docs" / f"{gold_path.stem}.txt")
        t0 = time.perf_counter()
        mentions = find_agencies(doc.text, context=context_from_document(doc))
        t1 = time.perf_counter()
        orgs = ner_orgs(doc.text)
        t2 = time.perf_counter()
        t_rules, t_ner, n = t_rules + t1 - t0, t_ner + t2 - t1, n + 1
        rules += score_document(mentions, gold["agencies"])
        baseline += score_document(orgs, gold["agencies"])
    return {
        "documents": n,
        "rules": {**rules.as_dict(), "ms_per_doc": round(1000 * t_rules / n, 1)},
        "underthesea_ner": {**baseline.as_dict(), "ms_per_doc": round(1000 * t_ner / n, 1)},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    args = ap.parse_args()
    print(json.dumps(run(args.shared), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
