"""The batch runner: per-file time and memory limits, one record per file, input order kept.

The workers below are module-level so that the pool can pickle them; the file name tells each
one what to do (``ngu`` sleeps forever, ``an-bo-nho`` allocates without end, ...).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import error_record, expand_inputs, run_files
from pipeline.ingest.limits import Limits
from pipeline.isolate import IsolatedWorker

REPORT = """ỦY BAN NHÂN DÂN
TỈNH BÌNH PHƯỚC
Số: 12/BC-UBND
Bình Phước, ngày 05 tháng 01 năm 2024
BÁO CÁO
Kết quả công tác năm 2023
I. KẾT QUẢ
Đã tổ chức 15 hội nghị.
"""


def _ok(path: str) -> dict[str, Any]:
    return {"status": "ok", "error": None, "source": {"path": path}}


def behaving_worker(path: str, limits: Limits) -> dict[str, Any]:
    """Sleep for the seconds the file name says (``0.4.txt``), or misbehave as it says."""
    name = Path(path).stem
    if name == "ngu":
        while True:
            time.sleep(1)
    if name == "an-bo-nho":  # grows until the rlimit stops it
        chunks = []
        while True:
            chunks.append(bytearray(32 * 2**20))
    if name == "mot-lan":  # one allocation far beyond any limit
        return {"size": len(bytearray(1 << 40))}
    if name == "chet":
        os._exit(3)
    if name == "bi-giet":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "loi":
        raise ValueError("cột 3 không phải số")
    if name == "de-quy":  # what a deeply nested document does to a recursive parser
        raise RecursionError("maximum recursion depth exceeded")
    time.sleep(float(name))
    return _ok(path)


def _vm_size() -> int:
    """Virtual size of this process: the pool's workers start from it (fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    pytest.skip("no /proc/self/status: RLIMIT_AS cannot be sized here")


def _run(names: list[str], tmp: Path, **limits: Any) -> list[dict[str, Any]]:
    paths = [tmp / f"{n}.txt" for n in names]
    return list(run_files(paths, behaving_worker, jobs=2, limits=Limits(**limits)))


def test_hung_worker_is_killed_at_the_timeout_and_the_batch_goes_on(tmp_path: Path) -> None:
    t0 = time.monotonic()
    recs = _run(["0", "ngu", "0.1"], tmp_path, timeout_s=1.0)
    elapsed = time.monotonic() - t0
    assert [r["status"] for r in recs] == ["ok", "error", "ok"]
    assert recs[1]["error"] == f"{tmp_path / 'ngu.txt'}: timed out after 1 s"
    assert elapsed < 8, f"the hung worker held the batch for {elapsed:.1f} s"


def test_timeout_with_a_single_worker_process(tmp_path: Path) -> None:
    """The only worker hangs: it is replaced and the files after it still run."""
    paths = [tmp_path / f"{n}.txt" for n in ("ngu", "0", "ngu", "0")]
    recs = list(run_files(paths, behaving_worker, jobs=1, limits=Limits(timeout_s=0.5)))
    assert [r["status"] for r in recs] == ["error", "ok", "error", "ok"]
    assert all("timed out" in r["error"] for r in recs[::2])


@pytest.mark.parametrize("name", ["an-bo-nho", "mot-lan"])
def test_memory_hog_gives_an_error_record(tmp_path: Path, name: str) -> None:
    limit = _vm_size() + 512 * 2**20
    recs = _run(["0", name, "0"], tmp_path, memory_bytes=limit, timeout_s=30)
    assert [r["status"] for r in recs] == ["ok", "error", "ok"]
    assert recs[1]["error"].startswith(f"{tmp_path / (name + '.txt')}: memory limit exceeded")
    assert recs[1]["source"]["path"] == str(tmp_path / f"{name}.txt")


