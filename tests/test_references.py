"""Cited documents: both numbering systems, laws, types, dates, issuers, exclusions, linking, gold F1."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.evaluate.references import micro_f1, score_references
from pipeline.nlp.references import find_references, link_references, normalize_number


def _numbers(text: str, **kw) -> list[str]:
    return [r["number"] for r in find_references(text, **kw)]


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ", ["4625/BNV-CCHC"]),
    ("Quyết định số 06/2024/QĐ-UBND của UBND tỉnh", ["06/2024/QĐ-UBND"]),
    ("Nghị quyết số 57/NQ/TW, ngày 22/12/2024 của Bộ Chính trị", ["57/NQ/TW"]),
    ("Công văn số 904-CV/BTGTU ngày 5/3/2024", ["904-CV/BTGTU"]),
    ("Chương trình phối hợp số 01-CTPH/BTG-HĐND-UBND-TA-VKS", ["01-CTPH/BTG-HĐND-UBND-TA-VKS"]),
    ("Chương trình hành động số 102-CTr/TU ngày 21/02/2025", ["102-CTr/TU"]),
    ("theo Kết luận 174 KL/TW ngày 4/7/2025", ["174 KL/TW"]),
    ("Căn cứ Luật số 72/2025/QH15; Luật Đất đai năm 2024", ["72/2025/QH15"]),
    ("Kết luận số 198-KL/TW và Nghị quyết số 57-NQ/TW", ["198-KL/TW", "57-NQ/TW"]),
    ("Luật số 72/2025/QH15; Nghị định số 126/2024/NĐ-CP", ["72/2025/QH15", "126/2024/NĐ-CP"]),
    ("ngày 02/7/2025 và tỷ lệ 45/45 nhiệm vụ", []),                                  # a date and a ratio
    ("Nghị quyết số 101/2025/UBTVQH15 ngày 26/9/2025", ["101/2025/UBTVQH15"]),
    ("Quyết định số 117/QĐ-\nUBND ngày 17/01/2025", ["117/QĐ-UBND"]),            # broken after the hyphen
    ("Số: 12 / BC – UBND", ["12/BC-UBND"]),                                      # spaces and an en dash
    ("tại Văn bản *số 794*/SDTTG-VP ngày 01/8/2025", ["794/SDTTG-VP"]),          # emphasis markup
    ("Kế hoạch số 515/KH-BCA-BNN&MT ngày 31/8/2025", ["515/KH-BCA-BNN&MT"]),
    ("văn bản số 6084/TCT ngày 30/8/2025", ["6084/TCT"]),                         # one-part symbol after "số"
    ("giải quyết 45/50 đơn, đạt 90%", []),                                         # a ratio
    ("ngày 13/4/2023 và 12/3", []),                                                # dates
    ("theo Mẫu số 01/ĐK ban hành", []),                                            # a form, not a document
    ("đạt 20/TTHC", []),                                                           # one-part symbol without "số"
    ("Số 08-QĐi/TW- Lưu văn phòng", ["08-QĐi/TW"]),                               # stops before "Lưu"
    ("", []),
    ("   \n ", []),
])
# fmt: on
def test_references_numbers(text: str, expected: list[str]) -> None:
    assert _numbers(text) == expected


# fmt: off
@pytest.mark.parametrize("text, typ, date, issuer", [
    ("Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ về việc", "CV", "2025-07-02", "Bộ Nội vụ"),
    ("Quyết định số 2139/QĐ-UBND ngày 30/12/2024 về Kế hoạch", "QĐ", "2024-12-30", None),
    ("Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương", "QĐ", "2025-05-26", "Ban Chấp hành Trung ương"),
    ("Nghị quyết số 74/2022/QH15 của Quốc hội", "NQ", None, "Quốc hội"),
    ("Luật Tổ chức chính quyền địa phương số 72/2025/QH15", "Luật", None, None),
    ("văn bản quy phạm pháp luật tại các văn bản số: 1553/STC-HCSN", "CV", None, None),
    ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị trên địa bàn", "NQ", "2024-12-22", "Bộ Chính trị"),
    ("Số 1234/UBND-KGVX", "CV", None, None),
])
# fmt: on
def test_references_fields(text: str, typ: str, date: str | None, issuer: str | None) -> None:
    r = find_references(text)[0]
    assert (r["type"], r["date"], r["issuer"]) == (typ, date, issuer)
    assert text[r["span"][0] : r["span"][1]] == r["text"]


def test_references_exclude_own_number_and_offsets() -> None:
    text = "Số: 329/BC-UBND\nThực hiện Kế hoạch số 213/KH-UBND; Báo cáo số 329/BC-UBND."
    refs = find_references(text, exclude={"329/BC-UBND"})
    assert [r["number"] for r in refs] == ["213/KH-UBND"]
    start = text.index("Thực")
    assert [r["number"] for r in find_references(text, start=start, end=start + 20)] == []


@pytest.mark.parametrize("text, expected", [("12 / BC – UBND", "12/BC-UBND"), ("904 - CV/BTGTU.", "904-CV/BTGTU")])
def test_references_normalize_number(text: str, expected: str) -> None:
    assert normalize_number(text) == expected


def test_references_link() -> None:
    docs = [
        {"id": "a", "number": {"text": "12/BC-UBND"}, "date": "2024-03-01", "references": []},
        {"id": "b", "number": "904-CV/BTGTU", "references": [
            {"number": "12 / BC-UBND", "date": "2024-03-01"}, {"number": "99/QĐ-UBND", "date": None}]},
        {"id": "c", "number": {"text": "/BC-UBND"}, "references": [{"number": "904-CV/BTGTU", "date": None}]},
    ]
    link_references(docs)
    assert [r["doc_id"] for r in docs[1]["references"]] == ["a", None]
    assert docs[2]["references"][0]["doc_id"] == "b"


def test_references_score() -> None:
    s = score_references(["12/BC-UBND", "13/BC-UBND", "12/BC-UBND"], ["12 / BC-UBND", "57-NQ/TW"])
    assert (s["tp"], s["fp"], s["fn"], s["missed"], s["spurious"]) == (1, 1, 1, ["57-NQ/TW"], ["13/BC-UBND"])
    assert micro_f1([s])["f1"] == pytest.approx(0.5)


@pytest.mark.shared
def test_references_gold_f1(gold: dict, corpus_docs: dict) -> None:
    scores = []
    for doc_id, g in gold.items():
        text = unicodedata.normalize("NFC", corpus_docs[doc_id].read_text(encoding="utf-8"))
        own = {g["number"]} if g.get("number") else set()
        pred = [r["number"] for r in find_references(text, exclude=own)]
        scores.append(score_references(pred, g.get("references") or []))
    total = micro_f1(scores)
    assert total["f1"] >= 0.95, total
