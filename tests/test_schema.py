"""Every record ``baocao parse`` and ``baocao extract`` write obeys ``schema/document.schema.json``.

The documents are written here, in several formats and both systems (state ND30, Party
HD36), with drafts, e-signatures and appendices, next to files that must fail; the CLI runs
once per command (module-scoped fixtures) and each record is checked three ways: the JSON
Schema, the contract keys of README "Output schema" with their types, and every span
indexing into ``text``.
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
import samples

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema" / "document.schema.json").read_text(encoding="utf-8"))

STATE_REPORT = samples.STATE_REPORT + """
PHỤ LỤC
Số liệu cải cách hành chính năm 2025
(Kèm theo Báo cáo số 125/BC-UBND ngày 15/12/2025 của UBND tỉnh)
"""

PARTY_LETTER = """ĐẢNG BỘ TỈNH ĐỒNG NAI
BAN TUYÊN GIÁO TỈNH ỦY
*
Số 904-CV/BTGTU
V/v triển khai học tập chuyên đề năm 2023
ĐẢNG CỘNG SẢN VIỆT NAM
Đồng Nai, ngày 13 tháng 4 năm 2023

Kính gửi: Các huyện ủy, thành ủy trực thuộc Tỉnh ủy.

Căn cứ Hướng dẫn số 01-HD/BTGTW ngày 20/02/2023 của Ban Tuyên giáo Trung ương, Ban Tuyên giáo Tỉnh ủy đề nghị các huyện ủy, thành ủy tổ chức học tập chuyên đề trong quý II/2023, báo cáo kết quả trước ngày 30/6/2023.

Nơi nhận:
- Như trên,
- Lưu VP.
K/T TRƯỞNG BAN
PHÓ TRƯỞNG BAN

Trần Thị Bích
"""

DRAFT = """HỘI ĐỒNG NHÂN DÂN
TỈNH BÌNH PHƯỚC
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số:      /BC-HĐND
Bình Phước, ngày     tháng 3 năm 2026
DỰ THẢO
BÁO CÁO
Kết quả giám sát chuyên đề quý I năm 2026

1. Kết quả
Đoàn giám sát đã làm việc với 12 đơn vị.
2. Khó khăn, vướng mắc
Nguồn lực còn thiếu.

Ký bởi: Hội đồng nhân dân tỉnh Bình Phước
Thời gian ký: 20.03.2026 09:15:00 +07:00
"""

MARKDOWN = """**UBND XÃ TÂN PHÚ**

**Số: 15/BC-UBND**

*Tân Phú, ngày 02 tháng 7 năm 2025*

# BÁO CÁO

**Tình hình kinh tế - xã hội 6 tháng đầu năm 2025**

## I. KẾT QUẢ

- Thu ngân sách đạt 55% dự toán.
- Tỷ lệ hộ nghèo giảm còn 1,2%.

## II. TỒN TẠI, HẠN CHẾ

