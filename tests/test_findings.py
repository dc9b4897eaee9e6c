"""Findings: cues, the trained model, its manifest and the scorer."""

from __future__ import annotations

import pytest

from pipeline.evaluate.findings import (
    Collapsed,
    locate,
    overlap_match,
    scope_spans,
    score_findings,
    summarise,
)
from pipeline.ingest import ingest_text
from pipeline.model import Document, Source
from pipeline.nlp.findings import (
    CATEGORIES,
    PROPOSAL,
    ModelMissingError,
    default_model_dir,
    doc_kind,
    features,
    find_findings,
    heading_label,
    heading_slots,
    load_model,
    model_manifest,
    unit_cues,
)
from pipeline.nlp.units import sections_of, segment

HAVE_MODEL = (default_model_dir() / "model.joblib").is_file()
needs_model = pytest.mark.skipif(not HAVE_MODEL, reason="models/findings not trained (run `baocao train`)")


@pytest.mark.parametrize(
    ("heading", "slots"),
    [
        ("III. Tồn tại, hạn chế và nguyên nhân", ["causes", "weak"]),
        ("2. Khó khăn, vướng mắc", ["difficult"]),
        ("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026", ["plan"]),
        ("IV. KIẾN NGHỊ, ĐỀ XUẤT", ["recommend"]),
        ("1. Ưu điểm", ["strength"]),
        ("II. KẾT QUẢ THỰC HIỆN", ["results"]),
        ("4. Bài học kinh nghiệm", ["lessons"]),
    ],
)
def test_heading_slots(heading: str, slots: list[str]) -> None:
    assert heading_slots(heading) == slots


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Một số đơn vị chưa cập nhật kịp thời dữ liệu", "neg"),
        ("Tuy nhiên, việc triển khai ở cấp xã gặp nhiều trở ngại", "contrast"),
        ("Nguyên nhân chủ yếu do thiếu nhân lực", "cause"),
        ("Tiếp tục đẩy mạnh cải cách hành chính", "task"),
        ("Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn", "rec"),
        ("Tỷ lệ hồ sơ đúng hạn đạt 99,1%", "pct"),
    ],
)
def test_unit_cues(text: str, cue: str) -> None:
    assert cue in unit_cues(text)


# The model ---------------------------------------------------------------------------------

REPORT = """\
I. KẾT QUẢ THỰC HIỆN
1. Công tác cải cách thủ tục hành chính
- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,1%, tăng 2% so với cùng kỳ.
- Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại cấp xã chưa đạt chỉ tiêu đề ra.
2. Hạn chế
- Một số cơ quan chưa quan tâm đúng mức đến công tác tuyên truyền, việc cập nhật dữ liệu còn chậm.
3. Nguyên nhân
- Nguyên nhân chủ yếu do đội ngũ công chức cấp xã mới được sắp xếp, còn thiếu kinh nghiệm.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026
- Tiếp tục đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân.
III. KIẾN NGHỊ, ĐỀ XUẤT
- Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn về vị trí việc làm của công chức cấp xã.
"""

EXPECTED = {
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,1%, tăng 2% so với cùng kỳ.": "achievement",
    # a "chưa …" sentence inside a Kết quả section is a shortcoming
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại cấp xã chưa đạt chỉ tiêu đề ra.": "shortcoming",
    "Một số cơ quan chưa quan tâm đúng mức đến công tác tuyên truyền, việc cập nhật dữ liệu còn chậm.": "shortcoming",
    "Nguyên nhân chủ yếu do đội ngũ công chức cấp xã mới được sắp xếp, còn thiếu kinh nghiệm.": "cause",
    "Tiếp tục đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân.": "task",
    "Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn về vị trí việc làm của công chức cấp xã.": "recommendation",
}


@needs_model
@pytest.mark.parametrize(("text", "label"), list(EXPECTED.items()))
def test_model_labels(text: str, label: str) -> None:
    got = {f["text"]: f["category"] for f in find_findings(ingest_text(REPORT))}
    assert got.get(text) == label


