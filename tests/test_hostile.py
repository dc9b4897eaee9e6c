"""Hostile input: every file must fail with one short line, quickly and in little memory."""

from __future__ import annotations

import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import CorruptDocument, EmptyDocument, Encrypted, InputError, LimitExceeded
from pipeline.ingest.limits import Limits
from pipeline.ingest.readers import read

sys.path.insert(0, str(Path(__file__).parent))
import hostile

# fmt: off
CASES = [
    ("empty",               EmptyDocument,   "empty"),
    ("binary-junk-txt",     CorruptDocument, "binary data, not text"),
    ("truncated-pdf",       CorruptDocument, "pdf"),
    ("encrypted-pdf",       Encrypted,       "password"),
    ("not-zip-docx",        CorruptDocument, "not a valid .docx (not a zip archive)"),
    ("zip-bomb-docx",       LimitExceeded,   "zip bomb"),
    ("ratio-bomb-docx",     LimitExceeded,   "inflates"),
    ("billion-laughs-docx", CorruptDocument, "dtd"),
    ("xxe-docx",            CorruptDocument, "dtd"),
    ("huge-text",           LimitExceeded,   "too large"),
]
# fmt: on


@pytest.mark.parametrize("name,error,reason", CASES)
def test_hostile_file_is_refused_with_one_line(tmp_path: Path, name: str, error: type, reason: str) -> None:
    path = hostile.HOSTILE[name](tmp_path)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(InputError) as info:
            read(path, limits=Limits())
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    err = info.value
    assert isinstance(err, error), f"{type(err).__name__}: {err}"
    msg = str(err)
    assert "\n" not in msg and 0 < len(msg) <= 200
    assert reason.lower() in msg.lower()
    assert elapsed < 5.0
    assert peak < 64 * 1024 * 1024, f"peak Python memory {peak / 2**20:.0f} MiB"


def test_text_limit_applies_to_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "dai.txt"
    path.write_text("Báo cáo kết quả. " * 1000, encoding="utf-8")
    with pytest.raises(LimitExceeded, match="text too long"):
        read(path, limits=Limits(max_text_chars=5000))


def test_pdf_page_limit(tmp_path: Path) -> None:
    path = tmp_path / "nhieu-trang.pdf"
    path.write_bytes(hostile.small_pdf(pages=4))
    with pytest.raises(LimitExceeded, match="4 pages"):
        read(path, limits=Limits(max_pdf_pages=3))


def test_docx_member_limit(tmp_path: Path) -> None:
    path = hostile.minimal_docx(tmp_path / "nhieu.docx", "<w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p>")
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(30):
            zf.writestr(f"word/media/x{i}.bin", b"x")
    with pytest.raises(LimitExceeded, match="members"):
        read(path, limits=Limits(max_zip_members=20))


def test_minimal_docx_without_hostility_reads(tmp_path: Path) -> None:
    """The generator's plain archive must pass the guard: the refusals above are not blanket."""
    path = hostile.minimal_docx(tmp_path / "ok.docx", "<w:p><w:r><w:t>Báo cáo số 12</w:t></w:r></w:p>")
    assert read(path, limits=Limits()).text.strip() == "Báo cáo số 12"


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\xff" * 300,  # NULs in every other byte: looks like UTF-16 but is not text
        bytes(range(256)) * 20,
        b"\x89PNG\r\n\x1a\n" + bytes(2000),
    ],
)
def test_binary_under_txt_name(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bao-cao.txt"
    path.write_bytes(data)
    with pytest.raises(CorruptDocument, match="binary data, not text"):
        read(path, limits=Limits())
