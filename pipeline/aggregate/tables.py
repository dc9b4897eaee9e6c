"""Flat tables for analysts, built from extract records (one row per thing, with its document).

Every table has ``doc_id`` (the first 16 hex digits of the file's sha256) and, for things
found in the text, ``start``/``end``: the character span in that document's ``text``.
The column lists below are the contract of the Parquet files and the DuckDB tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "documents": [
        "doc_id", "path", "format", "sha256", "doc_type", "number", "issuer", "issuer_parent", "body_key",
        "body", "place", "date", "title", "system", "period_text", "period_kind", "period_start", "period_end",
        "signer", "signer_position", "authority", "recipients", "n_sections", "n_findings", "chars",
    ],
    "sections": ["doc_id", "section_id", "parent", "level", "number", "heading", "start", "end"],
    "findings": [
        "finding_id", "doc_id", "body_key", "body", "category", "text", "confidence", "section",
        "section_heading", "period_start", "period_end", "start", "end",
    ],
    "agencies": ["doc_id", "text", "canonical", "key", "kind", "level", "province", "successor", "start", "end"],
    "persons": ["doc_id", "name", "title", "role", "start", "end"],
    "periods": ["doc_id", "text", "kind", "period_start", "period_end", "start", "end"],
    "references": ["doc_id", "number", "type", "date", "issuer", "linked_doc_id", "start", "end"],
    "metrics": [
        "doc_id", "text", "value", "unit", "kind", "measure", "direction", "baseline", "start", "end",
    ],
    "errors": ["path", "sha256", "format", "error"],
}


def _span(item: dict[str, Any]) -> tuple[int | None, int | None]:
    sp = item.get("span")
    if isinstance(sp, (list, tuple)) and len(sp) == 2:
        return int(sp[0]), int(sp[1])
    return None, None


def _s(v: Any) -> Any:
    """Scalars stay; lists and dicts become text so every column has one type."""
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    if isinstance(v, dict):
        return str(v.get("text") or v.get("name") or v)
    return v


def body_of(rec: dict[str, Any]) -> tuple[str | None, str | None]:
    """(key, name) of the body that issued a record's document.

    The key is the organisation's :func:`~pipeline.aggregate.bodies.core_key`, so that reports
    signed by its standing committee and by the body itself, or printed with and without
    abbreviations, fall under one body.
    """
    from pipeline.aggregate.bodies import core_key

    ib = rec.get("issuing_body") or {}
    iss = rec.get("issuer") or {}
    name = ib.get("canonical") or " ".join(x for x in (iss.get("name"), iss.get("parent")) if x) or None
    if not name:
        return None, None
    return core_key(name) or name.casefold(), name


class Collects(Protocol):
    """Where the letters of a batch go: a list, or a file (the batch run keeps them on disk)."""

    def append(self, item: dict[str, Any], /) -> None: ...


# What the comparisons need of a letter beyond the tables (who it asks, by when, for what).
LETTER_KEYS = ("id", "number", "doc_type", "addressee_bodies", "recipient_bodies", "deadline", "requested_points")


def table_rows(rec: dict[str, Any], letters: Collects | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows one record adds to the tables, as ``(table, row)`` pairs."""
    src = rec.get("source") or {}
    if letters is not None and rec.get("status") == "ok" and rec.get("doc_type") != "BC":
        letters.append({k: rec.get(k) for k in LETTER_KEYS})
    if rec.get("status") != "ok":
        yield ("errors",
            {"path": src.get("path"), "sha256": src.get("sha256"), "format": src.get("format"), "error": rec.get("error")}
        )
        return
    did = rec.get("id") or (src.get("sha256") or "")[:16]
    key, body = body_of(rec)
    rp = rec.get("reporting_period") or {}
    num = rec.get("number") or {}
    iss = rec.get("issuer") or {}
    sig = rec.get("signature") or {}
    findings = rec.get("findings") or []
    yield ("documents",
        {
            "doc_id": did, "path": src.get("path"), "format": src.get("format"), "sha256": src.get("sha256"),
            "doc_type": rec.get("doc_type"), "number": num.get("text"), "issuer": iss.get("name"),
            "issuer_parent": iss.get("parent"), "body_key": key, "body": body, "place": rec.get("place"),
            "date": rec.get("date"), "title": rec.get("title"), "system": rec.get("system"),
            "period_text": rp.get("text"), "period_kind": rp.get("kind"), "period_start": rp.get("start"),
            "period_end": rp.get("end"), "signer": sig.get("signer"), "signer_position": sig.get("position"),
            "authority": _s(sig.get("authority") or []), "recipients": _s(rec.get("recipients") or []),
            "n_sections": len(rec.get("sections") or []), "n_findings": len(findings),
            "chars": rec.get("_chars", len(rec.get("text") or "")),
        }
    )
    for s in rec.get("sections") or []:
        a, b = _span(s)
        yield ("sections",
            {"doc_id": did, "section_id": s.get("id"), "parent": s.get("parent"), "level": s.get("level"),
             "number": s.get("number"), "heading": s.get("heading"), "start": a, "end": b}
        )
    for i, f in enumerate(findings):
        a, b = _span(f)
        yield ("findings",
            {"finding_id": f"{did}:{i}", "doc_id": did, "body_key": key, "body": body,
             "category": f.get("category"), "text": f.get("text"), "confidence": f.get("confidence"),
             "section": _s(f.get("section")), "section_heading": f.get("section_heading"),
             "period_start": rp.get("start"), "period_end": rp.get("end"), "start": a, "end": b}
        )
    for m in rec.get("agencies") or []:
        a, b = _span(m)
        yield ("agencies",
            {"doc_id": did, **{c: _s(m.get(c)) for c in ("text", "canonical", "key", "kind", "level", "province", "successor")},
             "start": a, "end": b}
        )
    for p in rec.get("persons") or []:
        a, b = _span(p)
        yield ("persons",
            {"doc_id": did, "name": p.get("text"), "title": p.get("title"), "role": p.get("role"), "start": a, "end": b}
        )
    for p in rec.get("periods") or []:
        a, b = _span(p)
        yield ("periods",
            {"doc_id": did, "text": p.get("text"), "kind": p.get("kind"), "period_start": p.get("start"),
             "period_end": p.get("end"), "start": a, "end": b}
        )
    for r in rec.get("references") or []:
        a, b = _span(r)
        yield ("references",
            {"doc_id": did, "number": r.get("number"), "type": r.get("type"), "date": r.get("date"),
             "issuer": r.get("issuer"), "linked_doc_id": r.get("doc_id"), "start": a, "end": b}
        )
    for m in rec.get("metrics") or []:
        a, b = _span(m)
        yield ("metrics",
            {"doc_id": did, **{c: _s(m.get(c)) for c in ("text", "unit", "kind", "measure", "direction", "baseline")},
             "value": _num(m.get("value")), "start": a, "end": b}
        )