- Giải ngân vốn đầu tư công còn chậm.
"""


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tone marks combining."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _docx(path: Path) -> Path:
    from docx import Document

    d = Document()
    for line in STATE_REPORT.splitlines():
        d.add_paragraph(line)
    d.save(str(path))
    return path


def _html(path: Path) -> Path:
    body = "".join(f"<p>{line}</p>" for line in STATE_REPORT.splitlines() if line)
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vao")
    (root / "bao-cao.txt").write_text(STATE_REPORT, encoding="utf-8")
    (root / "cong-van-dang.txt").write_text(PARTY_LETTER, encoding="utf-8")
    (root / "du-thao.txt").write_text(DRAFT, encoding="utf-8")
    (root / "kinh-te.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "cp1258.txt").write_bytes(cp1258(PARTY_LETTER))
    _docx(root / "bao-cao.docx")
    _html(root / "bao-cao.html")
    hostile.empty_file(root)
    (root / "hong.docx").write_text("Đây không phải là tệp Word.", encoding="utf-8")
    (root / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    return root


def _run(command: str, folder: Path, out: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", command, str(folder), "-o", str(out)],
        capture_output=True, text=True, encoding="utf-8", timeout=300, cwd=ROOT, env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def parsed(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return _run("parse", folder, tmp_path_factory.mktemp("ra") / "parsed.jsonl")


@pytest.fixture(scope="module")
def extracted(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """``baocao extract`` with a fitted stand-in findings model (every unit an achievement)."""
    import joblib
    from sklearn.dummy import DummyClassifier

    model_dir = tmp_path_factory.mktemp("model")
    model = DummyClassifier(strategy="prior").fit([[0]] * 4, ["achievement", "achievement", "shortcoming", "none"])
    joblib.dump(model, model_dir / "model.joblib")
    return _run("extract", folder, tmp_path_factory.mktemp("ra") / "extracted.jsonl", {"BAOCAO_FINDINGS_MODEL": str(model_dir)})


def _validator() -> Any:
    try:
        import jsonschema
    except ImportError:
        import fastjsonschema

        check = fastjsonschema.compile(SCHEMA)

        def errors(rec: dict[str, Any]) -> list[str]:
            try:
                check(rec)
            except fastjsonschema.JsonSchemaException as err:
                return [err.message]
            return []

        return errors
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    v = jsonschema.Draft202012Validator(SCHEMA)
    return lambda rec: [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(rec)]


VALIDATE = _validator()

EXPECTED_STATUS = {
    "bao-cao.txt": "ok",
    "cong-van-dang.txt": "ok",
    "du-thao.txt": "ok",
    "kinh-te.md": "ok",
    "cp1258.txt": "ok",
    "bao-cao.docx": "ok",
    "bao-cao.html": "ok",
    "rong.txt": "error",
    "hong.docx": "error",
    "cu.doc": "error",
}


@pytest.mark.parametrize("command", ["parse", "extract"])
def test_every_record_validates(command: str, request: pytest.FixtureRequest) -> None:
    recs = request.getfixturevalue("parsed" if command == "parse" else "extracted")
    assert {Path(r["source"]["path"]).name: r["status"] for r in recs} == EXPECTED_STATUS
    for rec in recs:
        assert VALIDATE(rec) == [], rec["source"]["path"]


def test_schema_rejects_what_breaks_the_contract(parsed: list[dict[str, Any]]) -> None:
    """The schema is not vacuous: records that break the contract fail it."""
    ok = next(r for r in parsed if r["status"] == "ok" and r.get("number"))
    bad = next(r for r in parsed if r["status"] == "error")
    broken = [
        {**ok, "status": "done"},
        {k: v for k, v in ok.items() if k != "title"},
        {**ok, "number": {k: v for k, v in ok["number"].items() if k != "seq"}},
        {**ok, "date": "15/12/2025"},
        {**ok, "sections": [{**ok["sections"][0], "span": [1, 2, 3]}]},
        {**ok, "error": "x.txt: lỗi"},
        {**bad, "error": None},
        {**bad, "error": "hai\ndòng"},
        {**ok, "agencies": []},  # extract keys come all together
        {**ok, **{k: [] for k in ("agencies", "persons", "periods", "references", "metrics")},
         "reporting_period": None, "findings": [{"category": "khác", "text": "x", "span": [0, 1], "section": None, "confidence": 1}]},
    ]
    for rec in broken:
        assert VALIDATE(rec), json.dumps(rec, ensure_ascii=False)[:200]


# ---------------------------------------------------------------------------------------------
# The contract of README "Output schema", key by key

STR, INT, NUM, NONE_ = (str,), (int,), (int, float), (type(None),)
# fmt: off
CONTRACT: dict[str, tuple[type, ...]] = {
    "schema_version": STR, "status": STR, "error": NONE_ + STR, "doc_type": NONE_ + STR,
    "number": NONE_ + (dict,), "issuer": NONE_ + (dict,), "place": NONE_ + STR, "date": NONE_ + STR,
    "title": NONE_ + STR, "sections": (list,), "recipients": (list,), "signature": NONE_ + (dict,), "text": STR,
}
SUB: dict[str, dict[str, tuple[type, ...]]] = {
    "source":    {"path": STR, "sha256": STR, "format": STR},
    "number":    {"text": STR, "seq": NONE_ + STR, "year": NONE_ + INT, "type": NONE_ + STR, "issuers": (list,), "style": STR},
    "issuer":    {"name": STR, "parent": NONE_ + STR},
    "signature": {"authority": (list,), "on_behalf_of": NONE_ + STR, "position": NONE_ + STR, "signer": NONE_ + STR},
}
ITEMS: dict[str, dict[str, tuple[type, ...]]] = {
    "sections":   {"id": INT, "parent": NONE_ + INT, "level": INT, "number": NONE_ + STR, "heading": STR, "span": (list,)},
    "agencies":   {"text": STR, "canonical": NONE_ + STR, "span": (list,)},
    "periods":    {"text": STR, "start": NONE_ + STR, "end": NONE_ + STR, "kind": STR},
    "references": {"number": STR, "type": NONE_ + STR, "date": NONE_ + STR, "issuer": NONE_ + STR, "span": (list,)},
    "findings":   {"category": STR, "text": STR, "span": (list,), "section": NONE_ + INT, "confidence": NUM},
}
# fmt: on
EXTRACT_KEYS = ("agencies", "persons", "periods", "reporting_period", "references", "metrics", "findings")


def _has(obj: dict[str, Any], keys: dict[str, tuple[type, ...]], where: str) -> None:
    for key, types in keys.items():
        assert key in obj, f"{where}: no {key}"
        assert isinstance(obj[key], types) and not isinstance(obj[key], bool), f"{where}.{key} = {obj[key]!r}"


@pytest.mark.parametrize("command", ["parse", "extract"])
def test_contract_keys_and_types(command: str, request: pytest.FixtureRequest) -> None:
    recs = request.getfixturevalue("parsed" if command == "parse" else "extracted")
    for rec in recs:
        name = rec["source"]["path"]
        assert rec["schema_version"] == "1.0"
        if rec["status"] == "error":
            assert isinstance(rec["error"], str) and rec["error"].startswith(f"{name}: ")
            assert not any(k in rec for k in EXTRACT_KEYS)
            continue
        _has(rec, CONTRACT, name)
        for key, keys in SUB.items():
            if rec[key] is not None:
                _has(rec[key], keys, f"{name}.{key}")
        assert all(isinstance(r, str) for r in rec["recipients"])
        assert all(isinstance(a, str) for a in (rec["signature"] or {}).get("authority", []))
        for key, keys in ITEMS.items():
            if command == "parse" and key != "sections":
                assert key not in rec
                continue
            for i, item in enumerate(rec[key]):
                _has(item, keys, f"{name}.{key}[{i}]")
        if command == "extract":
            for key in EXTRACT_KEYS:
                assert key in rec, f"{name}: no {key}"
            assert rec["reporting_period"] is None or isinstance(rec["reporting_period"], dict)


def _spans(obj: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value stored under a span key: ``span``, ``*_span``, and the ``spans`` map."""
    found: list[tuple[str, Any]] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "spans" and isinstance(v, dict):
                found += [(f"{path}.spans.{kk}", vv) for kk, vv in v.items()]
            elif k == "recipient_spans":
                found += [(f"{path}.{k}[{i}]", vv) for i, vv in enumerate(v)]
            elif k == "span" or k.endswith("_span"):
                found.append((f"{path}.{k}", v))
            else:
                found += _spans(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += _spans(v, f"{path}[{i}]")
    return found


@pytest.mark.parametrize("command", ["parse", "extract"])
def test_every_span_indexes_into_text(command: str, request: pytest.FixtureRequest) -> None:
    recs = request.getfixturevalue("parsed" if command == "parse" else "extracted")
    n = 0
    for rec in recs:
        if rec["status"] != "ok":
            continue
        text = rec["text"]
        for where, span in _spans({k: v for k, v in rec.items() if k != "text"}):
            if span is None:
                continue
            a, b = span
            assert 0 <= a <= b <= len(text), f"{rec['source']['path']}{where} = {span} (text has {len(text)})"
            n += 1
        if rec.get("number"):
            a, b = rec["number"]["span"]
            assert text[a:b].replace(" ", "") == rec["number"]["text"]
        for key, field in (("agencies", "text"), ("periods", "text"), ("findings", "text"), ("metrics", "text")):
            for item in rec.get(key) or []:
                a, b = item["span"]
                printed = " ".join(text[a:b].split())  # a name printed over two lines is given on one
                assert printed == " ".join(item[field].split()), f"{rec['source']['path']}: {key} {item[field]!r} ≠ {printed!r}"
    assert n > 50  # the walk found the spans
