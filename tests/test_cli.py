"""The ``baocao`` command as a user runs it: ``python -m pipeline.cli`` in a subprocess.

Subprocesses, not an in-process runner: what is checked is the real console output (no
traceback anywhere) and the real exit code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile

ROOT = Path(__file__).resolve().parent.parent

REPORT = """ỦY BAN NHÂN DÂN
TỈNH {province_upper}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}
{province}, ngày {day} tháng 12 năm 2025

BÁO CÁO
Kết quả công tác cải cách hành chính năm 2025

Kính gửi: Bộ Nội vụ.

I. KẾT QUẢ ĐẠT ĐƯỢC
Năm 2025, tỉnh đã tổ chức 15 hội nghị tập huấn.
II. HẠN CHẾ
Việc số hóa hồ sơ còn chậm.

Nơi nhận:
- Bộ Nội vụ;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

{signer}
"""


def report_text(number: str = "125/BC-UBND", province: str = "Đồng Nai", day: int = 15, signer: str = "Nguyễn Văn An") -> str:
    return REPORT.format(number=number, province=province, province_upper=province.upper(), day=day, signer=signer)


def baocao(*args: Any, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]


@pytest.fixture()
def stub_model(tmp_path: Path) -> dict[str, str]:
    """The environment that points the findings stage at a fitted stand-in model."""
    import joblib
    from sklearn.dummy import DummyClassifier

    model = DummyClassifier(strategy="prior").fit([[0]] * 4, ["achievement", "achievement", "shortcoming", "none"])
    path = tmp_path / "model" / "model.joblib"
    path.parent.mkdir()
    joblib.dump(model, path)
    return {"BAOCAO_FINDINGS_MODEL": str(path.parent)}


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    """Two good reports (one in a sub-folder) and three broken files, side by side."""
    root = tmp_path / "vao"
    (root / "2025" / "quy-4").mkdir(parents=True)
    (root / "bc-dong-nai.txt").write_text(report_text(), encoding="utf-8")
    (root / "2025" / "quy-4" / "bc-lam-dong.md").write_text(
        report_text("329/BC-UBND", "Lâm Đồng", 19, "Nguyễn Ngọc Phúc"), encoding="utf-8"
    )
    hostile.empty_file(root)  # rong.txt
    hostile.binary_junk_txt(root / "2025")  # 2025/bao-cao.txt
    hostile.not_zip_docx(root / "2025" / "quy-4")  # 2025/quy-4/bao-cao.docx
    (root / ".an").mkdir()
    (root / ".an" / "nhap.txt").write_text(report_text(), encoding="utf-8")  # hidden: not read
    (root / "bang.xlsx").write_bytes(b"PK")  # unsupported: not read
    return root


BROKEN = {
    "rong.txt": "empty file",
    "2025/bao-cao.txt": "binary data, not text",
    "2025/quy-4/bao-cao.docx": "not a valid .docx (not a zip archive)",
}


def test_parse_a_folder_recursively(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "ra" / "parsed.jsonl"
    proc = baocao("parse", mixed_folder, "-o", out, "--jobs", 2)
    no_traceback(proc)
    assert proc.returncode == 0  # some files failed, the batch went on
    recs = records(out)
    by_path = {Path(r["source"]["path"]).relative_to(mixed_folder).as_posix(): r for r in recs}
    assert sorted(by_path) == sorted([*BROKEN, "bc-dong-nai.txt", "2025/quy-4/bc-lam-dong.md"])
    assert by_path["bc-dong-nai.txt"]["number"]["text"] == "125/BC-UBND"
    assert by_path["2025/quy-4/bc-lam-dong.md"]["number"]["text"] == "329/BC-UBND"
    assert by_path["2025/quy-4/bc-lam-dong.md"]["signature"]["signer"] == "Nguyễn Ngọc Phúc"
    lines = proc.stderr.splitlines()
    for rel, reason in BROKEN.items():
        rec = by_path[rel]
        path = mixed_folder / rel
        assert rec["status"] == "error" and rec["error"] == f"{path}: {reason}"
        assert [line for line in lines if str(path) in line] == [f"{path}: {reason}"]  # one line per file
    assert lines[-1] == f"2 parsed, 3 failed; written to {out}"
    assert proc.stdout == ""


def test_parse_files_to_stdout(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(report_text(), encoding="utf-8")
    b.write_text(report_text("07/BC-UBND", "Bình Phước", 3), encoding="utf-8")
    proc = baocao("parse", b, a)
    no_traceback(proc)
    assert proc.returncode == 0
    recs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["number"]["text"], r["date"]) for r in recs] == [("07/BC-UBND", "2025-12-03"), ("125/BC-UBND", "2025-12-15")]
    assert proc.stderr.strip() == "2 parsed, 0 failed"


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param(["khong-co.txt"], id="missing-file"),
        pytest.param(["khong-co.txt", "cung-khong-co/"], id="two-missing"),
        pytest.param(["thu-muc-rong"], id="empty-folder"),
    ],
)
def test_no_input_exits_2(tmp_path: Path, inputs: list[str]) -> None:
    (tmp_path / "thu-muc-rong").mkdir()
    (tmp_path / "thu-muc-rong" / "ghi-chu.json").write_text("{}", encoding="utf-8")
    proc = baocao("parse", *inputs, "-o", tmp_path / "out.jsonl", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "no input files"
    assert not (tmp_path / "out.jsonl").exists()


def test_a_missing_file_among_good_ones_is_an_error_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(report_text(), encoding="utf-8")
    proc = baocao("parse", "khong-co.txt", "a.txt", "-o", "out.jsonl", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0
    recs = records(tmp_path / "out.jsonl")
    assert [(r["source"]["path"], r["status"], r["error"]) for r in recs] == [
        ("khong-co.txt", "error", "khong-co.txt: no such file or folder"),
        ("a.txt", "ok", None),
    ]
    assert proc.stderr.splitlines() == ["khong-co.txt: no such file or folder", "1 parsed, 1 failed; written to out.jsonl"]


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(report_text(), encoding="utf-8")
    (tmp_path / "tep").write_text("", encoding="utf-8")
    proc = baocao("parse", "a.txt", "-o", "tep/out.jsonl", cwd=tmp_path)  # a file where a folder should be
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tep/out.jsonl: cannot write")


def test_extract_adds_the_extract_keys(tmp_path: Path, stub_model: dict[str, str]) -> None:
    (tmp_path / "a.txt").write_text(report_text(), encoding="utf-8")
    hostile.empty_file(tmp_path)
    proc = baocao("extract", tmp_path, "-o", tmp_path / "out.jsonl", env=stub_model)
    no_traceback(proc)
    assert proc.returncode == 0
    ok, bad = records(tmp_path / "out.jsonl")
    assert ok["status"] == "ok" and bad["error"] == f"{tmp_path / 'rong.txt'}: empty file"
    for key in ("agencies", "persons", "periods", "reporting_period", "references", "metrics", "findings"):
        assert key in ok
    assert ok["reporting_period"]["start"] == "2025-01-01" and ok["reporting_period"]["end"] == "2025-12-31"
    assert [f["category"] for f in ok["findings"]] and {f["category"] for f in ok["findings"]} == {"achievement"}


def test_help_lists_the_commands() -> None:
    proc = baocao("--help")
    assert proc.returncode == 0
    for cmd in ("parse", "extract", "evaluate", "train", "run", "report"):
        assert cmd in proc.stdout


# ---------------------------------------------------------------------------------------------
# evaluate


def _gold(doc_id: str, number: str, date: str, signer: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": doc_id,
        "doc_type": "BC",
        "number": number,
        "issuer": None,  # filled below from the province
        "place": None,
        "date": date,
        "signer": signer,
        "recipients": ["Bộ Nội vụ", "Lưu: VT"],
        "top_sections": [{"number": "I", "heading": "KẾT QUẢ ĐẠT ĐƯỢC"}, {"number": "II", "heading": "HẠN CHẾ"}],
        **extra,
    }


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    """Two documents; the gold of ``b`` disagrees with it on the number and the signer."""
    corpus = tmp_path / "corpus"
    (corpus / "docs").mkdir(parents=True)
    (corpus / "gold").mkdir()
    (corpus / "docs" / "a.txt").write_text(report_text("125/BC-UBND", "Đồng Nai", 15), encoding="utf-8")
    (corpus / "docs" / "b.txt").write_text(report_text("07/BC-UBND", "Bình Phước", 3), encoding="utf-8")
    (corpus / "docs" / "c.txt").write_text(report_text("9/BC-UBND"), encoding="utf-8")  # no gold: not scored
    golds = [
        _gold("a", "125/BC-UBND", "2025-12-15", "Nguyễn Văn An", issuer="ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", place="Đồng Nai"),
        _gold("b", "70/BC-UBND", "2025-12-03", "Trần Văn Bình", issuer="ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", place="Bình Phước"),
    ]
    for g in golds:
        (corpus / "gold" / f"{g['id']}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    return corpus


# fmt: off
EXPECTED = {
    # field: (accuracy, right, total)
    "doc_type": (1.0, 2, 2),
    "number":   (0.5, 1, 2),
    "issuer":   (1.0, 2, 2),
    "place":    (1.0, 2, 2),
    "date":     (1.0, 2, 2),
    "signer":   (0.5, 1, 2),
    "title":    (None, 0, 0),   # not in this gold: not scored
}
# fmt: on


def _check_figures(result: dict[str, Any]) -> None:
    assert result["documents"] == 2
    for field, (acc, right, total) in EXPECTED.items():
        got = result["fields"][field]
        assert (got["accuracy"], got["right"], got["total"]) == (acc, right, total), field
    assert result["recipients"]["f1"] == 1.0 and result["recipients"]["tp"] == 4
    assert result["sections_l1"]["f1"] == 1.0 and result["sections_l1"]["tp"] == 4
    assert result["misses"]["number"] == [{"doc": "b", "pred": "07/BC-UBND", "gold": "70/BC-UBND"}]


def test_evaluate_predictions_file(tiny_corpus: Path, tmp_path: Path) -> None:
    pred = tmp_path / "parsed.jsonl"
    assert baocao("parse", tiny_corpus / "docs", "-o", pred).returncode == 0
    proc = baocao("evaluate", pred, "--gold", tiny_corpus / "gold", "--json")
    no_traceback(proc)
    assert proc.returncode == 0
    _check_figures(json.loads(proc.stdout))
    table = baocao("evaluate", pred, "--corpus", tiny_corpus, "--misses")
    assert table.returncode == 0
    rows = {line.split()[0]: line.split()[1:] for line in table.stdout.splitlines() if line.strip()}
    assert rows["number"] == ["50.0%", "1", "2"]
    assert rows["date"] == ["100.0%", "2", "2"]
    assert rows["signer"] == ["50.0%", "1", "2"]
    assert rows["title"] == ["-", "0", "0"]
    assert "  b: got '07/BC-UBND', gold '70/BC-UBND'" in table.stdout.splitlines()


def test_evaluate_parses_the_corpus_itself(tiny_corpus: Path) -> None:
    proc = baocao("evaluate", "--corpus", tiny_corpus, "--parse-only", "--json")
    no_traceback(proc)
    assert proc.returncode == 0
    _check_figures(json.loads(proc.stdout))


def test_evaluate_counts_a_failed_file_as_wrong(tiny_corpus: Path, tmp_path: Path) -> None:
    (tiny_corpus / "docs" / "a.txt").write_bytes(b"")
    pred = tmp_path / "parsed.jsonl"
    baocao("parse", tiny_corpus / "docs", "-o", pred)
    result = json.loads(baocao("evaluate", pred, "--gold", tiny_corpus / "gold", "--json").stdout)
    assert result["documents"] == 2
    assert result["fields"]["date"]["right"] == 1 and result["fields"]["number"]["right"] == 0


@pytest.mark.parametrize(
    "args,message",
    [
        pytest.param(["evaluate"], "give --gold DIR or --corpus DIR", id="no-gold"),
        pytest.param(["evaluate", "--gold", "khong-co"], "khong-co: gold folder not found", id="missing-gold"),
        pytest.param(["evaluate", "khong-co.jsonl", "--gold", "gold"], "khong-co.jsonl: unreadable predictions", id="missing-pred"),
        pytest.param(["evaluate", "hong.jsonl", "--gold", "gold"], "hong.jsonl: unreadable predictions", id="bad-json"),
        pytest.param(["evaluate", "--gold", "gold-hong"], "gold-hong: unreadable gold", id="bad-gold"),
    ],
)
def test_evaluate_usage_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold-hong").mkdir()
    (tmp_path / "gold-hong" / "a.json").write_text("{không phải json", encoding="utf-8")
    (tmp_path / "hong.jsonl").write_text('{"status": "ok"}\n{cắt ngang', encoding="utf-8")
    proc = baocao(*args, cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.startswith(message) and len(proc.stderr.strip().splitlines()) == 1


def test_extract_links_references_between_documents_of_the_batch(tmp_path: Path) -> None:
    """A report citing the request letter of the same batch points to it by id."""
    demo = ROOT / "corpora" / "demo" / "2025"
    out = tmp_path / "ex.jsonl"
    proc = baocao("extract", str(demo / "BTGDVTU_CV-148.pdf"), str(demo / "TAND-tinh_BC-167.txt"), "-o", str(out))
    no_traceback(proc)
    recs = {r["number"]["text"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    request, report = recs["148-CV/BTGDVTU"], recs["167/BC-TA"]
    cited = {x["number"]: x.get("doc_id") for x in report["references"]}
    assert cited["148-CV/BTGDVTU"] == request["id"]
    assert all(x.get("doc_id") is None for x in request["references"])  # the programme is not in the batch


def test_run_that_cannot_build_its_tables_says_so_in_one_line_and_keeps_the_work(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(report_text(), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "tables").write_text("", encoding="utf-8")  # a file where the tables go
    proc = baocao("run", "a.txt", "-o", "out", "--jobs", "1", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("out: tables and comparisons not built: ") and "run the same command again" in last

    (tmp_path / "out" / "tables").unlink()
    again = baocao("run", "a.txt", "-o", "out", "--jobs", "1", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 processed, 1 already done" in again.stderr
