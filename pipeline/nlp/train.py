"""Training of the findings model (``baocao train``).

The training set is every unit of the corpus documents:

- documents with gold ``findings``: a unit overlapping a gold finding by at least half of
  the shorter of the two takes its label; a unit inside ``findings_scope`` that touches no
  gold finding is ``none``; units that only graze a finding are left out;
- everywhere else (documents without gold, sections outside the scope): the label its
  headings imply when the unit's own cues agree (a ``còn …`` sentence under *Hạn chế* is a
  shortcoming), with weight :data:`WEAK_WEIGHT`.

Units of documents that are not reports (``DK_other``: Kế hoạch, Quyết định …) are not trained
on: :func:`~pipeline.nlp.findings.predict_rows` gives them ``none`` whatever the model says.

Scores are cross-validated by document (grouped folds): no document, gold or weak, is in the
training folds of its own score.  Every gold document is scored, the non-reports whose gold
says "no findings" included, so the figures are those ``baocao evaluate`` reports.  The final model is fitted on everything and saved with a
``manifest.json`` that records the data, the date, the CV scores and the library versions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluate.findings import gold_spans, overlap_match, scope_spans, score_findings, summarise
from pipeline.model import Document, Section
from pipeline.nlp.findings import (
    CATEGORIES,
    DEFAULT_C,
    MODEL_FILE,
    NON_REPORT,
    NONE,
    build_pipeline,
    features,
    frame,
    heading_slots,
    predict_rows,
    strip_fitted,
    unit_cues,
)
from pipeline.nlp.units import Unit, sections_of, segment

__all__ = ["FOLDS", "WEAK_WEIGHT", "DocData", "cross_validate", "fold_predictions", "load_corpus", "train", "weak_label"]

NAME = "baocao-findings"
VERSION = "3.0"
WEAK_WEIGHT = 0.3
FOLDS = 8


@dataclass
class DocData:
    """The units of one document, their features and training labels (``None``: not used)."""

    id: str
    doc: Document
    units: list[Unit]
    rows: list[dict[str, str]]
    labels: list[str | None]
    weights: list[float]
    gold: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    scope: list[tuple[int, int]] = field(default_factory=list)
    has_gold: bool = False
    gold_missing: int = 0


_ACTION = re.compile(
    r"^(?:tiếp tục|đẩy mạnh|tăng cường|nâng cao|tập trung|chú trọng|quan tâm|triển khai|thực hiện|phấn đấu|duy trì|"
    r"phát huy|khắc phục|chấn chỉnh|rà soát|kiện toàn|đổi mới|chỉ đạo|đôn đốc|chủ động|xây dựng|tổ chức|hoàn thiện|"
    r"phối hợp|đảm bảo|bảo đảm|tham mưu|nghiên cứu|đầu tư|ưu tiên|làm tốt|thường xuyên)\b"
)
_REC = re.compile(r"\b(?:kiến nghị|đề xuất|đề nghị|kính đề nghị|xem xét|sớm|bố trí|hỗ trợ|cho phép|hướng dẫn)\b")
_POS = re.compile(r"\b(?:đã|đạt|hoàn thành|kịp thời|hiệu quả|chuyển biến|được)\b")


def weak_label(unit: Unit, sections: list[Section]) -> str | None:
    """The label the headings above ``unit`` imply, if the unit's own cues agree; else ``None``.

    >>> from pipeline.model import Section
    >>> s = [Section(id=0, parent=None, level=1, number="2", heading="Hạn chế, tồn tại", span=(0, 99))]
    >>> weak_label(Unit(span=(20, 60), text="Việc số hoá hồ sơ còn chậm.", section=0, kind="bullet"), s)
    'shortcoming'
    """
    if unit.lead_in:
        return None
    by_id = {s.id: s for s in sections}
    sec = by_id.get(unit.section) if unit.section is not None else None
    slots: list[str] = []
    seen: set[int] = set()
    while sec is not None and not slots and sec.id not in seen:
        seen.add(sec.id)
        slots = heading_slots(sec.heading)
        sec = by_id.get(sec.parent) if sec.parent is not None else None
    if not slots:
        return None
    cues = set(unit_cues(unit.text))
    low = unit.text.lower()
    slot = slots[0]
    if slot == "lessons" or slot == "context":
        return None
    if slot == "causes":
        return "cause"
    if slot in ("weak", "difficult"):
        return "shortcoming" if "neg" in cues or "contrast" in cues else None
    if slot == "recommend":
        return "recommendation" if _REC.search(low) else None
    if slot == "plan":
        return "task" if _ACTION.search(low) or "future" in cues else None
    if slot in ("strength", "results"):
        if "neg" in cues or "contrast" in cues:
            return None
        return "achievement" if _POS.search(low) else None
    return None


def _label_gold(units: list[Unit], gold: list[tuple[str, tuple[int, int]]], scope: list[tuple[int, int]]) -> list[str | None]:
    out: list[str | None] = []
    for u in units:
        if u.lead_in:
            out.append(NONE if _mid_in(u.span, scope) else None)
            continue
        best, best_ov, graze = None, 0, False
        for lab, sp in gold:
            ov = min(u.span[1], sp[1]) - max(u.span[0], sp[0])
            if ov <= 0:
                continue
            if overlap_match(u.span, sp) and ov > best_ov:
                best, best_ov = lab, ov
            else:
                graze = True
        if best is not None:
            out.append(best)
        elif graze:
            out.append(None)
        else:
            out.append(NONE if _mid_in(u.span, scope) else None)
    return out


def _mid_in(span: tuple[int, int], scope: list[tuple[int, int]]) -> bool:
    mid = (span[0] + span[1]) // 2
    return any(a <= mid < b for a, b in scope)


def load_corpus(corpus_dir: str | Path, *, weak: bool = True) -> list[DocData]:
    """Ingest every document of ``corpus_dir/docs`` and label its units (gold, then weak)."""
    from pipeline.ingest import ingest

    corpus = Path(corpus_dir)
    gold_dir = corpus / "gold"
    out: list[DocData] = []
    for p in sorted((corpus / "docs").glob("*")):
        if not p.is_file():
            continue
        g = json.loads((gold_dir / f"{p.stem}.json").read_text(encoding="utf-8")) if (gold_dir / f"{p.stem}.json").is_file() else {}
        try:
            doc = ingest(p)
        except Exception:  # an unreadable file is no training data
            continue
        secs = sections_of(doc)
        units = segment(doc, sections=secs, lead_ins=True)
        rows = features(doc, units, secs)
        has_gold = g.get("findings") is not None
        gspans: list[tuple[str, tuple[int, int]]] = []
        scope: list[tuple[int, int]] = []
        missing = 0
        if has_gold:
            gspans, missing = gold_spans(doc.text, g)
            scope = scope_spans(doc.text, g.get("findings_scope", "all"), g.get("top_sections"), doc.sections)
            labels = _label_gold(units, gspans, scope)
            if missing > len(gspans):  # gold that cannot be aligned (text not yet repaired): no reliable none
                labels = [lab if lab not in (None, NONE) else None for lab in labels]
        else:
            labels = [None] * len(units)
        weights = [1.0 if lab is not None else 0.0 for lab in labels]
        if weak:
            for i, u in enumerate(units):
                if labels[i] is None and not any(
                    min(u.span[1], sp[1]) > max(u.span[0], sp[0]) for _, sp in gspans
                ):
                    wl = weak_label(u, secs)
                    if wl is not None:
                        labels[i], weights[i] = wl, WEAK_WEIGHT
        out.append(DocData(p.stem, doc, units, rows, labels, weights, gspans, scope, has_gold, missing))
    return out


def _xy(data: list[DocData]) -> tuple[list[dict[str, str]], list[str], list[float]]:
    rows, y, w = [], [], []
    for d in data:
        for r, lab, wt in zip(d.rows, d.labels, d.weights, strict=True):
            if NON_REPORT in r["meta"].split():
                continue  # never predicted (a non-report has no findings): no training example
            if lab is not None and wt > 0:
                rows.append(r)
                y.append(lab)
                w.append(wt)
    return rows, y, w


def _fit(data: list[DocData], C: float) -> Any:
    rows, y, w = _xy(data)
    pipe = build_pipeline(C=C)
    pipe.fit(frame(rows), y, clf__sample_weight=w)
    return pipe


def predict_doc(model: Any, d: DocData) -> list[tuple[str, tuple[int, int]]]:
    """The findings ``(label, span)`` the model gives the units of one document."""
    labels, _ = predict_rows(model, d.rows)
    return [(lab, u.span) for u, lab in zip(d.units, labels, strict=True) if lab != NONE and not u.lead_in]


def fold_predictions(
    data: list[DocData], *, scored: set[str] | None = None, folds: int = FOLDS, C: float = DEFAULT_C
) -> dict[str, tuple[list[str], list[float]]]:
    """Grouped cross-validation: for every scored document, the label and confidence of each of
    its units from a model trained without it.

    ``scored`` are the ids to predict (default: every document with gold findings, ``[]``
    included); they are dealt round-robin, in id order, into ``folds`` groups.  Documents not
    scored train every fold.
    """
    ids = sorted(d.id for d in data if (d.id in scored if scored is not None else d.has_gold))
    k = max(1, min(folds, len(ids)))
    group = {did: j % k for j, did in enumerate(ids)}
    out: dict[str, tuple[list[str], list[float]]] = {}
    for i in range(k):
        test = [d for d in data if group.get(d.id) == i]
        if not test:
            continue
        model = _fit([d for d in data if group.get(d.id) != i], C)
        for d in test:
            out[d.id] = predict_rows(model, d.rows)
    return out


def cross_validate(data: list[DocData], *, folds: int = FOLDS, C: float = DEFAULT_C) -> dict[str, Any]:
    """Per-label precision / recall / F1 and macro-F1 of :func:`fold_predictions` over every gold
    document (a prediction in a document whose gold has no findings is a false positive)."""
    preds = fold_predictions(data, folds=folds, C=C)
    counts = []
    for d in data:
        if d.id not in preds:
            continue
        labels, _ = preds[d.id]
        pred = [(lab, u.span) for u, lab in zip(d.units, labels, strict=True) if lab != NONE and not u.lead_in]
        counts.append(score_findings(pred, d.gold, d.scope))
    res = summarise(counts)
    res["folds"] = min(folds, len(preds))
    res["documents"] = len(preds)
    res["documents_with_findings"] = sum(1 for d in data if d.id in preds and d.gold)
    return res


def train(
    corpus_dir: str | Path, out_dir: str | Path, *, folds: int = FOLDS, C: float = DEFAULT_C, weak: bool = True
) -> dict[str, Any]:
    """Build the training set, cross-validate, fit on everything and save model + manifest.

    Returns the manifest (also written to ``out_dir/manifest.json``).
    """
    import joblib
    import sklearn

    data = load_corpus(corpus_dir, weak=weak)
    cv = cross_validate(data, folds=folds, C=C)
    model = strip_fitted(_fit(data, C))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / MODEL_FILE, compress=3)
    per_doc = []
    for d in data:
        n = {lab: 0 for lab in (*CATEGORIES, NONE)}
        weak_n = 0
        for lab, w in zip(d.labels, d.weights, strict=True):
            if lab is None or w <= 0:
                continue
            n[lab] += 1
            weak_n += w < 1
        if sum(n.values()):
            per_doc.append({"id": d.id, "gold": d.has_gold, "units": n, "weak_units": weak_n, "gold_not_located": d.gold_missing})
    _, y, w = _xy(data)
    manifest = {
        "name": NAME,
        "version": VERSION,
        "created": dt.date.today().isoformat(),
        "model_file": MODEL_FILE,
        "labels": [*CATEGORIES, NONE],
        "data": {
            "corpus": Path(corpus_dir).name,
            "documents": per_doc,
            "gold_documents": sum(1 for d in data if d.has_gold and d.gold),
            "units": len(y),
            "weak_units": sum(1 for x in w if x < 1),
            "weak_weight": WEAK_WEIGHT,
            "by_label": {lab: y.count(lab) for lab in (*CATEGORIES, NONE)},
        },
        "cv": {
            "method": f"GroupKFold by document, {cv['folds']} folds (round-robin in id order), every gold document scored",
            "match": "same label, overlap >= 50% of the shorter span",
            **cv,
        },
        "params": {
            "C": C,
            "folds": folds,
            "weak": weak,
            "weak_weight": WEAK_WEIGHT,
            "classifier": "LinearSVC, class_weight=balanced",
            "non_reports": "not trained on; predicted none",
            "proposal_rule": "task under a heading that opens with a proposal (or 'Giao <Body>') -> recommendation",
        },
        "sklearn_version": sklearn.__version__,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
