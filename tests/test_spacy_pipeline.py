"""The extract stage as a spaCy pipeline: components write ``doc.spans`` on token boundaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from spacy.language import Language

from pipeline.nlp.spacy_pipeline import COMPONENTS, load_nlp

NO_FINDINGS = tuple(c for c in COMPONENTS if c != "baocao_findings")

REPORT = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
Số: 125/BC-UBND
Đồng Nai, ngày 15 tháng 12 năm 2025
BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính năm 2025
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Công tác chỉ đạo, điều hành
Năm 2025, tỉnh đã tổ chức 15 hội nghị tập huấn, tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%.
2. Hạn chế
Việc số hóa hồ sơ còn chậm, một số xã chưa bố trí đủ công chức.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026
Tiếp tục đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính.
III. KIẾN NGHỊ
Đề nghị Bộ Nội vụ hỗ trợ kinh phí đào tạo cán bộ.
"""


def _pyvi_nlp() -> Language:
    try:
        return load_nlp(components=NO_FINDINGS)
    except Exception as err:  # pyvi missing or its model not loadable offline
        pytest.skip(f"pyvi tokenizer not available offline: {err}")


@pytest.fixture(scope="module", params=["syllables", "pyvi"])
def nlp(request: pytest.FixtureRequest) -> Language:
    if request.param == "pyvi":
        return _pyvi_nlp()
    return load_nlp(use_pyvi=False, components=NO_FINDINGS)


def test_load_nlp_pipes_and_tokenizer() -> None:
    syl = load_nlp(use_pyvi=False)
    assert tuple(syl.pipe_names) == COMPONENTS
    assert syl.config["nlp"]["tokenizer"]["@tokenizers"] == "baocao.syllable_tokenizer.v1"
    assert [t.text for t in syl.make_doc("UBND tỉnh Đồng Nai, đạt 98,5%.")] == [
        "UBND", "tỉnh", "Đồng", "Nai", ",", "đạt", "98,5", "%", ".",
    ]
    assert tuple(load_nlp(use_pyvi=False, components=("baocao_references",)).pipe_names) == ("baocao_references",)


def test_pyvi_tokenizer_groups_words() -> None:
    nlp = _pyvi_nlp()
    assert "Kế hoạch" in [t.text for t in nlp.make_doc("Thực hiện Kế hoạch số 12/KH-UBND.")]


# fmt: off
CASES = [
    # sentence, spans key, expected (text, label) in order
    ("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND tỉnh.",
     "references", [("12/KH-UBND", "KH")]),
    ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Quyết định số 06/2024/QĐ-UBND.",
     "references", [("57-NQ/TW", "NQ"), ("06/2024/QĐ-UBND", "QĐ")]),
    ("Trong quý I/2024, ngày 05/01/2024 đã tổ chức hội nghị.",
     "periods", [("quý I/2024", "quarter"), ("ngày 05/01/2024", "day")]),
    ("Năm 2024, Sở Nội vụ đã tổ chức 15 hội nghị.",
     "agencies", [("Sở Nội vụ", "department")]),
    ("Thu ngân sách đạt 1.250 tỷ đồng, bằng 55% dự toán; giải quyết 1.234 hồ sơ.",
     "metrics", [("1.250 tỷ đồng", "money"), ("55% dự toán", "percent"), ("1.234 hồ sơ", "count")]),
]
# fmt: on


@pytest.mark.parametrize("text,key,expected", CASES)
def test_component_spans(nlp: Language, text: str, key: str, expected: list[tuple[str, str]]) -> None:
    doc = nlp(text)
    assert set(doc.spans) >= {"references", "periods", "agencies", "metrics"}
    got = [(s.text, s.label_) for s in doc.spans[key]]
    assert got == expected


SENTENCE = (
    "Thực hiện Quyết định số 06/2024/QĐ-UBND. Năm 2024, UBND tỉnh Đồng Nai; Sở Nội vụ đã giải quyết 1.234 hồ sơ,"
    " đạt 98,5% kế hoạch quý I/2024."
)


