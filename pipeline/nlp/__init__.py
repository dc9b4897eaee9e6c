"""Extract stage: agencies, people, periods, cited documents, figures and findings.

``extract(doc)`` fills :attr:`Document.extracted` with the keys of the output contract
(``agencies``, ``persons``, ``periods``, ``reporting_period``, ``references``, ``metrics``,
``findings``), every item with its span in :attr:`Document.text`.  The default path is
rules plus one small scikit-learn model: no word segmentation, so it stays fast on batches.
The same extractors are available as a spaCy pipeline in :mod:`pipeline.nlp.spacy_pipeline`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.model import Document

__all__ = ["anchor_date", "extract"]


def anchor_date(doc: Document) -> dt.date | None:
    """The document's own date, the anchor of relative periods (never today).

    A draft dated only ``YYYY-MM`` anchors on the last day of that month, ``YYYY`` on 31 December.
    """
    d = doc.date
    if not d:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", d)
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        return dt.date(y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        mo = int(m.group(2))
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(y, 12, 31)


def extract(doc: Document, *, findings_model: Any = None) -> Document:
    """Run every extractor on ``doc`` and return it with :attr:`Document.extracted` set.

    >>> from pipeline.ingest import ingest_text
    >>> doc = extract(ingest_text("Thực hiện Công văn số 904-CV/BTGTU ngày 13/4/2023 của Ban Tuyên giáo Tỉnh ủy."))
    >>> doc.extracted["references"][0]["number"]
    '904-CV/BTGTU'
    """
    from pipeline.nlp.agencies import context_from_document, find_agencies
    from pipeline.nlp.findings import find_findings
    from pipeline.nlp.metrics import find_metrics
    from pipeline.nlp.periods import find_periods, reporting_period
    from pipeline.nlp.persons import find_persons
    from pipeline.nlp.references import find_references

    if doc.status != "ok":
        return doc
    anchor = anchor_date(doc)
    text = doc.text
    start, end = doc.body_span or (0, len(text))
    own = {doc.number.text} if doc.number else set()
    persons = find_persons(text)
    sig = doc.signature
    if sig and sig.signer and not any(p.get("text") == sig.signer for p in persons):
        persons.append({"text": sig.signer, "title": sig.position, "span": list(sig.signer_span or (0, 0)), "role": "signer"})
    # The report's own period first: `cùng kỳ` and bare quarters in the text are read against it.
    rp = reporting_period(doc.title, anchor=anchor) if doc.title else None
    year = int(rp["start"][:4]) if rp and rp.get("start") else None
    ctx = context_from_document(doc)
    doc.extracted = {
        "agencies": find_agencies(text, context=ctx),
        "persons": persons,
        "periods": find_periods(text, anchor=anchor, reporting=rp, year=year),
        "reporting_period": rp,
        "references": find_references(text, anchor=anchor, exclude=own),
        "metrics": find_metrics(text, anchor=anchor, start=start, end=end),
        "findings": find_findings(doc, model=findings_model),
    }
    doc.extracted.update(_request_fields(doc, anchor, ctx))
    return doc


def _resolve(text: str, ctx: Any) -> dict[str, Any]:
    """The body a name denotes: the agency mention covering most of it, else the name alone."""
    from pipeline.nlp.agencies import find_agencies

    mentions = find_agencies(text, context=ctx) if text.strip() else []
    best = max(mentions, key=lambda m: m["span"][1] - m["span"][0], default=None)
    if best is None or (best["span"][1] - best["span"][0]) < 0.6 * len(text.strip()):
        return {"text": text, "key": None, "canonical": None}
    return {"text": text, "key": best.get("key"), "canonical": best.get("canonical")}


def _request_fields(doc: Document, anchor: dt.date | None, ctx: Any) -> dict[str, Any]:
    """Fields the aggregate stage needs to compare bodies and track a request's answers."""
    from pipeline.nlp.requests import find_deadline, requested_points

    issuer = doc.issuer
    body = None
    if issuer is not None:
        # "SỞ NỘI VỤ" under "UBND TỈNH LÂM ĐỒNG" is the Sở; "BAN THƯỜNG TRỰC" under "ỦY BAN MTTQ …"
        # only makes a body with its parent line.
        from pipeline.aggregate.bodies import core_key

        body = _resolve(issuer.name, ctx)
        organ_only = not core_key(issuer.name) or core_key(body.get("canonical")) in ("", core_key(issuer.name).split(" ")[0])
        if (body["key"] is None or organ_only) and issuer.parent:
            body = _resolve(f"{issuer.name} {issuer.parent}", ctx)
        if body["key"] is None:
            body = {"text": issuer.name, "key": None, "canonical": " ".join(x for x in (issuer.name, issuer.parent) if x)}
    start, end = doc.body_span or (0, len(doc.text))
    # Only a letter that asks for answers needs its addressees resolved; a report expects none.
    asks = doc.doc_type != "BC"
    return {
        "issuing_body": body,
        "addressee_bodies": [_resolve(t, ctx) for t in doc.addressees] if asks else [],
        "recipient_bodies": [_resolve(r.text, ctx) for r in doc.recipients] if asks else [],
        "deadline": find_deadline(doc.text, anchor=anchor),
        "requested_points": requested_points(doc.text[start:end]) if doc.doc_type in ("CV", "KH", "HD", "TB") else [],
    }
