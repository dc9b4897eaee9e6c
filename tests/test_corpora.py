"""The corpora we write ourselves (corpora/samples, corpora/demo): gold, renderings, expectations.

Every gold value must be findable in the document it describes, the committed files must be
what ``corpora/build_corpora.py`` produces from the sources (so a rebuild is byte-identical),
and ``demo/expected.json`` must agree with the reports it summarises.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"

_spec = importlib.util.spec_from_file_location("build_corpora", CORPORA / "build_corpora.py")
bc = importlib.util.module_from_spec(_spec)
sys.modules["build_corpora"] = bc
_spec.loader.exec_module(bc)

GOLD_KEYS = {
    "id", "doc_type", "number", "issuer", "issuer_parent", "place", "date", "title", "authority",
    "signer_position", "signer", "recipients", "top_sections", "references", "findings", "findings_scope", "notes",
}  # fmt: skip
LABELS = {"achievement", "shortcoming", "cause", "task", "recommendation"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sources() -> list[bc.Source]:
    return [s for corpus in bc.CORPORA for s in bc.load_sources(corpus)]


SOURCES = {f"{s.corpus}/{Path(s.file).stem}": s for s in _sources()}


def _gold(key: str) -> dict:
    corpus, stem = key.split("/")
    return json.loads((CORPORA / corpus / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def _document_text(path: Path) -> str:
    """The text of a generated file as the libraries a reader would use give it."""
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in d.paragraphs] + cells)
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return "\n".join(page.get_textpage().get_text_range() for page in pdf)
        finally:
            pdf.close()
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpora")
    for corpus in bc.CORPORA:
        bc.build(corpus, out_root=out)
    return out


# --------------------------------------------------------------------------- the corpora as committed


def test_corpora_sizes():
    demo = [s for s in SOURCES.values() if s.corpus == "demo"]
    reports = [s for s in demo if s.meta.get("role") == "report"]
    assert len([s for s in SOURCES.values() if s.corpus == "samples"]) == 3
    assert len({s.meta["body"] for s in reports}) >= 5
    assert len({s.meta["period"] for s in reports}) >= 2
    assert {s.fmt for s in demo} == {"txt", "docx", "pdf"}


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_corpora_gold_keys_and_labels(key):
    gold = _gold(key)
    assert GOLD_KEYS <= set(gold) <= GOLD_KEYS | {"agencies"}
    assert gold["id"] == key.split("/")[1]
    assert all(f["label"] in LABELS for f in gold["findings"])
    assert (gold["findings_scope"] == "all") == (gold["doc_type"] == "BC")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold["date"])


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_corpora_gold_is_in_the_text(key):
    """Every text value of the gold is an exact substring of the document's text."""
    gold, text = _gold(key), bc.render_text(SOURCES[key], "sequential")
    flat = re.sub(r"\s", " ", text)
    values = [gold["number"], gold["place"], gold["title"], gold["signer"], gold["signer_position"]]
    values += gold["recipients"] + gold["references"] + [f["text"] for f in gold["findings"]]
    values += [s["heading"] for s in gold["top_sections"]]
    assert [v for v in values if v not in text] == []
    # header lines are joined with one space
    joined = [gold["issuer"], gold["issuer_parent"]] + [
        a for x in gold.get("agencies", []) for a in x["aliases"]
    ]
    assert [v for v in joined if v is not None and v not in flat] == []


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_corpora_gold_is_up_to_date(key):
    src = SOURCES[key]
    gazetteer = json.loads((bc.SOURCES / src.corpus / "agencies.json").read_text(encoding="utf-8"))
    assert bc.gold_for(src, bc.render_text(src, "sequential"), gazetteer) == _gold(key)


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_corpora_generated_file_holds_the_findings(key):
    """The .txt/.docx/.pdf opens, and its text holds every finding, header and signer."""
    src, gold = SOURCES[key], _gold(key)
    path = CORPORA / src.corpus / src.file
    text = _norm(_document_text(path))
    expected = [f["text"] for f in gold["findings"]] + [gold["number"], gold["signer"]]
    assert [v for v in expected if _norm(v) not in text] == []


def test_corpora_docx_metadata_and_word_numbering():
    import docx
    from docx.oxml.ns import qn

    auto = [s for s in SOURCES.values() if s.meta.get("numbering") == "auto"]
    assert auto, "at least one document uses Word's automatic numbering"
    for src in auto:
        d = docx.Document(str(CORPORA / src.corpus / src.file))
        numbered = [
            p for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:numPr")) is not None
        ]
        assert numbered
        # the markers live in numbering.xml, not in the text
        assert not any(re.match(r"(?:[IVX]+|\d+)\.\s", p.text) for p in numbered)
        assert d.core_properties.created == bc.FIXED_TIME
        assert d.styles["Normal"].font.name == "Times New Roman"
        assert len(d.tables) >= 2  # the header and the closing are borderless tables


def test_corpora_rebuild_is_byte_identical(rebuilt):
    committed = sorted(
        p.relative_to(CORPORA) for c in bc.CORPORA for p in (CORPORA / c).rglob("*") if p.is_file()
    )
    fresh = sorted(p.relative_to(rebuilt) for p in rebuilt.rglob("*") if p.is_file())
    assert committed == fresh
    changed = [str(p) for p in fresh if (rebuilt / p).read_bytes() != (CORPORA / p).read_bytes()]
    assert changed == [], "run: python corpora/build_corpora.py"


# --------------------------------------------------------------------------- demo/expected.json


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((CORPORA / "demo" / "expected.json").read_text(encoding="utf-8"))


