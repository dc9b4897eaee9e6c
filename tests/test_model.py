"""The data model: OffsetMap arithmetic and the JSON round trip of a whole Document."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

# tests/ is on sys.path under pytest's default import mode
from samples import STATE_REPORT

from pipeline.ingest import ingest_text
from pipeline.model import Document, OffsetMap, Section, Source
from pipeline.serialize import from_dict, to_dict

REPORT = STATE_REPORT


def stub_findings_model() -> Any:
    """A fitted stand-in for the findings model: every unit is an achievement (p = 0.5).

    The extract stage is exercised without depending on the trained model in ``models/``.
    """
    from sklearn.dummy import DummyClassifier

    return DummyClassifier(strategy="prior").fit([[0]] * 4, ["achievement", "achievement", "shortcoming", "none"])


# ---------------------------------------------------------------------------------------------
# OffsetMap

# fmt: off
OFFSET_CASES = [
    # positions (raw offset of each repaired char), anchors expected
    ([],                      [[0, 0]]),
    ([0, 1, 2, 3],            [[0, 0]]),            # nothing changed: one anchor
    ([0, 1, 4, 5],            [[0, 0], [2, 4]]),    # "**" removed before char 2
    ([0, 2, 4],               [[0, 0], [1, 2], [2, 4]]),  # each char from two code points (NFD → NFC)
    ([3, 4, 5],               [[0, 3]]),            # leading furniture removed
    ([0, 0, 1],               [[0, 0], [1, 0]]),    # one raw char became two (ligature ﬁ → fi)
]
# fmt: on


@pytest.mark.parametrize("positions,anchors", OFFSET_CASES)
def test_offset_map_from_positions(positions: list[int], anchors: list[list[int]]) -> None:
    m = OffsetMap.from_positions(positions)
    assert m.to_list() == anchors
    assert [m.to_raw(i) for i in range(len(positions))] == positions
    assert OffsetMap.from_list(m.to_list()) == m


# fmt: off
SPAN_CASES = [
    ([0, 1, 4, 5],  (0, 4),  (0, 6)),    # span across a deletion ends after the last kept char
    ([0, 1, 4, 5],  (2, 3),  (4, 5)),
    ([0, 2, 4],     (1, 2),  (2, 4)),    # up to where the next character's raw text begins
    ([0, 1, 4, 5],  (2, 2),  (4, 4)),    # empty span stays empty
    ([3, 4, 5],     (0, 3),  (3, 6)),
]
# fmt: on


@pytest.mark.parametrize("positions,span,raw", SPAN_CASES)
def test_offset_map_to_raw_span(positions: list[int], span: tuple[int, int], raw: tuple[int, int]) -> None:
    assert OffsetMap.from_positions(positions).to_raw_span(span) == raw


def test_offset_map_default_is_identity() -> None:
    m = OffsetMap()
    assert [m.to_raw(i) for i in (0, 7, 1000)] == [0, 7, 1000]
    assert OffsetMap.from_list([]) == m


@given(st.lists(st.integers(min_value=0, max_value=3), max_size=200), st.integers(min_value=0, max_value=50))
def test_offset_map_reproduces_non_decreasing_positions(steps: list[int], first: int) -> None:
    positions, pos = [], first
    for step in steps:
        pos += step
        positions.append(pos)
    m = OffsetMap.from_positions(positions)
    assert [m.to_raw(i) for i in range(len(positions))] == positions
    # one anchor per break in the run of consecutive offsets, never more
    assert len(m.norm) == max(1, 1 + sum(1 for a, b in zip(positions, positions[1:], strict=False) if b != a + 1))
    again = OffsetMap.from_list(json.loads(json.dumps(m.to_list())))
    assert [again.to_raw(i) for i in range(len(positions))] == positions
    for a in range(len(positions)):
        for b in range(a + 1, min(len(positions), a + 4) + 1):
            nxt = positions[b] if b < len(positions) else positions[b - 1] + 1
            assert m.to_raw_span((a, b)) == (positions[a], max(positions[b - 1] + 1, nxt))


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param(lambda s: unicodedata.normalize("NFD", s), id="nfd"),
        pytest.param(lambda s: s.replace("BÁO CÁO", "**BÁO CÁO**").replace("Nguyễn Văn An", "**Nguyễn Văn An**"), id="markdown-bold"),
    ],
)
def test_ingest_offsets_point_back_into_the_raw_text(markup: Any) -> None:
    """Every span, mapped by ``doc.offsets``, covers the same words in the reader's text."""
    raw = markup(REPORT)
    doc = ingest_text(raw)
    assert doc.signature is not None and doc.number is not None
    for span in (doc.signature.signer_span, doc.number.span, doc.spans["title"], doc.sections[-1].heading_span):
        assert span is not None
        a, b = doc.offsets.to_raw_span(span)
        assert unicodedata.normalize("NFC", raw[a:b]).replace("*", "") == doc.span_text(span)