@pytest.mark.parametrize(
    "name,reason",
    [
        ("chet", "worker died (exit code 3)"),
        ("bi-giet", "worker died (killed, probably out of memory)"),
        ("loi", "internal error: ValueError: cột 3 không phải số"),
        ("de-quy", "document nested too deeply"),
    ],
)
def test_crash_of_one_worker_is_one_error_record(tmp_path: Path, name: str, reason: str) -> None:
    recs = _run(["0", name, "0"], tmp_path, timeout_s=30)
    assert [r["status"] for r in recs] == ["ok", "error", "ok"]
    assert recs[1]["error"] == f"{tmp_path / (name + '.txt')}: {reason}"


def test_records_come_back_in_input_order(tmp_path: Path) -> None:
    names = ["0.6", "0", "0.3", "0", "0.1", "0"]  # later files finish first
    recs = _run(names, tmp_path, timeout_s=30)
    assert [Path(r["source"]["path"]).stem for r in recs] == names


def test_in_process_run_turns_exceptions_into_records(tmp_path: Path) -> None:
    seen: list[str] = []
    paths = [tmp_path / "0.txt", tmp_path / "loi.txt"]
    recs = list(run_files(paths, behaving_worker, isolate=False, on_result=lambda r: seen.append(r["status"])))
    assert [r["status"] for r in recs] == seen == ["ok", "error"]
    assert "cột 3 không phải số" in recs[1]["error"]


def test_error_record_of_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.DOCX"
    path.write_bytes(b"PK\x03\x04 hong")
    rec = error_record(path, f"{path}: not a valid .docx")
    assert rec["status"] == "error" and rec["error"] == f"{path}: not a valid .docx"
    assert rec["source"]["format"] == "docx" and rec["source"]["size"] == 9
    assert rec["source"]["sha256"] and rec["id"] == rec["source"]["sha256"][:16]
    missing = error_record(tmp_path / "khong-co", "x")
    assert missing["source"]["sha256"] is None and missing["id"] is None and missing["source"]["format"] is None


# ---------------------------------------------------------------------------------------------
# expand_inputs


def _tree(root: Path, files: list[str]) -> None:
    for f in files:
        p = root / f
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("Báo cáo", encoding="utf-8")


# fmt: off
EXPAND_CASES = [
    # files in the folder, what is kept (relative to the folder)
    (["b.txt", "a.docx", "c/d.pdf"],                 ["a.docx", "b.txt", "c/d.pdf"]),
    ([".an.txt", ".git/x.txt", "ok.md"],             ["ok.md"]),                     # hidden files and folders
    (["bang.xlsx", "anh.png", "ghi-chu", "t.html"],  ["t.html"]),                    # unsupported suffixes
    (["HOA-TOC.DOCX", "cu.doc", "x.htm"],            ["HOA-TOC.DOCX", "cu.doc", "x.htm"]),  # case of the suffix
    (["~$bao-cao.docx", "bao-cao.docx"],             ["bao-cao.docx"]),              # Word's owner (lock) file
]
# fmt: on


@pytest.mark.parametrize("files,kept", EXPAND_CASES)
def test_expand_inputs_of_a_folder(tmp_path: Path, files: list[str], kept: list[str]) -> None:
    _tree(tmp_path, files)
    assert [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])] == kept


