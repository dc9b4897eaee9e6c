"""Scoring of findings against gold (ANNOTATION.md, "Findings").

Gold findings are exact substrings of the extracted text *before* repair, so they are
located in :attr:`Document.text` by a white-space-insensitive alignment
(:func:`locate`).  Only findings inside ``findings_scope`` are scored: ``"all"`` or a list of
top-section numbers, located by the gold ``top_sections`` (:func:`scope_spans`).

A predicted finding matches a gold finding of the same label when their spans overlap by
at least half of the shorter of the two.  Precision counts the predictions (inside the
scope) that match some gold finding; recall counts the gold findings matched by some
prediction; ``macro_f1`` is the mean F1 over the five labels.

The shipped model was trained on the corpus it would be scored on, so
:func:`cross_validated_findings` gives, for each gold document, the findings of a model trained
without it (grouped folds, the saved model's parameters): the honest input for the scorer.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.model import Span

LABELS = ("achievement", "shortcoming", "cause", "task", "recommendation")

__all__ = [
    "LABELS",
    "Collapsed",
    "cross_validated_findings",
    "gold_spans",
    "locate",
    "overlap_match",
    "scope_spans",
    "score_findings",
    "score_findings_batch",
    "summarise",
    "trained_on",
]

_MARKUP = "*_\\`#"


class Collapsed:
    """A text with white space runs collapsed to one space, and the map back to offsets.

    ``strip_markup`` also drops markdown characters, for gold copied from a text whose
    markup repair later removed (or the other way round).
    """

    def __init__(self, text: str, *, strip_markup: bool = False) -> None:
        chars: list[str] = []
        pos: list[int] = []
        space = True
        for i, c in enumerate(text):
            if strip_markup and c in _MARKUP:
                continue
            if c.isspace():
                if not space:
                    chars.append(" ")
                    pos.append(i)
                space = True
                continue
            chars.append(c)
            pos.append(i)
            space = False
        self.text = "".join(chars)
        self.pos = pos

    def span(self, a: int, b: int) -> Span:
        """The original span of the collapsed ``[a, b)``."""
        return (self.pos[a], self.pos[b - 1] + 1)

    def at(self, orig: int) -> int:
        """The collapsed offset of the original offset ``orig`` (or the next kept one)."""
        return bisect.bisect_left(self.pos, orig)


def _norm(s: str, strip_markup: bool = False) -> str:
    s = unicodedata.normalize("NFC", s)
    if strip_markup:
        s = "".join(c for c in s if c not in _MARKUP)
    return re.sub(r"\s+", " ", s).strip()


def locate(needle: str, hay: Collapsed, *, after: int = 0, fuzzy: bool = True) -> Span | None:
    """The span in the original text of ``needle``, matched white-space-insensitively.

    The first occurrence at or after the original offset ``after`` wins, else the first
    anywhere.  With ``fuzzy``, a needle that the text breaks (a page number, a footnote
    mark) is found by its first and last 25 characters within 1.5 times its length.
    """
    n = _norm(needle)
    if not n:
        return None
    start = hay.at(after)
    for s0 in (start, 0):
        k = hay.text.find(n, s0)
        if k >= 0:
            return hay.span(k, k + len(n))
    if not fuzzy or len(n) < 60:
        return None
    head, tail = n[:25], n[-25:]
    for s0 in (start, 0):
        k = hay.text.find(head, s0)
        while k >= 0:
            z = hay.text.find(tail, k + len(n) // 2, k + int(1.5 * len(n)) + 25)
            if z >= 0:
                return hay.span(k, z + len(tail))
            k = hay.text.find(head, k + 1)
    return None


def scope_spans(text: str, scope: Any, top_sections: Sequence[dict[str, Any]] | None, sections: Iterable[Any] = ()) -> list[Span]:
    """The spans of ``text`` whose findings are scored.

    ``scope`` is ``"all"`` (the whole text) or a list of top-section numbers.  The top
    sections are found by their headings in the text, in order (the document's own
    level-1 ``sections`` are used first when their numbers agree).
    """
    if scope in (None, "all"):
        return [(0, len(text))]
    tops = list(top_sections or [])
    starts = _top_starts(text, tops, sections)
    out: list[Span] = []
    wanted = {_num_key(s) for s in scope}
    for i, t in enumerate(tops):
        if _num_key(t.get("number")) not in wanted or starts[i] is None:
            continue
        nxt = next((s for s in starts[i + 1 :] if s is not None), len(text))
        out.append((starts[i], nxt))
    found = {_num_key(t.get("number")) for i, t in enumerate(tops) if starts[i] is not None}
    for num in wanted - found:
        sp = _numbered_section(text, num)
        if sp:
            out.append(sp)
    return sorted(out)


def _numbered_section(text: str, num: str) -> Span | None:
    """A scope number the gold ``top_sections`` do not list (a gold whose scope names a
    lower level): the line numbered ``num.`` up to the next line numbered in the same style."""
    m = re.search(rf"(?m)^[ \t\f]*{re.escape(num)}[.)][ \t]", text)
    if not m:
        return None
    roman = re.fullmatch(r"[IVXL]+", num) is not None
    nxt_pat = r"(?m)^[ \t\f]*(?:[IVXL]+[.)][ \t]|PHẦN\b)" if roman else r"(?m)^[ \t\f]*(?:\d{1,2}[.)][ \t]|[IVXL]+[.)][ \t]|PHẦN\b)"
    n = re.compile(nxt_pat).search(text, m.end())
    return (m.start(), n.start() if n else len(text))


def _num_key(n: Any) -> str:
    return re.sub(r"^PHẦN\s*|[.\s]", "", str(n or "").upper())


def _top_starts(text: str, tops: list[dict[str, Any]], sections: Iterable[Any]) -> list[int | None]:
    own = []
    for s in sections:
        level = s.get("level") if isinstance(s, dict) else getattr(s, "level", None)
        if level == 1:
            own.append(s if isinstance(s, dict) else {"number": s.number, "span": s.span})
    by_num = {_num_key(s.get("number")): s for s in own}
    if tops and all(_num_key(t.get("number")) in by_num for t in tops):
        return [int(by_num[_num_key(t.get("number"))]["span"][0]) for t in tops]
    hay = Collapsed(text)
    low = hay.text.casefold()
    out: list[int | None] = []
    pos = 0
    for t in tops:
        h = _norm(str(t.get("heading") or "")).casefold()
        k = low.find(h[:80], pos) if h else -1
        if k < 0:
            out.append(None)
            continue
        # step back over the number printed before the heading ("II. ", "PHẦN THỨ HAI ")
        num = _norm(str(t.get("number") or "")).casefold()
        back = low.rfind(num, max(0, k - len(num) - 12), k) if num else -1
        a = back if back >= 0 else k
        out.append(hay.span(a, a + 1)[0])
        pos = k + len(h[:80])
    return out


def gold_spans(text: str, gold: dict[str, Any]) -> tuple[list[tuple[str, Span]], int]:
    """The gold findings located in ``text`` as ``(label, span)``, and how many were not found."""
    hay = Collapsed(text)
    bare: Collapsed | None = None
    out: list[tuple[str, Span]] = []
    missing = 0
    after = 0
    for f in gold.get("findings") or []:
        sp = locate(f["text"], hay, after=after)
        if sp is None:
            bare = bare or Collapsed(text, strip_markup=True)
            sp = locate(_norm(f["text"], strip_markup=True), bare, after=after)
        if sp is None:
            missing += 1
            continue
        out.append((f["label"], sp))
        after = sp[0]
    return out, missing


def overlap_match(a: Span, b: Span) -> bool:
    """Whether two spans overlap by at least half of the shorter one."""
    ov = min(a[1], b[1]) - max(a[0], b[0])
    short = min(a[1] - a[0], b[1] - b[0])
    return ov > 0 and short > 0 and ov >= 0.5 * short


def _in_scope(span: Span, scope: list[Span]) -> bool:
    mid = (span[0] + span[1]) // 2
    return any(a <= mid < b for a, b in scope)


def score_findings(
    pred: Sequence[tuple[str, Span]], gold: Sequence[tuple[str, Span]], scope: list[Span], *, missing: int = 0
) -> dict[str, dict[str, int]]:
    """Per-label ``tp_pred`` (matched predictions), ``n_pred``, ``tp_gold`` (matched gold), ``n_gold``.

    ``missing`` gold findings that could not be located count as missed (label unknown: they
    are spread over no label, and reported apart by the callers).
    """
    pred = [(lab, sp) for lab, sp in pred if lab in LABELS and _in_scope(sp, scope)]
    gold = [(lab, sp) for lab, sp in gold if _in_scope(sp, scope)]
    out = {lab: {"tp_pred": 0, "n_pred": 0, "tp_gold": 0, "n_gold": 0} for lab in LABELS}
    for lab, sp in pred:
        c = out[lab]
        c["n_pred"] += 1
        c["tp_pred"] += any(g == lab and overlap_match(sp, gs) for g, gs in gold)
    for lab, sp in gold:
        if lab not in out:
            continue
        c = out[lab]
        c["n_gold"] += 1
        c["tp_gold"] += any(p == lab and overlap_match(sp, ps) for p, ps in pred)
    return out


def summarise(counts: Iterable[dict[str, dict[str, int]]]) -> dict[str, Any]:
    """Pool per-document counts into per-label precision / recall / F1 and the macro-F1."""
    tot = {lab: {"tp_pred": 0, "n_pred": 0, "tp_gold": 0, "n_gold": 0} for lab in LABELS}
    for c in counts:
        for lab in LABELS:
            for k in tot[lab]:
                tot[lab][k] += c.get(lab, {}).get(k, 0)
    labels: dict[str, dict[str, float | int]] = {}
    for lab, c in tot.items():
        p = c["tp_pred"] / c["n_pred"] if c["n_pred"] else 0.0
        r = c["tp_gold"] / c["n_gold"] if c["n_gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        labels[lab] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), **c}
    macro = sum(v["f1"] for v in labels.values()) / len(LABELS)
    return {"macro_f1": round(macro, 4), "labels": labels}


def score_findings_batch(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Score output records (``text``, ``findings``, ``sections``) against their gold files."""
    counts = []
    missing = documents = 0
    for rec, g in pairs:
        if g.get("findings") is None or rec.get("findings") is None:
            continue
        text = rec.get("text") or ""
        gs, miss = gold_spans(text, g)
        missing += miss
        scope = scope_spans(text, g.get("findings_scope", "all"), g.get("top_sections"), rec.get("sections") or [])
        pred = [(f.get("category") or f.get("label"), tuple(f["span"])) for f in rec.get("findings") or [] if f.get("span")]
        counts.append(score_findings(pred, gs, scope))
        documents += 1
    out = summarise(counts)
    out["documents"] = documents
    out["gold_not_located"] = missing
    return out