def build_tables(records: Iterable[dict[str, Any]], *, letters: Collects | None = None) -> dict[str, pd.DataFrame]:
    """All tables of a batch from its records (``status`` ok or error), in memory.

    ``letters``, if given, receives the few fields of :data:`LETTER_KEYS` for every document that
    is not a report (a request letter is one of them), so that no whole record is kept.
    """
    rows = {k: _Columns(cols) for k, cols in COLUMNS.items()}
    for rec in records:
        for name, row in table_rows(rec, letters):
            rows[name].append(row)
    tables = {}
    for name, cols in COLUMNS.items():
        tables[name] = typed_frame(rows.pop(name).data, cols, table=name, sort=True)  # each table's columns freed as built
    link_references(tables["references"], tables["documents"])
    return tables


def link_references(references: pd.DataFrame, documents: pd.DataFrame) -> None:
    """Fill ``references.linked_doc_id``: the batch document each citation names, if any."""
    from pipeline.nlp.references import resolve_links

    if references.empty:
        return
    numbers = documents[["doc_id", "number", "date"]].astype(object).where(documents[["doc_id", "number", "date"]].notna(), None)
    refs = references[["doc_id", "number", "date"]].astype(object).where(references[["doc_id", "number", "date"]].notna(), None)
    links = resolve_links(numbers.itertuples(index=False, name=None), refs.itertuples(index=False, name=None))
    references["linked_doc_id"] = pd.array(links, dtype="string")


def _num(v: Any) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