def test_spans_are_the_extractor_spans(nlp: Language) -> None:
    """Each span is exactly the extractor's character span, with its record, whatever the tokens.

    pyvi keeps ``UBND.`` and ``Đồng_Nai;`` as single tokens: they are split, and the groups
    written before the split are kept.
    """
    from pipeline.ingest import ingest_text
    from pipeline.nlp.agencies import context_from_document, find_agencies
    from pipeline.nlp.metrics import find_metrics
    from pipeline.nlp.periods import find_periods
    from pipeline.nlp.references import find_references

    doc = nlp(SENTENCE)
    direct = {
        "references": find_references(SENTENCE, anchor=None),
        "periods": find_periods(SENTENCE, anchor=None),
        "agencies": find_agencies(SENTENCE, context=context_from_document(ingest_text(SENTENCE))),
        "metrics": find_metrics(SENTENCE, anchor=None),
    }
    for key, records in direct.items():
        assert records, key
        assert [(s.start_char, s.end_char) for s in doc.spans[key]] == [tuple(r["span"]) for r in records], key
        for span in doc.spans[key]:
            rec: dict[str, Any] = span._.baocao
            assert span.text == SENTENCE[rec["span"][0] : rec["span"][1]]
    assert doc.text == SENTENCE  # splitting tokens never changes the text


def test_anchor_resolves_relative_periods() -> None:
    nlp = load_nlp(use_pyvi=False, components=("baocao_periods",))
    text = "Trong quý này, đã tổ chức 3 hội nghị; 6 tháng đầu năm đạt 55% kế hoạch."
    bare = nlp(text)
    assert [(s.text, s._.baocao["start"]) for s in bare.spans["periods"]] == [("quý này", None), ("6 tháng đầu năm", None)]
    doc = nlp.make_doc(text)
    doc._.baocao_anchor = dt.date(2024, 7, 5)  # the report's own date
    doc = nlp(doc)
    assert [(s.text, s._.baocao["start"], s._.baocao["end"]) for s in doc.spans["periods"]] == [
        ("quý này", "2024-07-01", "2024-09-30"),
        ("6 tháng đầu năm", "2024-01-01", "2024-06-30"),
    ]


def test_nothing_found_is_an_empty_group(nlp: Language) -> None:
    doc = nlp("Trời hôm nay đẹp.")
    assert all(len(doc.spans[k]) == 0 for k in ("references", "periods", "agencies", "metrics"))


def _findings_model_or_skip() -> None:
    from pipeline.nlp.findings import MODEL_FILE, default_model_dir

    path = default_model_dir() / MODEL_FILE
    if not path.is_file():
        pytest.skip(f"findings model not trained yet ({path}): run `baocao train --corpus ../shared/corpus`")


# fmt: off
FINDING_CASES = [
    ("Việc số hóa hồ sơ còn chậm, một số xã chưa bố trí đủ công chức.", "shortcoming"),
    ("Tiếp tục đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính.", "task"),
    ("Đề nghị Bộ Nội vụ hỗ trợ kinh phí đào tạo cán bộ.", "recommendation"),
]
# fmt: on


@pytest.mark.parametrize("sentence,category", FINDING_CASES)
def test_findings_component(sentence: str, category: str) -> None:
    _findings_model_or_skip()
    from pipeline.nlp.findings import CATEGORIES

    nlp = load_nlp(use_pyvi=False, components=("baocao_findings",))
    doc = nlp(REPORT)
    spans = list(doc.spans["findings"])
    assert spans and all(s.label_ in CATEGORIES for s in spans)
    for s in spans:
        assert s.text == s._.baocao["text"] and (s.start_char, s.end_char) == tuple(s._.baocao["span"])
    assert [s.label_ for s in spans if s.text == sentence] == [category]