# ---------------------------------------------------------------------------------------------
# Honest scores of a trained model: documents it was trained on are predicted out of fold


def trained_on(corpus_dir: str | Path | None = None, model_dir: str | Path | None = None) -> set[str]:
    """The ids of the documents the saved findings model was trained on (its manifest's data).

    ``corpus_dir`` is accepted for symmetry with :func:`cross_validated_findings`; the ids are
    file stems of ``corpus/docs``.  An absent model or manifest trained on nothing: ``set()``.
    """
    from pipeline.nlp.findings import model_manifest

    try:
        m = model_manifest(model_dir)
    except (FileNotFoundError, ValueError):
        return set()
    return {str(d["id"]) for d in (m.get("data") or {}).get("documents") or []}


def cross_validated_findings(
    corpus_dir: str | Path, gold_ids: Iterable[str], *, model_dir: str | Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """For each gold document id, the findings of a model trained WITHOUT that document.

    The documents of ``corpus_dir/docs`` are ingested and labelled as for training; the ids in
    ``gold_ids`` are dealt into the saved model's folds (grouped by document) and each is
    predicted by the model fitted on the other folds (documents not in ``gold_ids`` train every
    fold), with the saved model's parameters.  Records are ``{"category", "text", "span",
    "section", "confidence"}``, spans into the ingested :attr:`Document.text`.
    """
    from pipeline.nlp.findings import DEFAULT_C, NONE, model_manifest
    from pipeline.nlp.train import FOLDS, fold_predictions, load_corpus

    try:
        params = model_manifest(model_dir).get("params") or {}
    except (FileNotFoundError, ValueError):
        params = {}
    wanted = set(gold_ids)
    data = load_corpus(corpus_dir, weak=bool(params.get("weak", True)))
    scored = {d.id for d in data if d.id in wanted and d.has_gold}
    preds = fold_predictions(
        data, scored=scored, folds=int(params.get("folds", FOLDS)), C=float(params.get("C", DEFAULT_C))
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for d in data:
        if d.id not in preds:
            continue
        labels, conf = preds[d.id]
        own = {s.id for s in d.doc.sections}
        recs = []
        for u, lab, c in zip(d.units, labels, conf, strict=True):
            if u.lead_in or lab == NONE:
                continue
            recs.append(
                {
                    "category": lab,
                    "text": u.text,
                    "span": [u.span[0], u.span[1]],
                    "section": u.section if u.section in own else None,
                    "confidence": round(c, 4),
                }
            )
        out[d.id] = recs
    return out