# ---------------------------------------------------------------------------------------------
# Document helpers


def test_section_at_is_the_deepest_section() -> None:
    doc = ingest_text(REPORT)
    pos = doc.text.index("còn chậm")
    sec = doc.section_at(pos)
    assert sec is not None and sec.heading == "Hạn chế" and sec.level == 2
    assert doc.section_at(0) is None  # the header is in no section
    assert doc.span_text(None) == ""
    assert doc.id == doc.source.sha256[:16]


def test_section_at_prefers_the_deeper_of_nested_spans() -> None:
    doc = Document(
        source=Source(path="x.txt", sha256="0" * 64, format="txt"),
        text="I. KẾT QUẢ\n1. Ưu điểm\nĐạt.",
        sections=[
            Section(id=0, parent=None, level=1, number="I", heading="KẾT QUẢ", span=(0, 27)),
            Section(id=1, parent=0, level=2, number="1", heading="Ưu điểm", span=(11, 27)),
        ],
    )
    assert doc.section_at(5).id == 0  # type: ignore[union-attr]
    assert doc.section_at(24).id == 1  # type: ignore[union-attr]
    assert doc.section_at(27) is None  # half-open


# ---------------------------------------------------------------------------------------------
# to_dict / from_dict


def _round_trip(doc: Document) -> dict[str, Any]:
    rec = to_dict(doc)
    again = to_dict(from_dict(json.loads(json.dumps(rec, ensure_ascii=False))))
    assert again == rec
    return rec


def test_round_trip_of_a_parsed_report() -> None:
    doc = ingest_text(REPORT, path="bao-cao.txt")
    rec = _round_trip(doc)
    assert from_dict(rec) == doc  # dataclass equality: nothing lost, tuples come back as tuples
    # the parse is what the round trip must carry: check it is really there
    assert rec["number"]["text"] == "125/BC-UBND"
    assert rec["issuer"]["name"] == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"
    assert rec["date"] == "2025-12-15" and rec["place"] == "Đồng Nai"
    assert [s["number"] for s in rec["sections"] if s["level"] == 1] == ["I", "II", "III"]
    assert rec["recipients"] == ["Bộ Nội vụ", "TT Tỉnh ủy", "Lưu: VT"]
    assert rec["signature"]["authority"] == ["TM", "KT"] and rec["signature"]["signer"] == "Nguyễn Văn An"
    assert "agencies" not in rec  # not extracted: no extract keys at all


def test_round_trip_after_extract() -> None:
    from pipeline.nlp import extract

    doc = extract(ingest_text(REPORT, path="bao-cao.txt"), findings_model=stub_findings_model())
    rec = _round_trip(doc)
    back = from_dict(rec)
    assert back.extracted == json.loads(json.dumps(doc.extracted, ensure_ascii=False))
    assert [r["number"] for r in rec["references"]] == ["12/KH-UBND"]
    assert rec["findings"] and {f["category"] for f in rec["findings"]} == {"achievement"}
    assert any(a["text"] == "Sở Nội vụ" for a in rec["agencies"])


def test_round_trip_of_an_empty_document() -> None:
    doc = Document(source=Source(path="rong.txt", sha256="e" * 64, format="txt"), status="error", error="rong.txt: empty file")
    assert from_dict(_round_trip(doc)) == doc