def _demo_gold_by_file() -> dict[str, dict]:
    return {s.file: _gold(f"demo/{Path(s.file).stem}") for s in SOURCES.values() if s.corpus == "demo"}


def test_corpora_expected_requests(expected):
    demo = {s.file: s for s in SOURCES.values() if s.corpus == "demo"}
    for req in expected["requests"]:
        text = _norm(bc.render_text(demo[req["file"]]))
        y, m, d = req["deadline"].split("-")
        assert f"trước ngày {d}/{m}/{y}" in text
        assert all(_norm(p) in text for p in req["points"])
        assert _demo_gold_by_file()[req["file"]]["number"] == req["number"]


def test_corpora_expected_late_and_missing(expected):
    golds = _demo_gold_by_file()
    deadline = {r["period"]: r["deadline"] for r in expected["requests"]}
    assert len(expected["late"]) >= 1 and len(expected["missing"]) >= 1
    for late in expected["late"]:
        assert golds[late["file"]]["date"] > deadline[late["period"]]
    for sub in expected["submissions"]:
        assert sub["late"] == (golds[sub["file"]]["date"] > deadline[sub["period"]])
        assert sub["file"].startswith(sub["period"] + "/")
    latest = max(deadline)
    for miss in expected["missing"]:
        assert miss["period"] == latest
        assert not any(s["body"] == miss["body"] and s["period"] == latest for s in expected["submissions"])


def test_corpora_expected_groups_are_findings(expected):
    golds = _demo_gold_by_file()

    def shortcomings(file):
        return {f["text"] for f in golds[file]["findings"] if f["label"] == "shortcoming"}

    for group in expected["shortcoming_groups"]:
        assert len({m["body"] for m in group["members"]}) >= 2
        assert len({m["text"] for m in group["members"]}) == len(group["members"])  # worded differently
        for m in group["members"]:
            assert m["text"] in shortcomings(m["file"])
    for one in expected["unique_shortcomings"]:
        assert len({m["body"] for m in one["members"]}) == 1
    kinds = {"persisting": 0, "new": 0, "resolved": 0}
    for change in expected["shortcoming_changes"]:
        for kind in kinds:
            kinds[kind] += len(change.get(kind, []))
    assert all(kinds.values()), kinds


# --------------------------------------------------------------------------- the builder's helpers

# fmt: off
MARKUP_CASES = [
    ("⟦S:form|Hình thức tuyên truyền còn đơn điệu.⟧", [("shortcoming", "form", "Hình thức tuyên truyền còn đơn điệu.")]),
    ("⟦A|Tổ chức 45 hội nghị với 3.200 lượt người tham dự;⟧ ⟦C|do địa bàn rộng.⟧",
     [("achievement", None, "Tổ chức 45 hội nghị với 3.200 lượt người tham dự;"), ("cause", None, "do địa bàn rộng.")]),
    ("- Không có phát hiện nào.", []),
]
# fmt: on


@pytest.mark.parametrize(("line", "findings"), MARKUP_CASES)
def test_corpora_parse_source_markup(tmp_path, line, findings):
    path = tmp_path / "x.txt"
    path.write_text(f"file: x.txt\nissuer: SỞ TƯ PHÁP\n== body\n{line}\n", encoding="utf-8")
    src = bc.parse_source(path, "samples")
    assert [(f.label, f.key, f.text) for f in src.findings] == findings
    assert "⟦" not in src.blocks["body"][0] and "⟧" not in src.blocks["body"][0]


@pytest.mark.parametrize("line", ["⟦S|chưa đóng", "⟦X|nhãn lạ⟧"])
def test_corpora_parse_source_rejects_bad_markup(tmp_path, line):
    path = tmp_path / "x.txt"
    path.write_text(f"file: x.txt\nissuer: SỞ TƯ PHÁP\n== body\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError):
        bc.parse_source(path, "samples")


GAZETTEER = [
    {"name": "Ủy ban nhân dân tỉnh Gia Lai", "forms": ["Ủy ban nhân dân tỉnh Gia Lai", "UBND tỉnh", "UBND"]},
    {"name": "Thường trực Hội đồng nhân dân tỉnh Gia Lai", "forms": ["Thường trực HĐND tỉnh"]},
    {"name": "Hội đồng nhân dân tỉnh Gia Lai", "forms": ["HĐND tỉnh"]},
]


# fmt: off
@pytest.mark.parametrize(("text", "names"), [
    ("Số: 12/BC-UBND", []),                                              # inside a cited number
    ("Thường trực HĐND tỉnh đề nghị", ["Thường trực Hội đồng nhân dân tỉnh Gia Lai"]),  # longest form wins
    ("Thường trực HĐND tỉnh và HĐND tỉnh", ["Thường trực Hội đồng nhân dân tỉnh Gia Lai", "Hội đồng nhân dân tỉnh Gia Lai"]),
    ("UBND tỉnh;\nỦy ban nhân dân tỉnh Gia Lai", ["Ủy ban nhân dân tỉnh Gia Lai"]),
    ("các UBNDX xã", []),                                                # not a word of its own
])
# fmt: on
def test_corpora_agencies(text, names):
    assert [a["name"] for a in bc.agencies(text, GAZETTEER)] == names


# --------------------------------------------------------------------------- against the real gold


@pytest.mark.shared
def test_corpora_gold_keys_match_the_real_gold(gold):
    """Our gold uses the keys of ../shared/corpus/gold, nothing else."""
    real = set().union(*(set(g) for g in gold.values()))
    ours = set().union(*(set(_gold(k)) for k in SOURCES))
    assert ours <= real
    labels = {f["label"] for g in gold.values() for f in g.get("findings", [])}
    assert LABELS == labels