@needs_model
def test_records_have_the_contract() -> None:
    doc = ingest_text(REPORT)
    found = find_findings(doc)
    assert found
    for f in found:
        assert set(f) == {"category", "text", "span", "section", "section_heading", "confidence"}
        assert f["category"] in CATEGORIES
        assert 0.0 < f["confidence"] <= 1.0
        a, b = f["span"]
        assert " ".join(doc.text[a:b].split()) == f["text"]
    headings = {f["text"]: f["section_heading"] for f in found}
    assert "PHƯƠNG HƯỚNG" in (headings[next(t for t in headings if t.startswith("Tiếp tục"))] or "").upper()


def test_missing_model_fails_clearly(tmp_path) -> None:
    with pytest.raises(ModelMissingError, match="baocao train"):
        load_model(tmp_path)


@needs_model
def test_manifest_records_the_training() -> None:
    m = model_manifest()
    assert {"name", "version", "created", "data", "cv", "params", "sklearn_version"} <= set(m)
    assert "GroupKFold" in m["cv"]["method"]
    assert {"C", "folds"} <= set(m["params"])
    for lab in CATEGORIES:
        assert m["cv"]["labels"][lab]["f1"] >= 0.45, lab
    assert (default_model_dir() / "model.joblib").stat().st_size < 8 * 2**20


# The acceptance bar (0.75) and the round-3 target (0.77): model 3.0 scores 0.829, every gold
# document scored out of fold, non-reports included.
@needs_model
def test_manifest_cv_reaches_the_acceptance_bar() -> None:
    assert model_manifest()["cv"]["macro_f1"] >= 0.77


@pytest.mark.parametrize(
    ("doc_type", "type_name", "title", "kind"),
    [
        ("BC", "BÁO CÁO", "Kết quả công tác năm 2025", "report"),
        (None, "BẢN TỰ KIỂM ĐIỂM", "đánh giá chất lượng đảng viên", "report"),
        ("KH", "KẾ HOẠCH", "Cải cách hành chính giai đoạn 2026 - 2030", "other"),
        ("QĐ", "QUYẾT ĐỊNH", "Về việc thành lập Tổ công tác", "other"),
        ("CV", None, "V/v báo cáo tình hình cải thiện chỉ số PCI", "letter_report"),
        ("CV", None, "V/v trả lời đề nghị của Sở Nội vụ", "letter"),
        (None, None, "", "unknown"),
    ],
)
def test_doc_kind(doc_type: str | None, type_name: str | None, title: str, kind: str) -> None:
    d = Document(source=Source(path="x", sha256="0" * 64, format="txt"), doc_type=doc_type, type_name=type_name, title=title)
    assert doc_kind(d) == kind


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Tỷ lệ hồ sơ trực tuyến toàn trình chỉ đạt 51,79% (chỉ tiêu đề ra là tối thiểu 70%)", "miss"),
        ("Giao Sở Tài chính tham mưu UBND tỉnh chỉ đạo tháo gỡ khó khăn", "giao"),
        ("Kính đề nghị Bộ Nội vụ xem xét", "req"),
        ("Do đội ngũ công chức cấp xã mới được sắp xếp", "causeinit"),
        ("Thu ngân sách đạt 28.611 tỷ đồng", "reached"),
    ],
)
def test_new_unit_cues(text: str, cue: str) -> None:
    assert cue in unit_cues(text)


@needs_model
def test_a_plan_document_has_no_findings() -> None:
    text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 12/KH-UBND\nKẾ HOẠCH\nCải cách hành chính năm 2026\n" + (
        "I. NHIỆM VỤ\n- Tiếp tục đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân.\n"
    )
    doc = ingest_text(text)
    if doc_kind(doc) != "other":
        pytest.skip(f"header parser read the type as {doc.doc_type!r}")
    assert find_findings(doc) == []


# The scorer --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [((0, 10), (6, 40), False), ((0, 10), (4, 40), True), ((10, 20), (0, 100), True), ((0, 10), (10, 20), False)],
)
def test_overlap_match(a: tuple[int, int], b: tuple[int, int], match: bool) -> None:
    assert overlap_match(a, b) is match


def test_locate_ignores_white_space() -> None:
    text = "Công tác kiểm tra được triển khai\n   nghiêm túc, toàn diện tại 42/42 cơ quan."
    sp = locate("được triển khai nghiêm túc, toàn diện", Collapsed(text))
    assert sp is not None and text[sp[0] : sp[1]].split() == "được triển khai nghiêm túc, toàn diện".split()


