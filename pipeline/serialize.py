"""JSON (Lines) form of :class:`~pipeline.model.Document`: the contract other tools read.

The keys written here are documented in ``schema/document.schema.json``; keep them stable
and bump :data:`~pipeline.model.SCHEMA_VERSION` when their meaning changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pipeline.model import (
    SCHEMA_VERSION,
    Appendix,
    Document,
    Issuer,
    Number,
    OffsetMap,
    Recipient,
    Section,
    Signature,
    Source,
)

# Keys the extract stage adds beyond the contract, for the aggregate stage.
EXTRA_EXTRACT_KEYS = ("issuing_body", "addressee_bodies", "recipient_bodies", "deadline", "requested_points")

EXTRACT_KEYS = (
    "agencies",
    "persons",
    "periods",
    "reporting_period",
    "references",
    "metrics",
    "findings",
)


def _span(s: Any) -> list[int] | None:
    return None if s is None else [int(s[0]), int(s[1])]


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively: the record equals what reading its JSON line gives back."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_dict(doc: Document, *, with_offsets: bool = True) -> dict[str, Any]:
    """The JSON-ready record of one document (keys named by the issue contract)."""
    sig = doc.signature
    d: dict[str, Any] = {
        "schema_version": doc.schema_version,
        "id": doc.id,
        "source": {
            "path": doc.source.path,
            "sha256": doc.source.sha256,
            "format": doc.source.format,
            "size": doc.source.size,
        },
        "status": doc.status,
        "error": doc.error,
        "system": doc.system,
        "doc_type": doc.doc_type,
        "type_name": doc.type_name,
        "number": None
        if doc.number is None
        else {
            "text": doc.number.text,
            "seq": doc.number.seq,
            "year": doc.number.year,
            "type": doc.number.type,
            "issuers": list(doc.number.issuers),
            "style": doc.number.style,
            "span": _span(doc.number.span),
        },
        "issuer": None
        if doc.issuer is None
        else {
            "name": doc.issuer.name,
            "parent": doc.issuer.parent,
            "span": _span(doc.issuer.span),
            "parent_span": _span(doc.issuer.parent_span),
        },
        "place": doc.place,
        "date": doc.date,
        "title": doc.title,
        "addressees": list(doc.addressees),
        "urgency": doc.urgency,
        "secrecy": doc.secrecy,
        "spans": {k: _span(v) for k, v in doc.spans.items()},
        "body_span": _span(doc.body_span),
        "sections": [
            {
                "id": s.id,
                "parent": s.parent,
                "level": s.level,
                "number": s.number,
                "heading": s.heading,
                "span": _span(s.span),
                "heading_span": _span(s.heading_span),
                "marker": s.marker,
            }
            for s in doc.sections
        ],
        "recipients": [r.text for r in doc.recipients],
        "recipient_spans": [_span(r.span) for r in doc.recipients],
        "signature": None
        if sig is None
        else {
            "authority": list(sig.authority),
            "on_behalf_of": sig.on_behalf_of,
            "position": sig.position,
            "signer": sig.signer,
            "span": _span(sig.span),
            "signer_span": _span(sig.signer_span),
            "esign": _plain(sig.esign),
        },
        "appendices": [{"title": a.title, "span": _span(a.span)} for a in doc.appendices],
        "warnings": list(doc.warnings),
        "repairs": list(doc.repairs),
        "text": doc.text,
    }
    if with_offsets:
        d["offsets"] = doc.offsets.to_list()
    if doc.extracted is not None:
        for key in EXTRACT_KEYS:
            d[key] = _plain(doc.extracted.get(key, None if key == "reporting_period" else []))
        for key, value in doc.extracted.items():
            d.setdefault(key, _plain(value))
    return d


def _tup(s: Any) -> tuple[int, int] | None:
    return None if s is None else (int(s[0]), int(s[1]))


def from_dict(d: dict[str, Any]) -> Document:
    """Rebuild a :class:`Document` from :func:`to_dict` output."""
    src = d["source"]
    num = d.get("number")
    iss = d.get("issuer")
    sig = d.get("signature")
    rec_spans = d.get("recipient_spans") or [None] * len(d.get("recipients") or [])
    doc = Document(
        source=Source(path=src["path"], sha256=src["sha256"], format=src["format"], size=src.get("size", 0)),
        text=d.get("text") or "",
        offsets=OffsetMap.from_list(d.get("offsets") or []),
        status=d.get("status", "ok"),
        error=d.get("error"),
        schema_version=d.get("schema_version", SCHEMA_VERSION),
        system=d.get("system"),
        doc_type=d.get("doc_type"),
        type_name=d.get("type_name"),
        number=None
        if num is None
        else Number(
            text=num["text"],
            seq=num.get("seq"),
            year=num.get("year"),
            type=num.get("type"),
            issuers=list(num.get("issuers") or []),
            style=num.get("style", "state"),
            span=_tup(num.get("span")),
        ),
        issuer=None
        if iss is None
        else Issuer(
            name=iss["name"],
            parent=iss.get("parent"),
            span=_tup(iss.get("span")),
            parent_span=_tup(iss.get("parent_span")),
        ),
        place=d.get("place"),
        date=d.get("date"),
        title=d.get("title"),
        addressees=list(d.get("addressees") or []),
        urgency=d.get("urgency"),
        secrecy=d.get("secrecy"),
        spans={k: _tup(v) for k, v in (d.get("spans") or {}).items() if v is not None},  # type: ignore[misc]
        body_span=_tup(d.get("body_span")),
        sections=[
            Section(
                id=s["id"],
                parent=s.get("parent"),
                level=s["level"],
                number=s.get("number"),
                heading=s.get("heading", ""),
                span=_tup(s["span"]),  # type: ignore[arg-type]
                heading_span=_tup(s.get("heading_span")),
                marker=s.get("marker", ""),
            )
            for s in d.get("sections") or []
        ],
        recipients=[
            Recipient(text=t, span=_tup(sp) or (0, 0))
            for t, sp in zip(d.get("recipients") or [], rec_spans, strict=False)
        ],
        signature=None
        if sig is None
        else Signature(
            authority=list(sig.get("authority") or []),
            on_behalf_of=sig.get("on_behalf_of"),
            position=sig.get("position"),
            signer=sig.get("signer"),
            span=_tup(sig.get("span")),
            signer_span=_tup(sig.get("signer_span")),
            esign=sig.get("esign"),
        ),
        appendices=[Appendix(title=a["title"], span=_tup(a["span"]) or (0, 0)) for a in d.get("appendices") or []],
        warnings=list(d.get("warnings") or []),
        repairs=list(d.get("repairs") or []),
    )
    if any(k in d for k in EXTRACT_KEYS):
        doc.extracted = {k: d[k] for k in d if k in EXTRACT_KEYS or k in EXTRA_EXTRACT_KEYS}
    return doc


def dumps(doc: Document) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False)


def write_jsonl(docs: Iterable[Document | dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for doc in docs:
        rec = doc if isinstance(doc, dict) else to_dict(doc)
        out.write(json.dumps(rec, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a JSON Lines file, skipping blank lines."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)
