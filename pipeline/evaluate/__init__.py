"""Scoring of parse and extract output against gold annotations (ANNOTATION.md form).

Header fields are scored by accuracy over the gold documents: a field is right when the
prediction equals the gold value after white space is collapsed (``title`` also ignores
case); a gold ``null`` is right only when nothing was predicted.  Lists are scored by micro
precision/recall/F1 over their entries:

Every comparison is made after NFC and one tone-mark placement (:func:`norm`).

- ``recipients``: entries equal after white-space collapse and trailing ``;,.`` removed;
- ``sections_l1``: a predicted level-1 section matches a gold ``top_sections`` entry when their
  numbers are equal (dots and case ignored) and their headings are equal after case folding,
  white-space collapse and trailing punctuation removal;
- ``references``, ``agencies`` and ``findings`` use the scorers of their own modules.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HEADER_FIELDS = (
    "doc_type",
    "number",
    "issuer",
    "issuer_parent",
    "place",
    "date",
    "title",
    "authority",
    "signer_position",
    "signer",
)


def norm(s: Any) -> Any:
    """NFC, one tone-mark placement, white space collapsed.

    Ingest writes every text in one tone-mark convention (``ỦY``, ``thủy``, ``khóa``) while
    the gold copies each document's own (``UỶ``, ``thuỷ``, ``khoá``): the placement of the mark
    is spelling, not content, so both sides are compared in the same convention.
    """
    if s is None:
        return None
    if isinstance(s, list):
        return [norm(x) for x in s]
    from pipeline.ingest.repair.tone import modern_tones

    s = modern_tones(unicodedata.normalize("NFC", str(s)))
    return re.sub(r"\s+", " ", s).strip()



def _strip_punct(s: str) -> str:
    return re.sub(r"[\s;,.:]+$", "", s)


def predicted_fields(rec: dict[str, Any]) -> dict[str, Any]:
    """The gold-comparable header and closing fields of one output record."""
    num = rec.get("number") or {}
    iss = rec.get("issuer") or {}
    sig = rec.get("signature") or {}
    return {
        "doc_type": rec.get("doc_type"),
        "number": num.get("text") if num else None,
        "issuer": iss.get("name") if iss else None,
        "issuer_parent": iss.get("parent") if iss else None,
        "place": rec.get("place"),
        "date": rec.get("date"),
        "title": rec.get("title"),
        "authority": list(sig.get("authority") or []) if sig else [],
        "signer_position": sig.get("position") if sig else None,
        "signer": sig.get("signer") if sig else None,
    }


def field_equal(name: str, pred: Any, gold: Any) -> bool:
    p, g = norm(pred), norm(gold)
    if name == "authority":
        return (p or []) == (g or [])
    if name == "title" and p is not None and g is not None:
        return p.casefold() == g.casefold()
    return p == g


class PRF:
    """Micro precision / recall / F1 counts."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def match_counts(pred: list[str], gold: list[str]) -> tuple[int, int, int]:
    """tp, fp, fn of two lists matched as multisets."""
    remaining = list(gold)
    tp = 0
    for p in pred:
        if p in remaining:
            remaining.remove(p)
            tp += 1
    return tp, len(pred) - tp, len(remaining)


def _recipient_key(s: str) -> str:
    return _strip_punct(re.sub(r"^[-–•+\s]+", "", norm(s)))


def _section_key(number: Any, heading: Any) -> tuple[str, str]:
    n = re.sub(r"[.\s]", "", str(number or "")).upper()
    h = _strip_punct(norm(heading or "")).casefold()
    return n, h


def doc_id_of(rec: dict[str, Any]) -> str:
    """Gold files are named by the document's file stem (``docs/001.txt`` → ``001``)."""
    return Path(str((rec.get("source") or {}).get("path") or "")).stem