def test_expand_inputs_keeps_named_files_once(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt", "b.txt", "ghi-chu.json"])
    named = expand_inputs([tmp_path / "b.txt", tmp_path, tmp_path / "ghi-chu.json", tmp_path / "khong-co.txt"])
    # a file named outright is kept whatever its suffix (the reader decides); duplicates go
    assert [p.name for p in named] == ["b.txt", "a.txt", "ghi-chu.json", "khong-co.txt"]


def test_expand_inputs_inside_a_hidden_folder_named_outright(tmp_path: Path) -> None:
    _tree(tmp_path, [".luu-tru/a.txt", ".luu-tru/.b.txt"])
    assert [p.name for p in expand_inputs([tmp_path / ".luu-tru"])] == ["a.txt"]


# ---------------------------------------------------------------------------------------------
# IsolatedWorker: the child process used on Dask workers


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    p = tmp_path / "bao-cao.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


@pytest.fixture()
def big_report(tmp_path: Path) -> Path:
    """A long but legitimate report: parsing it takes far longer than a tiny time limit."""
    body = "".join(f"{i}. Nội dung {i}\nĐã tổ chức {i} hội nghị tập huấn, đạt 98,5% kế hoạch.\n" for i in range(1, 120000))
    p = tmp_path / "bao-cao-dai.txt"
    p.write_text(REPORT + body, encoding="utf-8")
    return p


def test_isolated_worker_answers_a_good_file_and_a_bad_one(tmp_path: Path, report: Path) -> None:
    (tmp_path / "rong.txt").write_bytes(b"")
    w = IsolatedWorker("parse", Limits(timeout_s=60))
    try:
        rec = w(str(report))
        assert rec["status"] == "ok" and rec["number"]["text"] == "12/BC-UBND"
        bad = w(str(tmp_path / "rong.txt"))
        assert bad["status"] == "error" and bad["error"] == f"{tmp_path / 'rong.txt'}: empty file"
        pid = w._proc.pid  # type: ignore[union-attr]
        assert w(str(report))["status"] == "ok" and w._proc.pid == pid  # type: ignore[union-attr]  # same child
    finally:
        w.close()


def test_isolated_worker_restarts_after_the_child_dies(report: Path) -> None:
    w = IsolatedWorker("parse", Limits(timeout_s=60))
    try:
        assert w(str(report))["status"] == "ok"
        w._proc.kill()  # type: ignore[union-attr]  # as the OOM killer would, between two files
        w._proc.wait()  # type: ignore[union-attr]
        assert w(str(report))["status"] == "ok"
    finally:
        w.close()


def test_isolated_worker_reports_a_child_killed_mid_file(report: Path, big_report: Path) -> None:
    w = IsolatedWorker("parse", Limits(timeout_s=60))
    try:
        assert w(str(report))["status"] == "ok"
        proc = w._proc
        threading.Timer(0.3, proc.kill).start()  # type: ignore[union-attr]
        rec = w(str(big_report))
        assert rec["status"] == "error" and rec["error"] == f"{big_report}: worker died (probably out of memory)"
        assert w(str(report))["status"] == "ok"  # a new child took over
    finally:
        w.close()


def test_isolated_worker_timeout_kills_the_child_and_goes_on(report: Path, big_report: Path) -> None:
    """The time limit is shortened after start-up (which is not what is being timed)."""
    w = IsolatedWorker("parse", Limits(timeout_s=60))
    try:
        assert w(str(report))["status"] == "ok"
        proc = w._proc
        w.limits = Limits(timeout_s=0.2)
        t0 = time.monotonic()
        rec = w(str(big_report))
        assert time.monotonic() - t0 < 5
        assert rec["status"] == "error" and rec["error"] == f"{big_report}: timed out after 0.2 s"
        assert proc.poll() is not None  # type: ignore[union-attr]  # the hung child is gone
        w.limits = Limits(timeout_s=60)
        assert w(str(report))["status"] == "ok"
    finally:
        w.close()


def test_isolated_worker_path_with_a_newline(tmp_path: Path) -> None:
    odd = tmp_path / "bao\ncao.txt"
    odd.write_text(REPORT, encoding="utf-8")
    w = IsolatedWorker("parse", Limits(timeout_s=60))
    try:
        rec = w(str(odd))
        assert rec["status"] == "ok" and rec["source"]["path"] == str(odd)
    finally:
        w.close()


CHATTY_CHILD = """
import sys
import pipeline.jobs as jobs
from pipeline.ingest.limits import Limits

real = jobs.parse_file
def chatty(path, limits):
    print("đang xử lý", path)  # a library that prints to stdout
    return real(path, limits)
jobs.parse_file = chatty
jobs.serve("parse", Limits())
"""


def test_child_protocol_survives_prints_to_stdout(report: Path) -> None:
    """Records are the only lines on the child's stdout, whatever the libraries print."""
    proc = subprocess.run(
        [sys.executable, "-c", CHATTY_CHILD],
        input=json.dumps(str(report)) + "\n" + json.dumps(str(report)) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, proc.stdout[:500]
    assert all(json.loads(line)["status"] == "ok" for line in lines)
    assert "đang xử lý" in proc.stderr