class _Columns:
    """Rows kept as one list per column: a batch's tables cost their values, not a dict per row."""

    __slots__ = ("data",)

    def __init__(self, cols: list[str]) -> None:
        self.data: dict[str, list[Any]] = {c: [] for c in cols}

    def append(self, row: dict[str, Any]) -> None:
        for c, values in self.data.items():
            values.append(row.get(c))


# Column types, the same in every chunk of a streamed table (and in the comparison tables);
# the rest is text.  (An agency's ``level`` is a word, a section's a number.)
INT_COLUMNS = {
    "start", "end", "section_id", "parent", "n_sections", "n_findings", "chars", "section", "n", "n_bodies", "n_docs",
    "days_late",
}
FLOAT_COLUMNS = {"confidence", "value", "value_from", "value_to", "change"}
BOOL_COLUMNS = {"shared", "late"}
FREE_TEXT_COLUMNS = {
    "text", "title", "heading", "section_heading", "recipients", "path", "error", "finding_ids", "doc_ids", "bodies",
    "body_keys", "points_requested", "points_covered", "points_missing",
}


def _dtype(table: str, col: str) -> str:
    if col in INT_COLUMNS or (table == "sections" and col == "level"):
        return "Int64"
    if col in BOOL_COLUMNS:
        return "boolean"
    return "Float64" if col in FLOAT_COLUMNS else "string"


def typed_frame(data: dict[str, list[Any]], cols: list[str], *, table: str = "", sort: bool = False) -> pd.DataFrame:
    """A frame of ``cols`` with the column types of the tables (``sort``: by document and span)."""
    df = pd.DataFrame({c: pd.array(data[c], dtype=_dtype(table, c)) for c in cols}, columns=cols)
    keys = [c for c in ("doc_id", "start", "path") if c in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True) if sort and keys and len(df) else df


class Sink:
    """One table written to Parquet a chunk of rows at a time (``.tmp`` until closed).

    A chunk (a row group) holds about ``chunk_bytes`` of data: the first has 1,000 rows, the
    next as many as that size allows (at most ``chunk`` rows).  Memory holds one chunk per table
    whatever the batch, and row groups of narrow tables are not needlessly small (each adds an
    entry to the file's footer, which stays in memory until the file is closed).
    """

    def __init__(
        self, path: Path, cols: list[str], *, table: str | None = None, chunk: int = 20_000, chunk_bytes: int = 256 * 1024
    ) -> None:
        self.path, self.cols, self.chunk, self.chunk_bytes = path, cols, chunk, chunk_bytes
        self.table = table or path.stem
        self.rows = _Columns(cols)
        self.n = 0
        self.limit = min(1_000, chunk)
        self.writer: Any = None

    def append(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.n += 1
        if self.n >= self.limit:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(typed_frame(self.rows.data, self.cols, table=self.table), preserve_index=False)
        if self.writer is None:
            # min/max statistics of free text help no query and would make each row group's
            # footer entry (held in memory while writing and reading) as long as its texts
            stats = [c for c in self.cols if c not in FREE_TEXT_COLUMNS]
            self.writer = pq.ParquetWriter(self.path.with_name(f".{self.path.name}.tmp"), table.schema, write_statistics=stats)
        self.writer.write_table(table)
        if self.n:
            self.limit = max(100, min(self.chunk, self.n * self.chunk_bytes // max(table.nbytes, 1)))
        self.rows, self.n = _Columns(self.cols), 0

    def close(self) -> Path:
        import os

        if self.n or self.writer is None:
            self.flush()
        self.writer.close()
        os.replace(self.path.with_name(f".{self.path.name}.tmp"), self.path)
        return self.path


def stream_tables(
    records: Iterable[dict[str, Any]], tdir: Path, *, letters: Collects | None = None, chunk: int = 20_000
) -> dict[str, Path]:
    """Write every table of a batch to ``tdir/<name>.parquet`` as the records stream by.

    Memory holds one chunk per table (see :class:`Sink`), whatever the size of the batch; rows keep
    the order of the records.  References are not linked here (see :func:`link_references`).
    """
    tdir.mkdir(parents=True, exist_ok=True)
    sinks = {name: Sink(tdir / f"{name}.parquet", cols, chunk=chunk) for name, cols in COLUMNS.items()}
    for rec in records:
        for name, row in table_rows(rec, letters):
            sinks[name].append(row)
    return {name: sink.close() for name, sink in sinks.items()}
