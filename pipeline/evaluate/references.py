"""Scoring of cited-document extraction against the gold ``references`` lists (ANNOTATION.md).

Numbers are compared in their normalised form (:func:`pipeline.nlp.references.normalize_number`,
case-folded); each distinct number counts once per document, as in the gold.

>>> score_references(["4625/BNV-CCHC", "12 / BC-UBND"], ["12/BC-UBND", "57-NQ/TW"])["tp"]
1
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.nlp.references import normalize_number

__all__ = ["micro_f1", "score_references"]


def _key(number: str) -> str:
    return normalize_number(number).casefold()


def score_references(pred: list[str], gold: list[str]) -> dict:
    """``tp``/``fp``/``fn`` counts, precision, recall and F1 of one document, with the misses.

    ``missed`` (false negatives) and ``spurious`` (false positives) list the numbers as given.
    """
    p = {_key(x): x for x in pred if x}
    g = {_key(x): x for x in gold if x}
    tp = len(p.keys() & g.keys())
    out = {
        "tp": tp,
        "fp": len(p) - tp,
        "fn": len(g) - tp,
        "missed": sorted(g[k] for k in g.keys() - p.keys()),
        "spurious": sorted(p[k] for k in p.keys() - g.keys()),
    }
    out.update(_prf(out["tp"], out["fp"], out["fn"]))
    return out


def micro_f1(scores: Iterable[dict]) -> dict:
    """Micro-averaged precision, recall and F1 over several :func:`score_references` results."""
    tp = fp = fn = 0
    for s in scores:
        tp, fp, fn = tp + s["tp"], fp + s["fp"], fn + s["fn"]
    return {"tp": tp, "fp": fp, "fn": fn, **_prf(tp, fp, fn)}


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