def test_scope_and_scores() -> None:
    text = "I. KẾT QUẢ\nĐạt 100% kế hoạch.\nII. HẠN CHẾ\nCòn chậm.\n"
    scope = scope_spans(text, ["II"], [{"number": "I", "heading": "KẾT QUẢ"}, {"number": "II", "heading": "HẠN CHẾ"}])
    assert scope == [(text.index("II."), len(text))]
    a = text.index("Còn chậm.")
    gold = [("shortcoming", (a, a + 9)), ("achievement", (11, 29))]
    pred = [("shortcoming", (a, a + 9)), ("achievement", (11, 29)), ("task", (a, a + 4))]
    res = summarise([score_findings(pred, gold, scope)])
    assert res["labels"]["shortcoming"]["f1"] == 1.0
    assert res["labels"]["achievement"]["n_gold"] == 0  # out of scope
    assert res["labels"]["task"]["precision"] == 0.0


# Heading evidence and structural features -------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("Kết quả đạt được", "Kết quả đạt được"),
        ("Giao Sở Nội vụ:", "Giao Sở Nội vụ:"),
        ("PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP CÔNG TÁC ĐOÀN VÀ PHONG TRÀO THANH NIÊN NHIỆM KỲ XXII (2024 – 2027)",
         "PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP CÔNG TÁC ĐOÀN VÀ PHONG TRÀO THANH NIÊN NHIỆM KỲ XXII (2024 – 2027)"),
        # a "label: sentence" heading keeps its label
        ("Đối với cải cách thể chế: Tỉnh đã ban hành 12 văn bản quy phạm pháp luật.", "Đối với cải cách thể chế"),
        # numbered findings that a section parser took for headings are no evidence
        ("Đề cao trách nhiệm người đứng đầu.", None),
        ("Cải cách thủ tục hành chính được tập trung chỉ đạo; cơ chế một cửa được duy trì", None),
        ("Công tác sắp xếp tổ chức bộ máy, quản lý biên chế được triển khai quyết liệt, bám sát chủ trương của Trung ương và đúng lộ trình", None),
    ],
)
def test_heading_label(heading: str, label: str | None) -> None:
    assert heading_label(heading) == label


def _meta(text: str) -> dict[str, list[str]]:
    doc = ingest_text(text)
    secs = sections_of(doc)
    units = segment(doc, sections=secs, lead_ins=True)
    return {u.text: r["meta"].split() for u, r in zip(units, features(doc, units, secs), strict=True)}


PROPOSING = """\
I. KẾT QUẢ THỰC HIỆN
- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,1%, tăng 2% so với cùng kỳ.
- Ban tổ chức giao ban định kỳ với các chi đoàn để nắm tình hình.
II. ĐỀ XUẤT NHIỆM VỤ, GIẢI PHÁP NĂM 2026
1. Giao Sở Nội vụ:
- Tiếp tục tổ chức khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính.
"""


@pytest.mark.parametrize(
    ("text", "token", "present"),
    [
        ("Tiếp tục tổ chức khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính.", PROPOSAL, True),
        ("Tiếp tục tổ chức khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính.", "PROP", True),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,1%, tăng 2% so với cùng kỳ.", PROPOSAL, False),
        # "giao ban" is a briefing, not an assignment
        ("Ban tổ chức giao ban định kỳ với các chi đoàn để nắm tình hình.", PROPOSAL, False),
    ],
)
def test_proposal_features(text: str, token: str, present: bool) -> None:
    assert (token in _meta(PROPOSING)[text]) is present


def test_table_rows_are_marked() -> None:
    text = "I. KẾT QUẢ\n- Tỷ lệ hồ sơ đúng hạn đạt 99,1% so với cùng kỳ năm trước.\n  Sở Tư pháp có điểm thẩm định cao nhất      Xếp loại tốt\n"
    meta = _meta(text)
    assert "TABLE" not in meta["Tỷ lệ hồ sơ đúng hạn đạt 99,1% so với cùng kỳ năm trước."]
    assert any("TABLE" in m for t, m in meta.items() if "Sở Tư pháp" in t)


@needs_model
def test_a_task_proposed_for_another_body_is_a_recommendation() -> None:
    got = {f["text"]: f["category"] for f in find_findings(ingest_text(PROPOSING))}
    assert got["Tiếp tục tổ chức khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính."] == "recommendation"