def load_gold(gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    out = {}
    for p in sorted(Path(gold_dir).glob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        out[str(data.get("id") or p.stem)] = data
        out.setdefault(p.stem, data)
    return out


def evaluate(records: Iterable[dict[str, Any]], gold: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Score output records against gold; returns per-field figures and the misses."""
    fields = {f: [0, 0] for f in HEADER_FIELDS}  # right, total
    misses: dict[str, list[dict[str, Any]]] = {f: [] for f in HEADER_FIELDS}
    recipients, sections = PRF(), PRF()
    scored = 0
    extract_records: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for rec in records:
        did = doc_id_of(rec)
        g = gold.get(did)
        if g is None:
            continue
        scored += 1
        pred = predicted_fields(rec) if rec.get("status") == "ok" else {f: None for f in HEADER_FIELDS}
        for f in HEADER_FIELDS:
            if f not in g:
                continue
            fields[f][1] += 1
            if field_equal(f, pred.get(f), g.get(f)):
                fields[f][0] += 1
            else:
                misses[f].append({"doc": did, "pred": pred.get(f), "gold": g.get(f)})
        if "recipients" in g:
            recipients.add(
                *match_counts(
                    [_recipient_key(r) for r in rec.get("recipients") or []],
                    [_recipient_key(r) for r in g.get("recipients") or []],
                )
            )
        if "top_sections" in g:
            top = [s for s in rec.get("sections") or [] if s.get("level") == 1]
            sections.add(
                *match_counts(
                    [_section_key(s.get("number"), s.get("heading")) for s in top],
                    [_section_key(s.get("number"), s.get("heading")) for s in g.get("top_sections") or []],
                )
            )
        if any(k in rec for k in ("references", "agencies", "findings")):
            extract_records.append((rec, g))
    result: dict[str, Any] = {
        "documents": scored,
        "fields": {f: {"accuracy": round(r / t, 4) if t else None, "right": r, "total": t} for f, (r, t) in fields.items()},
        "recipients": recipients.as_dict(),
        "sections_l1": sections.as_dict(),
        "misses": {f: m for f, m in misses.items() if m},
    }
    if extract_records:
        result.update(evaluate_extract(extract_records))
    return result


def evaluate_extract(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Scores of the extract keys, by the scorers of their modules (imported when present)."""
    out: dict[str, Any] = {}
    from pipeline.evaluate.references import score_references

    prf = PRF()
    for rec, g in pairs:
        if g.get("references") is not None:
            s = score_references([r.get("number") for r in rec.get("references") or []], g.get("references") or [])
            prf.add(s["tp"], s["fp"], s["fn"])
    out["references"] = prf.as_dict()
    from pipeline.evaluate.agencies import AgencyScore, score_document

    total = AgencyScore()
    for rec, g in pairs:
        if g.get("agencies") is not None:
            total += score_document(rec.get("agencies") or [], g.get("agencies") or [])
    out["agencies"] = total.as_dict()
    try:
        from pipeline.evaluate.findings import score_findings_batch
    except ImportError:
        score_findings_batch = None  # type: ignore[assignment]
    if score_findings_batch is not None:
        out["findings"] = score_findings_batch(pairs)
    return out


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of the figures, for the console."""
    lines = [f"documents scored: {result['documents']}", "", f"{'field':<18}{'accuracy':>10}{'right':>8}{'total':>8}"]
    for f, v in result["fields"].items():
        acc = "-" if v["accuracy"] is None else f"{100 * v['accuracy']:.1f}%"
        lines.append(f"{f:<18}{acc:>10}{v['right']:>8}{v['total']:>8}")
    lines.append("")
    lines.append(f"{'list':<18}{'P':>8}{'R':>8}{'F1':>8}")
    for key in ("recipients", "sections_l1", "references", "agencies"):
        if key in result:
            v = result[key]
            lines.append(f"{key:<18}{v['precision']:>8.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}")
    fnd = result.get("findings")
    if fnd:
        lines.append("")
        lines.append(f"findings macro-F1 over five labels: {fnd.get('macro_f1', 0):.3f}")
        for lab, v in (fnd.get("labels") or {}).items():
            lines.append(f"  {lab:<16}{v['precision']:>8.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}")
    return "\n".join(lines)
