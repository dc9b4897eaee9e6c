"""Scoring of agency mentions against the gold ``agencies`` (ANNOTATION.md).

The gold lists, per document (only those of at most 15,000 characters), every distinct
named body once as ``{"name", "aliases"}``.  Texts are compared after collapsing white
space and ignoring case (``norm``).  Per document:

* a gold body is **found** when some predicted mention's text equals its name or one of
  its aliases;
* a predicted body (the mentions sharing one ``canonical``) is **correct** when one of its
  mention texts equals the name or an alias of some gold body.

Recall = found gold bodies / gold bodies; precision = correct predicted bodies / predicted
bodies; both summed over documents (micro), F1 their harmonic mean.  Predictions may be
any mapping with ``text`` and ``canonical`` (the underthesea baseline uses the entity text
as its canonical), so every system is scored the same way.

>>> gold = [{"name": "Ủy ban nhân dân tỉnh Đắk Nông", "aliases": ["UBND tỉnh"]}]
>>> pred = [{"text": "UBND  tỉnh", "canonical": "a"}, {"text": "Sở Y tế", "canonical": "b"}]
>>> s = score_document(pred, gold)
>>> (s.found, s.gold, s.correct, s.predicted)
(1, 1, 1, 2)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def norm(text: str) -> str:
    """NFC, one tone-mark placement (as ingest writes it), white space collapsed, lower case."""
    from pipeline.ingest.repair.tone import modern_tones

    return re.sub(r"\s+", " ", modern_tones(unicodedata.normalize("NFC", text))).strip().lower()


@dataclass(slots=True)
class AgencyScore:
    found: int = 0
    gold: int = 0
    correct: int = 0
    predicted: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def __iadd__(self, other: AgencyScore) -> AgencyScore:
        self.found += other.found
        self.gold += other.gold
        self.correct += other.correct
        self.predicted += other.predicted
        self.missed += other.missed
        self.spurious += other.spurious
        return self

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "found": self.found, "gold": self.gold, "correct": self.correct, "predicted": self.predicted}


def score_document(predicted: Iterable[Mapping[str, Any]], gold: list[Mapping[str, Any]]) -> AgencyScore:
    """Score one document's predicted mentions against its gold bodies."""
    texts = {norm(m["text"]) for m in predicted}
    by_body: dict[str, set[str]] = {}
    for m in predicted:
        by_body.setdefault(m["canonical"], set()).add(norm(m["text"]))
    gold_forms = [{norm(g["name"]), *(norm(a) for a in g.get("aliases") or [])} for g in gold]
    all_gold = set().union(*gold_forms) if gold_forms else set()
    s = AgencyScore(gold=len(gold), predicted=len(by_body))
    for g, forms in zip(gold, gold_forms, strict=True):
        if forms & texts:
            s.found += 1
        else:
            s.missed.append(g["name"])
    for canon, ts in by_body.items():
        if ts & all_gold:
            s.correct += 1
        else:
            s.spurious.append(canon)
    return s


def score_corpus(predict: Any, gold: Mapping[str, Mapping[str, Any]], docs: Mapping[str, Any]) -> AgencyScore:
    """Micro score over every document whose gold has ``agencies``.

    ``predict(path)`` returns the mentions of one document; ``docs`` maps document id → path.
    """
    total = AgencyScore()
    for doc_id, g in sorted(gold.items()):
        if g.get("agencies") is None or doc_id not in docs:
            continue
        total += score_document(predict(docs[doc_id]), g["agencies"])
    return total


def predict_rules(path: Any) -> list[dict[str, Any]]:
    """Our extractor on one file: ingest, build the context, find the mentions."""
    from pipeline.ingest import ingest
    from pipeline.nlp.agencies import context_from_document, find_agencies

    doc = ingest(path)
    return find_agencies(doc.text, context=context_from_document(doc))
