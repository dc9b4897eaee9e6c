"""Aggregate stage: grouping, persistence, submissions, the ledger, resume after SIGKILL, Dask."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.aggregate.compare import compare_all
from pipeline.aggregate.grouping import group_findings
from pipeline.aggregate.ledger import Ledger
from pipeline.aggregate.tables import build_tables
from pipeline.nlp.requests import requested_points

ROOT = Path(__file__).resolve().parent.parent


def _findings(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"finding_id": f"{d}:{i}", "doc_id": d, "body_key": b, "body": b, "category": c, "text": t}
            for i, (d, b, c, t) in enumerate(rows)
        ]
    )


# fmt: off
PARAPHRASES = [
    ("d1", "HĐND", "shortcoming", "Nội dung tuyên truyền chưa phong phú, hình thức tuyên truyền chưa đa dạng"),
    ("d2", "UBND", "shortcoming", "Hình thức tuyên truyền còn đơn điệu, nội dung tuyên truyền chưa hấp dẫn"),
    ("d3", "TAND", "shortcoming", "Kinh phí bảo đảm cho công tác phổ biến pháp luật còn hạn hẹp"),
    ("d4", "VKSND", "shortcoming", "Kinh phí dành cho công tác phổ biến pháp luật còn hạn chế, chưa đáp ứng yêu cầu"),
    ("d1", "HĐND", "shortcoming", "Một số cơ quan gửi báo cáo chậm so với thời hạn quy định"),
    ("d2", "UBND", "achievement", "Đã tổ chức 45 hội nghị tuyên truyền với 3.200 lượt người tham dự"),
]
# fmt: on


def test_group_findings_joins_paraphrases_across_bodies() -> None:
    f = _findings(PARAPHRASES)
    g = group_findings(f).set_index("finding_id")["group_id"]
    assert g["d1:0"] == g["d2:1"], "the same shortcoming in other words is one group"
    assert g["d3:2"] == g["d4:3"]
    assert g["d1:0"] != g["d3:2"]
    assert g["d1:4"] not in {g["d1:0"], g["d3:2"]}
    assert g["d2:5"].startswith("achievement"), "groups never mix categories"


def test_persistence_persists_new_resolved() -> None:
    f = _findings(
        [
            ("a24", "UBND", "shortcoming", "Kinh phí cho công tác tuyên truyền còn hạn hẹp"),
            ("a24", "UBND", "shortcoming", "Đội ngũ báo cáo viên còn thiếu về số lượng"),
            ("a25", "UBND", "shortcoming", "Kinh phí cho công tác tuyên truyền vẫn còn hạn hẹp"),
            ("a25", "UBND", "shortcoming", "Ứng dụng công nghệ thông tin trong tuyên truyền chưa hiệu quả"),
        ]
    )
    docs = pd.DataFrame(
        [
            {"doc_id": "a24", "body_key": "UBND", "body": "UBND", "period_start": "2024-01-01", "date": "2024-12-10"},
            {"doc_id": "a25", "body_key": "UBND", "body": "UBND", "period_start": "2025-01-01", "date": "2025-12-10"},
        ]
    )
    p = compare_all({"findings": f, "documents": docs})["persistence"]
    status = dict(zip(p["text"], p["status"], strict=True))
    assert status["Kinh phí cho công tác tuyên truyền vẫn còn hạn hẹp"] == "persists"
    assert status["Ứng dụng công nghệ thông tin trong tuyên truyền chưa hiệu quả"] == "new"
    assert status["Đội ngũ báo cáo viên còn thiếu về số lượng"] == "resolved"
    assert set(p["from_period"]) == {"2024-01-01"}


def test_groups_do_not_depend_on_the_order_of_the_files() -> None:
    f = _findings(PARAPHRASES)
    a = group_findings(f).set_index("finding_id")["group_id"]
    b = group_findings(f.iloc[::-1].reset_index(drop=True)).set_index("finding_id")["group_id"]

    def partition(g: pd.Series) -> set[frozenset[str]]:
        return {frozenset(ids) for ids in g.groupby(g).groups.values()}

    assert partition(a) == partition(b)


# fmt: off
# (document, its number, its date) and the citations (citing document, number, date) → the link
LINK_DOCS = [
    ("a", "12/BC-UBND", "2024-03-01"), ("b", "12/BC-UBND", "2023-05-02"), ("c", "12/BC-UBND", None),
    ("d", "7/KH-UBND", "2024-01-10"), ("e", "/BC-VKS", "2024-02-02"),
    ("f", "5/CV-BTG", "2024-04-04"), ("g", "5/CV-BTG", "2024-04-04"), ("h", "5/CV-BTG", "2024-04-04"),
    ("i", "9/TB-HU", None), ("j", "9/TB-HU", None),
]
LINK_CASES = [
    ("x", "12/BC-UBND", "2024-03-01", "a"),   # the date picks one of three
    ("x", "12/BC-UBND", "2022-01-01", "c"),   # no dated match: the undated candidate
    ("x", "12/BC-UBND", None, None),          # three candidates, no date: no guess
    ("x", "7 / KH – UBND", None, "d"),        # spacing and dashes of the citation
    ("d", "7/KH-UBND", None, None),           # a document does not cite itself
    ("x", "/BC-VKS", None, None),             # a draft's blank number never matches
    ("f", "5/CV-BTG", "2024-04-04", None),    # three with the same date, one the citing document
    ("x", "9/TB-HU", None, None),
    ("i", "9/TB-HU", None, "j"),              # of two, the one that is not the citing document
    ("x", "99/BC-XYZ", None, None),
]
# fmt: on


def test_links_of_the_batch_run_follow_the_rule_of_extract() -> None:
    """The run links citations from a compact index; the answers are those of ``resolve_links``."""
    from pipeline.nlp.references import resolve_links

    docs = pd.DataFrame([{"doc_id": d, "number": n, "date": t} for d, n, t in LINK_DOCS])
    refs = pd.DataFrame([{"doc_id": d, "number": n, "date": t} for d, n, t, _ in LINK_CASES])
    tables = {"documents": docs, "references": refs}
    compare_all(tables)
    expected = [want for *_, want in LINK_CASES]
    assert resolve_links(LINK_DOCS, [(d, n, t) for d, n, t, _ in LINK_CASES]) == expected
    assert [x if isinstance(x, str) else None for x in tables["references"]["linked_doc_id"]] == expected


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("Báo cáo kết quả thực hiện; hạn chế, nguyên nhân; đề xuất, kiến nghị", ["ket_qua", "han_che", "nguyen_nhan", "kien_nghi"]),
        ("đánh giá ưu điểm, khó khăn và phương hướng nhiệm vụ năm 2026", ["ket_qua", "han_che", "phuong_huong"]),
        ("Đề nghị các cơ quan gửi báo cáo.", ["kien_nghi"]),
    ],
)
def test_requested_points(text: str, points: list[str]) -> None:
    assert requested_points(text) == points


def _rec(did: str, number: str, body: str, date: str, refs: list[str], cats: list[str], **extra) -> dict:
    return {
        "id": did, "status": "ok", "source": {"path": f"{did}.txt", "sha256": did * 4, "format": "txt"},
        "number": {"text": number}, "issuer": {"name": body.upper()}, "date": date, "doc_type": extra.pop("doc_type", "BC"),
        "issuing_body": {"key": body, "canonical": body}, "references": [{"number": r, "span": [0, 5]} for r in refs],
        "findings": [{"category": c, "text": f"{c} {did}", "span": [0, 1], "confidence": 0.9} for c in cats],
        **extra,
    }


def test_submissions_on_time_late_missing() -> None:
    request = _rec(
        "req", "12-CV/BTGTU", "Ban Tuyên giáo Tỉnh ủy", "2025-11-20", [], [], doc_type="CV",
        recipient_bodies=[{"text": t, "key": t, "canonical": t} for t in ("HĐND tỉnh", "UBND tỉnh", "Tòa án nhân dân tỉnh", "Lưu: VT")],
        deadline={"date": "2025-12-10"}, requested_points=["ket_qua", "han_che", "kien_nghi"],
    )
    a = _rec("a", "5/BC-HĐND", "HĐND tỉnh", "2025-12-05", ["12-CV/BTGTU"], ["achievement", "shortcoming"])
    b = _rec("b", "7/BC-UBND", "UBND tỉnh", "2025-12-15", ["12-CV/BTGTU"], ["achievement", "shortcoming", "recommendation"])
    recs = [request, a, b]
    t = build_tables(recs)
    s = compare_all(t, recs)["submissions"].set_index("body")
    assert s.loc["HĐND tỉnh", "status"] == "submitted"
    assert s.loc["HĐND tỉnh", "points_missing"] == "kien_nghi"
    assert s.loc["UBND tỉnh", "status"] == "late" and s.loc["UBND tỉnh", "days_late"] == 5
    assert s.loc["Tòa án nhân dân tỉnh", "status"] == "missing"
    assert "Lưu: VT" not in s.index


def test_submissions_from_a_list_of_expected_bodies_and_a_deadline() -> None:
    """No request letter in the batch: ``--expected`` and ``--deadline`` say who owes what, by when."""
    a = _rec("a", "5/BC-HĐND", "HĐND tỉnh", "2025-12-05", [], ["achievement", "shortcoming", "recommendation"])
    b = _rec("b", "7/BC-UBND", "UBND tỉnh", "2025-12-15", [], ["achievement"])
    recs = [a, b]
    request = {"expected": ["HĐND tỉnh", "UBND tỉnh", "Viện kiểm sát nhân dân tỉnh"], "deadline": "2025-12-10"}
    s = compare_all(build_tables(recs), recs, request=request)["submissions"].set_index("body")
    assert s.loc["HĐND tỉnh", "status"] == "submitted"
    assert s.loc["HĐND tỉnh", "points_missing"] == "nguyen_nhan; phuong_huong"  # all points are asked by default
    assert s.loc["UBND tỉnh", "status"] == "late" and s.loc["UBND tỉnh", "days_late"] == 5
    assert "han_che" in s.loc["UBND tỉnh", "points_missing"]
    assert s.loc["Viện kiểm sát nhân dân tỉnh", "status"] == "missing"
    assert set(s["request_doc"].isna()) == {True}


def test_ledger_keeps_one_row_per_content(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as led:
        led.put({"status": "ok", "source": {"path": "a.txt", "sha256": "x"}})
        led.put({"status": "ok", "source": {"path": "b.txt", "sha256": "x"}})
        led.put({"status": "error", "error": "c.txt: empty file", "source": {"path": "c.txt", "sha256": "y"}})
        assert led.count() == (1, 1)
        assert led.done() == {"x", "y"}
        assert led.forget_errors() == 1 and led.done() == {"x"}


# ---------------------------------------------------------------- whole runs

REPORT = """ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN {n}                          Độc lập - Tự do - Hạnh phúc
Số: {n}/BC-UBND                    {place}, ngày 10 tháng 12 năm 2024

