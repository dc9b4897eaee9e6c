"""End to end on the demo corpus: `baocao run corpora/demo -o OUT` then `baocao report OUT`.

Each output is opened with its own library (duckdb, python-docx, openpyxl, an HTML parser) and
checked against the demo gold (`corpora/demo/expected.json`): every submitting body appears,
the shared shortcomings found are the ones the gold says are shared, the late and the missing
submissions are reported as such.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.aggregate.bodies import same_body

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "demo"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
BODIES = {b["id"]: b for b in EXPECTED["bodies"]}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    for args in (["run", str(DEMO), "-o", str(out), "--jobs", "2"], ["report", str(out)]):
        res = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
    return out


@pytest.fixture(scope="module")
def db(out: Path):
    import duckdb

    con = duckdb.connect(str(out / "baocao.duckdb"), read_only=True)
    yield con
    con.close()


def _norm(s: str) -> str:
    return " ".join(str(s).split()).casefold()


def test_all_outputs_exist(out: Path) -> None:
    for name in ("baocao.duckdb", "bao-cao-tong-hop.docx", "bang-tong-hop.xlsx", "dashboard.html"):
        assert (out / name).stat().st_size > 0, name
    for table in ("documents", "sections", "findings", "agencies", "persons", "periods", "references", "metrics", "errors"):
        assert (out / "tables" / f"{table}.parquet").exists(), table
    # the work files of the aggregation (letters, the work database, rewritten tables) are gone
    assert not (out / ".work").exists()
    assert not [p.name for p in (out / "tables").iterdir() if p.name.startswith(".")]


def test_every_document_parsed(db) -> None:
    n_files = len([p for p in DEMO.rglob("*") if p.suffix in (".txt", ".docx", ".pdf") and "gold" not in p.parts])
    assert db.execute("SELECT count(*) FROM documents").fetchall()[0][0] == n_files
    assert db.execute("SELECT count(*) FROM errors").fetchall()[0][0] == 0


def _status_of(subs: pd.DataFrame, number: str, body_id: str) -> str | None:
    part = subs[subs["request_number"] == number]
    for _, row in part.iterrows():
        if same_body(row["body"], BODIES[body_id]["name"]) or same_body(row["body"], BODIES[body_id]["issuer"]):
            return row["status"]
    return None


def test_submissions_match_gold(db) -> None:
    subs = db.sql("SELECT * FROM submissions").df()
    requests = {r["period"]: r for r in EXPECTED["requests"]}
    late = {(x["body"], x["period"]) for x in EXPECTED["late"]}
    missing = {(x["body"], x["period"]) for x in EXPECTED["missing"]}
    for s in EXPECTED["submissions"]:
        want = "late" if (s["body"], s["period"]) in late else "submitted"
        assert _status_of(subs, requests[s["period"]]["number"], s["body"]) == want, s
    for body, period in missing:
        assert _status_of(subs, requests[period]["number"], body) == "missing", (body, period)
    # nobody else is reported missing
    assert (subs["status"] == "missing").sum() == len(missing)
    row = subs[subs["status"] == "late"].iloc[0]
    assert row["days_late"] == EXPECTED["late"][0]["days_late"]


def _finding_groups(db) -> dict[tuple[str, str], str]:
    """(file, gold text) → group id of the predicted finding that overlaps it."""
    f = db.sql('SELECT f.text, f.group_id, f.category, d.path FROM findings f JOIN documents d USING (doc_id)').df()
    out = {}
    for g in EXPECTED["shortcoming_groups"] + EXPECTED["unique_shortcomings"]:
        for m in g["members"]:
            cand = f[f["path"].str.endswith(m["file"]) & f["group_id"].notna()]
            gold = _norm(m["text"])
            hits = [r.group_id for r in cand.itertuples() if _norm(r.text)[:40] in gold or gold[:40] in _norm(r.text)]
            if hits:
                out[(m["file"], m["text"])] = hits[0]
    return out


def test_shared_shortcomings_are_the_gold_ones(db) -> None:
    """Pairwise agreement of the predicted groups with the gold groups of shortcomings."""
    groups = _finding_groups(db)
    members = [(g["key"], (m["file"], m["text"])) for g in EXPECTED["shortcoming_groups"] + EXPECTED["unique_shortcomings"] for m in g["members"]]
    located = [(k, m) for k, m in members if m in groups]
    assert len(located) >= 0.9 * len(members), "gold shortcomings not found among the findings"
    tp = fp = fn = 0
    for (ka, a), (kb, b) in itertools.combinations(located, 2):
        same_gold, same_pred = ka == kb, groups[a] == groups[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    assert precision >= 0.65 and recall >= 0.65, (precision, recall)
    # every gold shared group of the latest period is reported as shared in the table
    shared = db.sql("SELECT group_id FROM finding_groups WHERE shared AND category = 'shortcoming'").df()["group_id"]
    for g in EXPECTED["shortcoming_groups"]:
        ids = [groups.get((m["file"], m["text"])) for m in g["members"]]
        assert any(i in set(shared) for i in ids if i), g["key"]


def test_docx_report_names_each_submitting_body_and_the_missing_one(out: Path, db) -> None:
    from docx import Document

    doc = Document(str(out / "bao-cao-tong-hop.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO" in text
    for head in ("KẾT QUẢ ĐẠT ĐƯỢC", "HẠN CHẾ", "NGUYÊN NHÂN", "PHƯƠNG HƯỚNG", "KIẾN NGHỊ"):
        assert head in text, head
    latest = max(EXPECTED["requests"], key=lambda r: r["date"])
    for s in EXPECTED["submissions"]:
        if s["period"] == latest["period"]:
            assert s["number"] in text, f"the report cites {s['number']}"
    names = re.findall(r"Chưa nhận được báo cáo của: ([^.]*)\.", text)
    assert names, "the missing submission is stated"
    for x in EXPECTED["missing"]:
        assert same_body(names[0], BODIES[x["body"]]["name"])


def test_xlsx_has_formatted_sheets(out: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(out / "bang-tong-hop.xlsx")
    for sheet in ("Văn bản", "Tình hình gửi báo cáo", "Cơ quan x Nội dung", "Nội dung báo cáo", "Nhóm nội dung"):
        assert sheet in wb.sheetnames, sheet
        ws = wb[sheet]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    ws = wb["Tình hình gửi báo cáo"]
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert "Chưa gửi" in values and "Gửi chậm" in values


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.scripts = 0
        self.remote = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self.scripts += 1
            self.remote += any(k == "src" and v and "://" in v for k, v in attrs)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_html_dashboard_is_self_contained(out: Path) -> None:
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    p = _Text()
    p.feed(html)
    text = " ".join(p.parts)
    assert "Tình hình gửi báo cáo" in text and "Chưa gửi" in text
    assert p.scripts >= 1 and p.remote == 0, "plotly must be inlined (no remote script) to work offline"
    assert "Plotly.newPlot" in html


def test_xlsx_continues_a_long_table_on_further_sheets(out: Path, tmp_path: Path) -> None:
    """Excel stops at 1,048,576 rows a sheet: a longer table goes on in "<sheet> (2)"…"""
    import pandas as pd
    from openpyxl import load_workbook

    from pipeline.aggregate.report import write_xlsx

    path = write_xlsx(out, tmp_path / "nho.xlsx", sheet_rows=40)  # 39 rows a sheet
    wb = load_workbook(path, read_only=True)
    n = len(pd.read_parquet(out / "tables" / "findings.parquet"))
    parts = [s for s in wb.sheetnames if s.startswith("Nội dung báo cáo")]
    assert parts[0] == "Nội dung báo cáo" and parts[1] == "Nội dung báo cáo (2)" and len(parts) == -(-n // 39)
    rows = [r for s in parts for r in wb[s].iter_rows(min_row=2, values_only=True)]
    headers = {next(wb[s].iter_rows(max_row=1, values_only=True)) for s in parts}
    assert len(rows) == n and len(headers) == 1, "every part has all the rows between them, under one header"
