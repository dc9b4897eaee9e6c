"""Comparisons across agencies and periods, and submission tracking.

Every row keeps the ids of the findings (``finding_id`` = ``doc_id:n``) or documents it rests
on, so each aggregated statement can be traced to its source sentences (document, section, span).

- ``findings.group_id`` puts near-identical findings of a category into one group, across
  documents (:mod:`pipeline.aggregate.grouping`): the same shortcoming in other words counts once;
- ``finding_groups`` says, per group and period, which groups several bodies share and which
  are one body's;
- ``agency_matrix`` counts findings per reporting body and category;
- ``persistence`` follows each body from one period to the next: shortcomings that persist,
  are new, or are no longer reported; ``metric_changes`` does the same for figures;
- ``submissions`` checks who answered a request letter, when, late or missing, and which
  requested points each answer covers.

How they run (:func:`compare_tables`): the batch's tables are Parquet files, read a row group
at a time; what the comparisons join and sort goes into a work database on disk (SQLite,
whose page cache and sorter stay within a fixed size and spill to disk past it), and Python
sees one block of rows at a time (a group of findings, a body's reports, a measure, a
request's answers) and writes result rows to Parquet a chunk at a time.  Memory holds the
batch's distinct statements and distinct document numbers, never its findings or documents:
a batch of four thousand reports needs no more than one of a thousand.  :func:`compare_all`
runs the same on data frames.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.aggregate.grouping import Forms, statement_key
from pipeline.aggregate.submissions import Request
from pipeline.aggregate.tables import COLUMNS, Sink, typed_frame
from pipeline.aggregate.themes import themes_of
from pipeline.nlp.references import citable_key, number_key, pick_link

# The comparison tables and their columns: a contract, like the tables' (see tables.COLUMNS).
OUTPUTS: dict[str, list[str]] = {
    "finding_groups": [
        "group_id", "period", "category", "n_bodies", "shared", "bodies", "body_keys", "text", "themes",
        "n_findings", "n_docs", "finding_ids", "doc_ids",
    ],
    "agency_matrix": ["body_key", "body", "category", "n"],
    "persistence": ["body_key", "body", "from_doc", "to_doc", "from_period", "to_period", "status", "group_id", "text", "finding_ids"],
    "metric_changes": [
        "body_key", "body", "measure", "unit", "from_period", "to_period", "value_from", "value_to", "change", "trend",
        "from_doc", "to_doc",
    ],
    "submissions": [
        "request_doc", "request_number", "body", "body_key", "status", "doc_id", "number", "date", "deadline",
        "late", "days_late", "points_requested", "points_covered", "points_missing",
    ],
}
# Statements per group whose themes name the group's themes (a sample suffices).
_THEME_SAMPLE = 20
# Ids listed in a ``finding_groups`` row: the first ones; all are in ``findings.group_id``.  A
# group repeated across a large batch would otherwise make rows (and Excel cells) without bound.
LINKS_LISTED = 100
# The period a document speaks for: its reporting period, else its date.
_PERIOD_SQL = "CASE WHEN coalesce(period_start, '') <> '' THEN period_start WHEN coalesce(date, '') <> '' THEN date ELSE '' END"


def compare_tables(
    tdir: str | Path,
    letters: Iterable[dict[str, Any]] = (),
    *,
    request: dict[str, Any] | None = None,
    workdir: str | Path | None = None,
    cache_mib: int = 2,
) -> dict[str, Path]:
    """Every comparison of the batch whose tables are ``tdir/<name>.parquet``.

    Reads ``documents``, ``findings``, ``references`` and ``metrics``; rewrites ``findings``
    with its ``group_id`` and ``references`` with its ``linked_doc_id``; writes one Parquet file
    per table of :data:`OUTPUTS` and returns their paths.  ``letters`` are the records (or just
    their :data:`~pipeline.aggregate.tables.LETTER_KEYS`) of the batch's non-report documents,
    read once: a request letter's addressees, deadline and points come from there.  ``request``
    may instead give ``expected`` bodies, a ``deadline`` and ``points`` (see
    :meth:`_Batch.submissions`).  The work database lives in ``workdir`` (a temporary folder by
    default) and uses at most ``cache_mib`` of memory for its pages and sorts.
    """
    tdir = Path(tdir)
    with _Batch(tdir, workdir, cache_mib) as batch:
        requests = batch.find_requests()
        batch.link_references()
        batch.group_findings(requests)
        out = {
            "finding_groups": batch.finding_groups(),
            "agency_matrix": batch.agency_matrix(),
            "persistence": batch.persistence(),
            "metric_changes": batch.metric_changes(),
            "submissions": batch.submissions(requests, letters, request),
        }
    return out


def compare_all(
    tables: dict[str, pd.DataFrame], records: Iterable[dict[str, Any]] = (), request: dict[str, Any] | None = None
) -> dict[str, pd.DataFrame]:
    """Every comparison table of a batch held in memory (e.g. from :func:`~pipeline.aggregate.tables.build_tables`).

    ``tables`` needs ``documents``, ``findings``, ``references`` and ``metrics`` (missing
    columns count as empty); its ``findings`` gain ``group_id`` and its ``references`` their
    links.  ``records`` are the batch's extract records (request letters are found among them).
    """
    with tempfile.TemporaryDirectory(prefix="baocao-compare-") as tmp:
        tdir = Path(tmp)
        for name in ("documents", "findings", "references", "metrics"):
            df = tables.get(name, pd.DataFrame())
            cols = COLUMNS[name]
            data = {c: df[c].tolist() if c in df.columns else [None] * len(df) for c in cols}
            typed_frame(data, cols, table=name).to_parquet(tdir / f"{name}.parquet", index=False)
        paths = compare_tables(tdir, records, request=request, workdir=tdir)
        tables["findings"] = pd.read_parquet(tdir / "findings.parquet")
        tables["references"] = pd.read_parquet(tdir / "references.parquet")
        return {name: pd.read_parquet(p) for name, p in paths.items()}


# What the comparisons read of each table, loaded into the work database (``_rn``: the row's
# place in its Parquet file).  Findings are loaded once grouped, without the request letters'.
_WORK_TABLES = {
    "docs": ("documents", ["doc_id", "number", "date", "body_key", "body", "issuer", "issuer_parent", "period_start"]),
    "refs": ("references", ["doc_id", "number"]),
    "metrics": ("metrics", ["doc_id", "measure", "unit", "value", "kind"]),
    "findings": ("findings", ["finding_id", "doc_id", "body_key", "body", "category", "text", "period", "group_id"]),
}
_INDEXES = ("docs(doc_id)", "docs(number)", "refs(number)", "findings(doc_id)", "findings(group_id, period, _rn)")


class _Batch:
    """A batch's tables in a work database on disk (SQLite: its pages and sorts stay within a
    fixed cache, whatever the size of the batch), and the steps of :func:`compare_tables`."""

    def __init__(self, tdir: Path, workdir: str | Path | None, cache_mib: int) -> None:
        self.tdir = tdir
        self._own_work = workdir is None
        self.work = Path(tempfile.mkdtemp(prefix="baocao-")) if workdir is None else Path(workdir)
        self.path = self.work / "compare.sqlite"
        self.path.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.row_factory = _dict_row
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{cache_mib * 1024}", "temp_store = FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        for name, fn, n in (("citable_key", citable_key, 1), ("number_key", number_key, 1), ("measure_key", _measure_key, 2)):
            self.db.create_function(name, n, fn, deterministic=True)
        for table, (_src, cols) in _WORK_TABLES.items():
            self.db.execute(f"CREATE TABLE {table} (_rn INTEGER PRIMARY KEY, {', '.join(cols)})")
        for name in ("docs", "refs", "metrics"):
            self._load(name, self.parquet_rows(_WORK_TABLES[name][0], _WORK_TABLES[name][1]))

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)
        if self._own_work:
            shutil.rmtree(self.work, ignore_errors=True)

    def parquet_rows(self, name: str, cols: list[str] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of ``tdir/<name>.parquet`` in order, a row group at a time."""
        import pyarrow.parquet as pq

        # one row group after the other: iter_batches reads ahead, and its memory grew with the file
        with pq.ParquetFile(self.tdir / f"{name}.parquet", pre_buffer=False) as pf:
            present = [c for c in cols if c in pf.schema_arrow.names] if cols else None
            for i in range(pf.metadata.num_row_groups):
                for rb in pf.read_row_group(i, columns=present, use_threads=False).to_batches(1024):
                    yield from rb.to_pylist()

    def _load(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        """Insert ``rows`` into ``table``, then index it."""
        self._insert(table, rows)
        self._index(table)

    def _index(self, table: str) -> None:
        for i, index in enumerate(_INDEXES):
            if index.startswith(f"{table}("):
                self.db.execute(f"CREATE INDEX {table}_{i} ON {index}")
        self.db.commit()

    def _insert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        cols = _WORK_TABLES[table][1]
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        it = iter(rows)
        while chunk := [tuple(r.get(c) for c in cols) for r in itertools.islice(it, 2000)]:
            self.db.executemany(sql, chunk)

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a query as they come (consume them before the next query)."""
        yield from self.db.execute(sql, params or {})

    def sink(self, name: str) -> Sink:
        return Sink(self.tdir / f"{name}.parquet", OUTPUTS[name], table=name)

    def rewrite(self, name: str, rows: Iterable[dict[str, Any]], cols: list[str]) -> None:
        """Write a new version of an input table over the old one."""
        sink = Sink(self.work / f"{name}.parquet", cols, table=name)
        for row in rows:
            sink.append(row)
        os.replace(sink.close(), self.tdir / f"{name}.parquet")

    # ------------------------------------------------------------------ steps

    def find_requests(self) -> list[str]:
        """Documents of the batch that others answer: cited by two or more other documents.

        A number carried by several documents names the last of them.
        """
        return [
            r["target"]
            for r in self.rows(
                """
                WITH nums AS (
                    SELECT number, doc_id AS target FROM (
                        SELECT number, doc_id, row_number() OVER (PARTITION BY number ORDER BY _rn DESC) AS k
                        FROM docs WHERE number IS NOT NULL)
                    WHERE k = 1)
                SELECT n.target FROM refs r JOIN nums n ON r.number = n.number
                WHERE r.doc_id <> n.target GROUP BY n.target HAVING count(DISTINCT r.doc_id) >= 2 ORDER BY n.target
                """
            )
        ]

    def link_references(self) -> None:
        """``references.linked_doc_id``: the batch document each citation names (:func:`pick_link`)."""
        # the batch's numbers, one entry per (number, date) with its count and first two ids:
        # enough for the rule, which links only a single candidate
        index: dict[str, list[list[Any]]] = {}
        for r in self.rows(
            "SELECT k, date, doc_id FROM (SELECT citable_key(number) AS k, date, doc_id, _rn FROM docs) "
            "WHERE k IS NOT NULL AND doc_id IS NOT NULL ORDER BY k, date, _rn"
        ):
            entries = index.setdefault(r["k"], [])
            if not entries or entries[-1][0] != r["date"]:
                entries.append([r["date"], 0, []])
            entries[-1][1] += 1
            if len(entries[-1][2]) < 2:
                entries[-1][2].append(r["doc_id"])

        def candidates(key: str) -> Iterator[tuple[str, str | None]]:
            for date, n, ids in index.get(key, []):
                yield from ((i, date) for i in ids)
                # the others stand in as anonymous ids: they can make a link ambiguous, never be it
                yield from ((f"\0{k}", date) for k in range(n - len(ids)))

        def linked(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
            for row in rows:
                row["linked_doc_id"] = pick_link(row["doc_id"], row["date"], candidates(number_key(row["number"])))
                yield row

        cols = COLUMNS["references"]
        self.rewrite("references", linked(self.parquet_rows("references", cols)), cols)

    def group_findings(self, requests: list[str]) -> None:
        """``findings.group_id``; a request letter's own findings (the points it asks for) stay out."""
        skip = set(requests)
        forms = Forms()
        for r in self.parquet_rows("findings", ["doc_id", "category", "text"]):
            if r["doc_id"] not in skip:
                forms.add(r["category"], r["text"])
        forms.cluster()


        def grouped(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
            # the same pass fills the work database with the answers' findings
            answers: list[dict[str, Any]] = []
            for row in rows:
                if row["doc_id"] in skip:
                    row["group_id"] = None
                else:
                    row["group_id"] = forms.group_of(row["category"], row["text"])
                    answers.append(row | {"period": (row["period_start"] or "")[:10] or None})
                    if len(answers) >= 2000:
                        self._insert("findings", answers)
                        answers.clear()
                yield row
            self._insert("findings", answers)

        cols = COLUMNS["findings"]
        self.rewrite("findings", grouped(self.parquet_rows("findings", cols)), [*cols, "group_id"])
        self._index("findings")

    def finding_groups(self) -> Path:
        """One row per group and period: its bodies, whether several share it, its statements.

        Groups span periods (so that persistence can follow them); "shared" is judged within a
        period, as a consolidated report of one request is.
        """
        # rows are made group by group (in index order: no sort of the findings), kept in the work
        # database, and written out in the order a reader wants: shared groups first
        cols = OUTPUTS["finding_groups"]
        self.db.execute(f"CREATE TEMP TABLE fg ({', '.join(cols)})")
        insert = f"INSERT INTO fg VALUES ({', '.join('?' * len(cols))})"
        rows = self.rows(
            "SELECT group_id, period, category, body, body_key, text, finding_id, doc_id FROM findings "
            "WHERE group_id IS NOT NULL ORDER BY group_id, period, _rn"
        )
        out = (_group_row(part) for _key, part in itertools.groupby(rows, key=lambda r: (r["group_id"], r["period"])))
        while chunk := [tuple(r[c] for c in cols) for r in itertools.islice(out, 1000)]:
            self.db.executemany(insert, chunk)
        sink = self.sink("finding_groups")
        for r in self.rows("SELECT * FROM fg ORDER BY period NULLS LAST, category, n_bodies DESC, group_id"):
            sink.append(r)
        self.db.execute("DROP TABLE fg")
        return sink.close()

    def agency_matrix(self) -> Path:
        """Findings per reporting body and category (long form: ``body_key, body, category, n``)."""
        sink = self.sink("agency_matrix")
        for r in self.rows(
            "SELECT body_key, body, category, count(*) AS n FROM findings GROUP BY body_key, body, category "
            "ORDER BY body NULLS LAST, category NULLS LAST, body_key NULLS LAST"
        ):
            sink.append(r)
        return sink.close()

    def persistence(self) -> Path:
        """For each body with reports of two or more periods: shortcomings persisting, new, resolved.

        A body's reports are taken one per period (the latest of a period replaces the others)
        and compared in order of their periods.
        """
        rows = self.rows(
            f"""
            WITH d AS (SELECT doc_id, body_key, body, date, _rn, {_PERIOD_SQL} AS _p FROM docs WHERE body_key IS NOT NULL),
                 k AS (SELECT * FROM (SELECT *, row_number() OVER (
                           PARTITION BY body_key, _p ORDER BY date DESC NULLS FIRST, _rn DESC) AS _k FROM d) WHERE _k = 1),
                 s AS (SELECT *, first_value(body) OVER w AS body0, row_number() OVER w AS _i FROM k
                       WINDOW w AS (PARTITION BY body_key ORDER BY _p, date NULLS LAST, _rn))
            SELECT s.body_key, s.body0 AS body, s.doc_id, s._p, s._i, f.group_id, f.text, f.finding_id
            FROM s LEFT JOIN findings f
              ON f.doc_id = s.doc_id AND f.category = 'shortcoming' AND f.group_id IS NOT NULL
            ORDER BY s.body_key, s._i, f._rn
            """
        )
        sink = self.sink("persistence")
        for _key, body_rows in itertools.groupby(rows, key=lambda r: r["body_key"]):
            for row in _persistence_rows(list(body_rows)):
                sink.append(row)
        return sink.close()

    def metric_changes(self) -> Path:
        """Figures of the same body and measure in consecutive periods: rose, fell or unchanged.

        A measure is compared by its words and unit; a period's first figure for it counts.
        """
        rows = self.rows(
            f"""
            WITH d AS (SELECT doc_id, body_key, body, {_PERIOD_SQL} AS _p FROM docs WHERE body_key IS NOT NULL),
                 m AS (SELECT m.doc_id, m.measure, m.unit, m.value, m._rn, d.body_key, d.body, d._p,
                              measure_key(m.measure, m.unit) AS _k
                       FROM metrics m JOIN d ON d.doc_id = m.doc_id
                       WHERE m.value IS NOT NULL AND m.measure IS NOT NULL AND m.kind IN ('count', 'money', 'percent'))
            SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY body_key, _k, _p ORDER BY _rn) AS _n FROM m)
            WHERE _n = 1 ORDER BY body_key, _k, _p, _rn
            """
        )
        sink = self.sink("metric_changes")
        for _key, part in itertools.groupby(rows, key=lambda r: (r["body_key"], r["_k"])):
            for x, y in itertools.pairwise(part):
                d = float(y["value"]) - float(x["value"])
                sink.append(
                    {
                        "body_key": x["body_key"], "body": x["body"], "measure": x["measure"], "unit": x["unit"],
                        "from_period": x["_p"], "to_period": y["_p"], "value_from": x["value"], "value_to": y["value"],
                        "change": d, "trend": "tăng" if d > 0 else "giảm" if d < 0 else "không đổi",
                        "from_doc": x["doc_id"], "to_doc": y["doc_id"],
                    }
                )
        return sink.close()

    def submissions(
        self, requests: list[str], letters: Iterable[dict[str, Any]], request: dict[str, Any] | None
    ) -> Path:
        """Who answered each request, when, late or missing, and which requested points each answer covers.

        ``request`` may give ``expected`` (body names), ``deadline`` (ISO date) and ``points``
        explicitly, and ``doc_id`` (the request letter); otherwise they come from the request
        letters found in the batch (their Kính gửi and Nơi nhận, ``deadline`` and the points
        their text asks for).
        """
        wanted: list[str | None] = list(requests)
        if request and request.get("doc_id"):
            wanted = [request["doc_id"]]
        if not wanted and request and request.get("expected"):
            wanted = [None]  # no request letter in the batch: every document is an answer
        by_id = {r.get("id"): r for r in letters if r.get("id") in wanted and r.get("status", "ok") == "ok"}
        sink = self.sink("submissions")
        for rid in wanted:
            for row in self._request_rows(rid, by_id.get(rid, {}) if rid else {}, request):
                sink.append(row)
        return sink.close()

    def _request_rows(self, rid: str | None, rec: dict[str, Any], request: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
        ask = Request.of(rid, rec, request)
        answered = "1" if rid is None else "doc_id IN (SELECT doc_id FROM refs WHERE number = :number AND doc_id <> :rid)"
        docs = self.rows(
            f"""
            WITH a AS (SELECT * FROM docs WHERE {answered}),
                 c AS (SELECT doc_id, group_concat(DISTINCT category) AS cats FROM findings
                       WHERE doc_id IN (SELECT doc_id FROM a) GROUP BY doc_id)
            SELECT a.doc_id, a.body, a.body_key, a.issuer, a.issuer_parent, a.number, a.date, c.cats
            FROM a LEFT JOIN c ON c.doc_id = a.doc_id ORDER BY a.date NULLS LAST, a._rn
            """,
            {"number": ask.number, "rid": rid},
        )
        yield from ask.rows({**d, "cats": set((d["cats"] or "").split(","))} for d in docs)


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return {col[0]: v for col, v in zip(cursor.description, row, strict=True)}


def _measure_key(measure: str | None, unit: str | None) -> str:
    return f"{statement_key(measure or '')}|{(unit or '').casefold()}"


def _group_row(part: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The row of ``finding_groups`` for one group in one period, from its findings in order.

    Reads the findings once, keeping only what the row shows: however many findings a group
    has, memory holds its bodies, a sample of its statements and the first ids.
    """
    first: dict[str, Any] = {}
    bodies: dict[str, None] = {}
    keys: dict[str, None] = {}
    sample: dict[str, None] = {}
    finding_ids: list[str] = []
    doc_ids: list[str] = []
    best, best_key, last_doc = "", (True, 0), None
    n_findings = n_docs = 0
    for r in part:
        first = first or r
        text = str(r["text"])
        bodies.setdefault(r["body"] or "?")
        keys.setdefault(r["body_key"] or "?")
        if len(sample) < _THEME_SAMPLE:
            sample.setdefault(text)
        # the shortest complete statement reads best in a consolidated report
        key = (len(text) < 25, len(text))
        if n_findings == 0 or key < best_key:
            best, best_key = text, key
        n_findings += 1
        if len(finding_ids) < LINKS_LISTED:
            finding_ids.append(str(r["finding_id"]))
        if r["doc_id"] != last_doc:  # a document's findings come together
            last_doc, n_docs = r["doc_id"], n_docs + 1
            if len(doc_ids) < LINKS_LISTED:
                doc_ids.append(str(r["doc_id"]))
    return {
        "group_id": first["group_id"],
        "period": first["period"],
        "category": first["category"],
        "n_bodies": len(keys),
        "shared": len(keys) > 1,
        "bodies": "; ".join(bodies),
        "body_keys": "; ".join(keys),
        "text": best,
        "themes": "; ".join(themes_of(" ".join(sample))[:3]),
        "n_findings": n_findings,
        "n_docs": n_docs,
        "finding_ids": "; ".join(finding_ids),
        "doc_ids": "; ".join(doc_ids),
    }


def _persistence_rows(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """``persistence`` rows of one body: its reports in period order, each with its shortcomings."""
    reports = []
    for doc, part in itertools.groupby(rows, key=lambda r: r["doc_id"]):
        part = list(part)
        reports.append((doc, part[0]["_p"], [r for r in part if r["group_id"]]))
    for (prev, p_prev, a), (cur, p_cur, b) in itertools.pairwise(reports):
        meta = {
            "body_key": rows[0]["body_key"], "body": rows[0]["body"], "from_doc": prev, "to_doc": cur,
            "from_period": p_prev, "to_period": p_cur,
        }
        ga, gb = {r["group_id"] for r in a}, {r["group_id"] for r in b}
        for status, gset in (("persists", ga & gb), ("new", gb - ga), ("resolved", ga - gb)):
            for g in sorted(gset):
                part = [r for r in (a if status == "resolved" else b) if r["group_id"] == g]
                if status == "persists":
                    part = [r for r in a if r["group_id"] == g] + part
                yield meta | {
                    "status": status, "group_id": g, "text": part[-1]["text"],
                    "finding_ids": "; ".join(str(r["finding_id"]) for r in part),
                }