BÁO CÁO
Kết quả công tác tuyên truyền, phổ biến pháp luật năm 2024

I. KẾT QUẢ ĐẠT ĐƯỢC
1. Đã tổ chức {n} hội nghị tuyên truyền pháp luật với {m} lượt người tham dự.
2. Công tác hòa giải ở cơ sở được quan tâm, tỷ lệ hòa giải thành đạt {p}%.
II. HẠN CHẾ, NGUYÊN NHÂN
1. Hình thức tuyên truyền chưa đa dạng, kinh phí còn hạn hẹp.
2. Nguyên nhân là do đội ngũ báo cáo viên còn thiếu.
III. PHƯƠNG HƯỚNG
Tiếp tục đổi mới hình thức tuyên truyền, phổ biến pháp luật.

Nơi nhận:                                  TM. ỦY BAN NHÂN DÂN
- UBND tỉnh;                               CHỦ TỊCH
- Lưu: VT.
                                           Nguyễn Văn {n}
"""


def _make_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"bc{i:03d}.txt").write_text(
            REPORT.format(n=i + 1, m=100 + 7 * i, p=80 + i % 15, place="Long Khánh"), encoding="utf-8"
        )
    (folder / "junk.txt").write_bytes(b"\x00\x01\x02\xff" * 300)
    (folder / "empty.docx").write_bytes(b"")


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    import duckdb

    con = duckdb.connect(str(out / "baocao.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        return {n: con.execute(f'SELECT * FROM "{n}"').df() for n in names}
    finally:
        con.close()


def _assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for name in a:
        x = a[name].drop(columns=["path"], errors="ignore").reset_index(drop=True)
        y = b[name].drop(columns=["path"], errors="ignore").reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y, check_dtype=False, obj=name)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


@pytest.mark.slow
def test_run_resumes_after_sigkill_without_loss_or_doubles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, 40)
    ref = tmp_path / "ref"
    subprocess.run(_cli("run", str(corpus), "-o", str(ref), "--jobs", "2"), check=True, capture_output=True)

    out = tmp_path / "killed"
    proc = subprocess.Popen(_cli("run", str(corpus), "-o", str(out), "--jobs", "2"), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(out / "ledger.sqlite", timeout=1) as db:
                done = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        except sqlite3.Error:
            done = 0
        if done >= 8:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < done < 42, "the kill must land part-way through the run"
    assert not (out / "baocao.duckdb").exists()

    res = subprocess.run(_cli("run", str(corpus), "-o", str(out), "--jobs", "2"), check=True, capture_output=True, text=True)
    assert "already done" in res.stderr
    a, b = _tables(ref), _tables(out)
    _assert_same_tables(a, b)
    assert len(a["documents"]) == 40 and a["documents"]["doc_id"].is_unique
    assert len(a["errors"]) == 2 and a["errors"]["error"].str.contains("junk.txt|empty.docx").all()


@pytest.mark.slow
def test_run_on_local_dask_cluster_matches_local_pool(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from pipeline.aggregate.run import run

    corpus = tmp_path / "corpus"
    _make_corpus(corpus, 6)
    run([corpus], tmp_path / "pool", jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run([corpus], tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert summary.ok == 6 and summary.failed == 2
    _assert_same_tables(_tables(tmp_path / "pool"), _tables(tmp_path / "dask"))


@pytest.mark.slow
def test_run_on_the_real_corpus_ends_with_every_failure_in_the_error_table(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = subprocess.run(
        _cli("run", str(corpus_dir / "docs"), str(corpus_dir / "binary"), "-o", str(out)), capture_output=True, text=True
    )
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-2000:]
    rep = subprocess.run(_cli("report", str(out)), capture_output=True, text=True)
    assert rep.returncode == 0 and "Traceback" not in rep.stderr, rep.stderr[-2000:]
    t = _tables(out)
    n_inputs = len(list((corpus_dir / "docs").glob("*.txt"))) + len([p for p in (corpus_dir / "binary").iterdir() if p.is_file()])
    assert len(t["documents"]) + len(t["errors"]) == n_inputs
    # the only failures are the formats announced as not supported yet (.doc, scanned PDF)
    assert t["errors"]["error"].str.contains("not supported yet").all(), t["errors"]["error"].tolist()
    assert len(t["findings"]) > 1000 and set(t["findings"]["category"]) == {
        "achievement", "shortcoming", "cause", "task", "recommendation"
    }


def test_graph_clustering_of_large_batches_agrees_with_the_dense_path() -> None:
    """Past DENSE_LIMIT findings, clustering runs on the sparse graph of close pairs."""
    from pipeline.aggregate.grouping import cluster, finding_vectors

    texts = [t for _d, _b, c, t in PARAPHRASES if c == "shortcoming"] * 3  # each concern thrice
    f = finding_vectors(texts)
    dense = cluster(f, 0.35)
    graph = cluster(f, 0.35, dense_limit=6, chunk=4)  # 15 rows: the graph path, components of 6, 6, 3

    def pairs(labels):
        return {(i, j) for i in range(len(labels)) for j in range(i + 1, len(labels)) if labels[i] == labels[j]}

    assert pairs(graph) == pairs(dense)
    assert len(set(dense)) == 3  # form, funding, late reports


@pytest.mark.parametrize(
    ("number", "code"),
    [("148-CV/BTGDVTU", "BTGDVTU"), ("12/BC-UBND", "UBND"), ("06/2024/QĐ-UBND", "UBND"), ("1967/UBND-HCC", "UBND"), (None, "")],
)
def test_report_number_symbol_takes_the_issuers_code(number: str | None, code: str) -> None:
    from pipeline.aggregate.report import _issuer_code

    assert _issuer_code(number) == code


def test_database_copy_gives_a_table_of_very_wide_rows_more_memory(tmp_path: Path) -> None:
    """16 MB suffice for a batch of any length, but not for one row group of 22 MB of text."""
    import duckdb

    from pipeline.aggregate import store

    (tmp_path / "tables").mkdir()
    ids = ["; ".join(f"{i:016x}:{j}" for j in range(2500)) for i in range(400)]
    pd.DataFrame({"k": range(400), "ids": ids}).to_parquet(tmp_path / "tables" / "wide.parquet", row_group_size=1000)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{store.MEMORY_LIMITS[0]}'")
    with pytest.raises(duckdb.OutOfMemoryException):  # the first limit alone would fail
        con.execute(f"CREATE TABLE w AS SELECT * FROM read_parquet('{tmp_path / 'tables' / 'wide.parquet'}')")
    db = store.write_database(tmp_path, ["wide"])
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(length(ids)) FROM wide").fetchone() == (400, sum(map(len, ids)))


def test_a_failed_database_copy_is_one_line_and_leaves_no_half_file(tmp_path: Path) -> None:
    from pipeline.aggregate import store

    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "broken.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(RuntimeError) as err:
        store.write_database(tmp_path, ["broken"])
    assert str(err.value).startswith(f"database {tmp_path / 'baocao.duckdb'} not written: ")
    assert "\n" not in str(err.value) and "Traceback" not in str(err.value)
    assert not (tmp_path / "baocao.duckdb").exists()


def test_run_processes_each_content_once_however_often_it_is_named(tmp_path: Path) -> None:
    from pipeline.aggregate.run import run

    corpus = tmp_path / "corpus"
    _make_corpus(corpus, 2)
    (corpus / "ban-sao.txt").write_bytes((corpus / "bc000.txt").read_bytes())  # a copy under another name
    inputs = [corpus, corpus / "bc001.txt"]  # and a file named twice
    first = run(inputs, tmp_path / "out", jobs=1, aggregate=False)
    assert (first.inputs, first.processed, first.skipped) == (6, 4, 2)  # bc000, bc001, junk, empty
    again = run(inputs, tmp_path / "out", jobs=1, aggregate=False)
    assert (again.processed, again.skipped) == (0, 6)


def test_database_copy_appears_only_when_committed(tmp_path: Path) -> None:
    """A parent killed half-way leaves no half database: the copy needs the parent's commit."""
    from pipeline.aggregate.store import DatabaseCopy

    (tmp_path / "tables").mkdir()
    pd.DataFrame({"a": [1, 2]}).to_parquet(tmp_path / "tables" / "t.parquet")
    lost = DatabaseCopy(tmp_path)
    lost.add(["t"])
    lost._proc.stdin.close()  # what the child sees when its parent dies
    assert lost._proc.wait(timeout=60) == 0
    assert not (tmp_path / "baocao.duckdb").exists() and not list(tmp_path.glob(".*.tmp"))

    db = DatabaseCopy(tmp_path)
    db.add(["t"])
    assert db.close() == tmp_path / "baocao.duckdb" and db.peak_mib and db.peak_mib > 0
