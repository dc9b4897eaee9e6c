"""Findings: achievements, shortcomings, causes, tasks and recommendations of a report.

The body is cut into units (:mod:`pipeline.nlp.units`); each unit is described by its own
words, the headings above it, the lead-in sentence that introduces it, the kind of document
and a few cue flags (FORMAT.md §4.2-4.3), and a trained scikit-learn model (TF-IDF + a
class-balanced linear SVM, built by :mod:`pipeline.nlp.train`) gives it one of the five
labels or ``none``.

Cues are features, not rules: a ``chưa …`` sentence in a *Kết quả* section is a shortcoming
because the model has learnt that ``chưa`` outweighs the heading (the cue crossed with the
heading's slot is a feature of its own), not because a rule says so.

>>> from pipeline.ingest import ingest_text
>>> doc = ingest_text("II. HẠN CHẾ, TỒN TẠI\\n- Việc cập nhật dữ liệu còn chậm, chưa đồng bộ.\\n")
>>> [f["category"] for f in find_findings(doc)]  # doctest: +SKIP
['shortcoming']
"""

from __future__ import annotations

import json
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.model import Document, Section
from pipeline.nlp.units import Unit, sections_of, segment

__all__ = [
    "CATEGORIES",
    "ModelMissingError",
    "default_model_dir",
    "doc_kind",
    "features",
    "find_findings",
    "heading_slots",
    "load_model",
    "unit_cues",
]

CATEGORIES = ("achievement", "shortcoming", "cause", "task", "recommendation")
NONE = "none"
NON_REPORT = "DK_other"  # the feature token of a document that is not a report
PROPOSAL = "PROPOSAL"  # the feature token of a unit under a heading that proposes or assigns work
MODEL_FILE = "model.joblib"

# ---------------------------------------------------------------------------------------------
# Heading cues: the canonical slots of FORMAT.md §4.2, matched on the lower-cased heading

_SLOTS: list[tuple[str, re.Pattern[str]]] = [
    ("lessons", re.compile(r"bài học|kinh nghiệm rút ra")),
    ("causes", re.compile(r"nguyên nhân")),
    ("weak", re.compile(r"hạn chế|tồn tại|yếu kém|khuyết điểm|mặt chưa|chưa làm được|chưa được|bất cập")),
    ("difficult", re.compile(r"khó khăn|vướng mắc")),
    ("recommend", re.compile(r"kiến nghị|đề xuất|đề nghị")),
    ("plan", re.compile(r"phương hướng|nhiệm vụ|giải pháp|mục tiêu|chỉ tiêu|kế hoạch|thời gian tới|trọng tâm|tổ chức thực hiện")),
    ("strength", re.compile(r"ưu điểm|mặt được|kết quả nổi bật|việc làm được|mặt mạnh|thuận lợi")),
    ("assess", re.compile(r"đánh giá|nhận xét")),
    ("results", re.compile(r"kết quả|tình hình thực hiện|triển khai thực hiện|công tác|thực hiện")),
    ("context", re.compile(r"đặc điểm|bối cảnh|tình hình chung|căn cứ|mục đích|yêu cầu")),
]


def heading_slots(heading: str) -> list[str]:
    """The canonical slots a heading names, most specific first.

    >>> heading_slots("III. Tồn tại, hạn chế và nguyên nhân")
    ['causes', 'weak']
    >>> heading_slots("Phương hướng, nhiệm vụ năm 2026")
    ['plan']
    >>> heading_slots("Giao Sở Nội vụ:")
    ['assign']
    """
    return list(_heading_slots(heading))


@lru_cache(maxsize=4096)
def _heading_slots(heading: str) -> tuple[str, ...]:
    # every unit of a section asks for the same heading: compute it once
    h = heading.lower()
    found = [name for name, pat in _SLOTS if pat.search(h)]
    # "kết quả" in a plan heading ("phấn đấu đạt kết quả") or a weakness heading does not make it a results section
    if len(found) > 1 and "results" in found:
        found.remove("results")
    # "Giao Sở Nội vụ:" heads the tasks a report proposes to assign to another body
    if _ASSIGN.match(heading.strip()):
        found.insert(0, "assign")
    return tuple(found)


_ASSIGN = re.compile(rf"[Gg]iao\s+(?:cho\s+)?[{'A-ZÀ-ỸĐ'}]")
# A heading that opens with a proposal ("ĐỀ XUẤT NHIỆM VỤ, GIẢI PHÁP …", "Kiến nghị …"); "Giao
# <Body>" (capitalised: not "giao ban", a briefing) assigns work to another body.
_PROPOSAL_HEAD = re.compile(r"(?i:(?:kính\s+)?(?:đề xuất|kiến nghị|đề nghị))\b")
_RESULTS_STRONG = re.compile(r"kết quả|tình hình thực hiện|triển khai thực hiện|đã làm được")
_SENTENCE_INSIDE = re.compile(r"[.;!?]\s+[A-ZÀ-ỸĐ]|;")


def heading_label(heading: str) -> str | None:
    """The part of a section heading that is evidence of what the section holds, or ``None``.

    A section parser may take a numbered finding for a heading (``a) Đã ban hành … .``); its
    words say nothing about the items below, so only a title counts: at most 15 words (40 in
    capitals), no sentence end, no ``;``.  A ``label: sentence`` heading keeps its label.

    >>> heading_label("Giao Sở Nội vụ:")
    'Giao Sở Nội vụ:'
    >>> heading_label("Đối với cải cách thể chế: Tỉnh đã ban hành 12 văn bản quy phạm pháp luật.")
    'Đối với cải cách thể chế'
    >>> heading_label("Công tác kiểm tra được triển khai nghiêm túc; 100% đơn vị đã khắc phục.") is None
    True
    """
    h = " ".join(heading.split())
    label, colon, rest = h.partition(": ")
    if colon and rest.strip():
        h = label.strip()
    if not h:
        return None
    words = len(h.split())
    letters = [c for c in h if c.isalpha()]
    caps = len(letters) >= 4 and all(c.isupper() for c in letters)
    if words > (40 if caps else 15) or h.endswith((".", ";", "!", "?", "…")) or _SENTENCE_INSIDE.search(h):
        return None
    return h


# ---------------------------------------------------------------------------------------------
# The unit's own cues (FORMAT.md §4.3)

_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("neg", re.compile(r"\b(?:chưa|không đạt|không được|vẫn còn|còn (?:nhiều|một số|tình trạng|chậm|thấp|hạn chế|hình thức|khó khăn|thiếu|xảy ra|gặp)|thiếu|chậm|bất cập|vướng mắc|hạn chế|yếu kém|tồn tại|khó khăn|lúng túng|thấp|giảm)\b")),
    ("contrast", re.compile(r"^(?:tuy nhiên|bên cạnh đó|song|nhưng|mặc dù|tuy)\b")),
    ("cause", re.compile(r"\b(?:nguyên nhân|do|bởi|vì|xuất phát từ|dẫn đến|ảnh hưởng của|tác động của|chủ yếu do|một phần do)\b")),
    ("ach", re.compile(r"\b(?:đạt|vượt|hoàn thành|kịp thời|hiệu quả|chuyển biến|tích cực|đã|được|tăng|nghiêm túc|đúng quy định|đảm bảo|bảo đảm|ổn định)\b")),
    ("task", re.compile(r"^(?:tiếp tục|đẩy mạnh|tăng cường|nâng cao|tập trung|chú trọng|quan tâm|triển khai|thực hiện|phấn đấu|duy trì|phát huy|khắc phục|chấn chỉnh|rà soát|kiện toàn|đổi mới|chỉ đạo|đôn đốc|chủ động|xây dựng|tổ chức|hoàn thiện|phối hợp)\b")),
    ("future", re.compile(r"\b(?:sẽ|thời gian tới|năm tới|tiếp theo|phấn đấu|cần|phải|dự kiến)\b")),
    ("rec", re.compile(r"\b(?:kiến nghị|đề xuất|đề nghị|kính đề nghị|kính trình|xin ý kiến|xem xét|sớm ban hành|hỗ trợ)\b")),
    ("done", re.compile(r"\b(?:đã ban hành|ban hành)\b.*\b(?:số|kế hoạch|quyết định|công văn)\b")),
    ("pct", re.compile(r"\d+(?:[,.]\d+)?\s*%")),
    ("num", re.compile(r"\d")),
    ("doc", re.compile(r"\d+/[^\s]*[A-ZĐ]")),
    # a figure held against a target it misses: a shortcoming even in a Kết quả section
    ("miss", re.compile(r"\b(?:chỉ đạt|chưa đạt|không đạt|chưa hoàn thành|thấp hơn|chỉ tiêu đề ra là|chậm so với|trễ hạn|quá hạn|dưới \d)")),
    # "Giao Sở …": a task proposed for another body (a recommendation, ANNOTATION.md)
    ("giao", re.compile(r"^giao (?:cho )?(?:sở|ban|ubnd|ủy ban|văn phòng|phòng|trung tâm|công an|bộ|các|cục|chi cục|đoàn|hội|bảo hiểm|kho bạc|thanh tra|đài|báo|trường|viện|tỉnh|huyện|xã)\b")),
    ("req", re.compile(r"^(?:đề nghị|kiến nghị|đề xuất|kính đề nghị|kính đề xuất|xin|kính trình|trân trọng đề nghị)\b")),
    ("causeinit", re.compile(r"^(?:do|vì|bởi|nguyên nhân|một phần do|chủ yếu do|một số nguyên nhân)\b")),
    ("ongoing", re.compile(r"\b(?:đang|tiếp tục|đã và đang)\b")),
    ("will", re.compile(r"\b(?:sẽ|trong thời gian tới|thời gian tới|năm 20\d\d tới|phấn đấu|dự kiến|tiếp tục)\b")),
    ("must", re.compile(r"\b(?:cần|phải|yêu cầu|nghiêm túc thực hiện)\b")),
    ("past", re.compile(r"\b(?:đã|được|trong kỳ|trong năm|qua|vừa qua)\b")),
    ("count", re.compile(r"^(?:tổng số|số lượng|toàn (?:tỉnh|huyện|xã|ngành) có|có \d)")),
    ("reached", re.compile(r"\b(?:đạt|vượt|hoàn thành|tăng)\b[^.;]{0,40}\d")),
]


def unit_cues(text: str) -> list[str]:
    """The cue flags of a unit's text.

    >>> unit_cues("Tiếp tục đẩy mạnh cải cách hành chính")
    ['task', 'ongoing', 'will']
    >>> unit_cues("Tỷ lệ hồ sơ trễ hạn còn cao, chưa đạt 95%")
    ['neg', 'ach', 'pct', 'num', 'miss', 'reached']
    """
    t = text.lower()
    return [name for name, pat in _CUES if pat.search(t)]


# ---------------------------------------------------------------------------------------------
# Features

_DIGITS = re.compile(r"\d")


def _clean(s: str) -> str:
    return _DIGITS.sub("0", s.lower())


def _ancestors(sec: Section | None, by_id: dict[int, Section]) -> list[Section]:
    out = []
    seen = set()
    while sec is not None and sec.id not in seen:
        out.append(sec)
        seen.add(sec.id)
        sec = by_id.get(sec.parent) if sec.parent is not None else None
    return out


# Type codes of documents that are not reports (ND30 Phụ lục III, HD36): their directives and
# plans are not findings (ANNOTATION.md, "Findings (reports only)").
_NON_REPORT = frozenset(
    "NQ QĐ CT QC QyĐ TC TB HD CTr KH PA ĐA DA BB TTr HĐ CĐ GM NĐ TT TTLT NQLT KL KHLT CTPH QCPH PL L".split()
)


def doc_kind(doc: Document) -> str:
    """``report``, ``letter_report`` (a công văn that reports), ``letter``, ``other`` or ``unknown``.

    >>> from pipeline.model import Source
    >>> d = Document(source=Source(path="x", sha256="0", format="txt"), doc_type="CV", title="V/v báo cáo tình hình")
    >>> doc_kind(d)
    'letter_report'
    """
    title = (doc.title or "").lower()
    name = (doc.type_name or "").upper()
    if doc.doc_type == "BC" or "BÁO CÁO" in name or "KIỂM ĐIỂM" in name:
        return "report"
    if doc.doc_type in _NON_REPORT:
        return "other"
    if re.match(r"v/v\s+báo cáo", title):
        return "letter_report"
    if doc.doc_type == "CV" or title.startswith("v/v"):
        return "letter"
    return "unknown"


def features(doc: Document, units: list[Unit], sections: list[Section]) -> list[dict[str, str]]:
    """One feature record per unit: ``text``, ``head``, ``lead`` and ``meta`` strings.

    ``head`` holds the enclosing headings (nearest first; only title-like ones, see
    :func:`heading_label`), ``lead`` the lead-in sentence that
    introduces the unit's list, ``meta`` space-separated tokens:

    - the kind of document (``DK_report``, ``DK_other`` …): a Kế hoạch has no findings;
    - heading slots: ``H0_weak`` for the nearest heading that names a slot, ``HD_`` for the
      nearest heading itself, ``HA_`` for any ancestor, ``R_`` for the level-1 heading, and
      where that top section stands among the top sections (direction sections come last);
    - the unit's cue flags (``C_neg``), the same crossed with the nearest slot
      (``X_results_neg``: so ``chưa đạt`` can outweigh a Kết quả heading), the cues of the
      previous unit of the same paragraph, the cues of the lead-in;
    - ``PROP`` (and the cues crossed with it, ``XP_``) under a heading or lead-in that proposes
      or assigns work to another body, ``PROPOSAL`` when such a heading opens with the proposal
      or the unit itself opens with ``Giao <Body>`` (read by :func:`predict_rows`);
    - ``TABLE`` for a unit standing on a line cut into layout columns;
    - its first words, kind, length and relative position in the body.
    """
    by_id = {s.id: s for s in sections}
    start, end = doc.body_span or (0, len(doc.text))
    size = max(1, end - start)
    roots = [s for s in sections if s.parent is None]
    root_rank = {s.id: i for i, s in enumerate(roots)}
    kind = doc_kind(doc)
    labels = {s.id: heading_label(s.heading) for s in sections}
    rows: list[dict[str, str]] = []
    lead = ""
    lead_block = -10
    lead_section: int | None = None
    prev_cues: list[str] = []
    prev_block = -1
    for u in units:
        if u.lead_in:
            lead, lead_block, lead_section = u.text, u.block, u.section
        # only title-like headings are evidence (a numbered finding taken for a heading is not)
        anc = [s for s in _ancestors(by_id.get(u.section) if u.section is not None else None, by_id) if labels.get(s.id)]
        heads = [labels[s.id] or "" for s in anc]
        meta: list[str] = [f"K_{u.kind}", f"POS_{min(9, int(10 * (u.span[0] - start) / size))}", f"DK_{kind}"]
        eff: list[str] | None = None
        proposes = False
        for depth, h in enumerate(heads):
            slots = heading_slots(h)
            for sl in slots:
                meta.append(f"HA_{sl}")
                if depth == 0:
                    meta.append(f"HD_{sl}")
            # "Công tác giáo dục", "Về cải cách thể chế" name a topic, not a kind of content: the
            # slot is the one of the heading above ("NHIỆM VỤ, GIẢI PHÁP" or "KẾT QUẢ")
            if slots and eff is None and not (slots == ["results"] and not _RESULTS_STRONG.search(h.lower())):
                meta.extend(f"H0_{sl}" for sl in slots)
                eff = slots
            proposes = proposes or "recommend" in slots or "assign" in slots
        if not anc:
            meta.append("H_none")
        if eff is None:
            eff = ["noslot"]
            meta.append("H0_noslot")
        if anc:
            root = anc[-1]
            meta.extend(f"R_{sl}" for sl in heading_slots(heads[-1]) or ["noslot"])
            if root.id in root_rank:
                n, i = len(roots), root_rank[root.id]
                meta.append("RI_" + ("first" if i == 0 else "last" if i == n - 1 else "mid"))
                meta.append(f"RQ_{min(3, int(4 * i / max(1, n)))}")
        # a lead-in colours the bullets right after it in the same section
        near_lead = lead if (lead and lead_section == u.section and u.block - lead_block <= 12 and not u.lead_in) else ""
        if near_lead:
            lead_cues = unit_cues(near_lead)
            meta.extend(f"L_{c}" for c in lead_cues)
            meta.extend(f"LS_{sl}" for sl in heading_slots(near_lead))
            proposes = proposes or "req" in lead_cues or "giao" in lead_cues or bool(_ASSIGN.match(near_lead))
        low = u.text.lower()
        cues = unit_cues(u.text)
        meta.extend(f"C_{c}" for c in cues)
        meta.extend(f"X_{eff[0]}_{c}" for c in cues if c != "num")
        if not cues:
            meta.append(f"X_{eff[0]}_nocue")
        # under a heading that proposes or assigns work to another body ("ĐỀ XUẤT NHIỆM VỤ …",
        # "Giao Sở Nội vụ:") a task-worded item is a recommendation (ANNOTATION.md)
        if proposes:
            meta.append("PROP")
            meta.extend(f"XP_{c}" for c in cues if c != "num")
        if _ASSIGN.match(u.text) or any(_PROPOSAL_HEAD.match(h) or _ASSIGN.match(h) for h in heads):
            meta.append(PROPOSAL)
        if _in_table(doc.text, u.span):  # a row of a score sheet: a count, rarely a finding
            meta.append("TABLE")
        if u.block == prev_block:  # "… đạt 98%; còn 02 xã chưa đạt": clauses of one sentence
            meta.extend(f"PV_{c}" for c in prev_cues)
        prev_cues, prev_block = cues, u.block
        words = re.findall(r"\w+", low)
        if words:
            meta.append("F1_" + words[0])
            meta.append("F2_" + "_".join(words[:2]))
            meta.append("F3_" + "_".join(words[:3]))
        n = len(words)
        meta.append("LEN_" + ("s" if n < 8 else "m" if n < 25 else "l" if n < 60 else "xl"))
        if u.text.rstrip().endswith(":"):
            meta.append("ENDS_colon")
        rows.append(
            {
                "text": _clean(u.text),
                "head": _clean(" | ".join(heads)),
                "lead": _clean(near_lead),
                "meta": " ".join(meta),
            }
        )
    return rows


_CELL_GAP = re.compile(r"\S(?:\t+| {3,})\S")


def _in_table(text: str, span: tuple[int, int]) -> bool:
    """Whether a line the unit stands on is cut into layout columns (a table row, a score sheet)."""
    a = text.rfind("\n", 0, span[0]) + 1
    b = text.find("\n", span[1])
    return bool(_CELL_GAP.search(text, a, len(text) if b < 0 else b))


DEFAULT_C = 0.1


def build_pipeline(*, C: float = DEFAULT_C) -> Any:
    """The untrained model: TF-IDF views of the unit, its headings and lead-in, cue tokens, then
    a class-balanced linear SVM (one-vs-rest; :func:`confidences` turns its margins into scores).

    The SVM was chosen over logistic regression by grouped cross-validation (better macro-F1 at
    a tenth of the fitting time, which keeps ``baocao evaluate``'s cross-validation fast).
    Character n-grams of the unit were dropped: the same macro-F1 under 8- and 11-fold grouped
    cross-validation (0.830 / 0.848 without, 0.829 / 0.849 with) at a third of the cost."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    word = r"(?u)\b\w+\b"
    cols = ColumnTransformer(
        [
            ("words", TfidfVectorizer(token_pattern=word, ngram_range=(1, 2), min_df=2, max_features=40000, sublinear_tf=True), "text"),
            ("head", TfidfVectorizer(token_pattern=word, ngram_range=(1, 2), min_df=2, max_features=8000, sublinear_tf=True), "head"),
            ("lead", TfidfVectorizer(token_pattern=word, ngram_range=(1, 2), min_df=2, max_features=4000, sublinear_tf=True), "lead"),
            ("meta", CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, min_df=2), "meta"),
        ],
        sparse_threshold=1.0,
    )
    clf = LinearSVC(C=C, class_weight="balanced", max_iter=5000)
    return Pipeline([("features", cols), ("clf", clf)])


def strip_fitted(pipe: Any) -> Any:
    """Drop the vectorizers' ``stop_words_`` sets (kept only for introspection; large on disk)."""
    for _, tr, _ in pipe.named_steps["features"].transformers_:
        if hasattr(tr, "stop_words_"):
            tr.stop_words_ = None
    return pipe


def frame(rows: list[dict[str, str]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows, columns=["text", "head", "lead", "meta"])


# ---------------------------------------------------------------------------------------------
# Loading


class ModelMissingError(FileNotFoundError):
    """The findings model has not been trained (or was not shipped)."""


_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def default_model_dir() -> Path:
    """``$BAOCAO_FINDINGS_MODEL`` or ``models/findings`` at the project root."""
    env = os.environ.get("BAOCAO_FINDINGS_MODEL")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models" / "findings"


def load_model(path: str | Path | None = None) -> Any:
    """Load (once, offline) the findings model from a folder or a ``.joblib`` file."""
    p = Path(path) if path is not None else default_model_dir()
    f = p if p.suffix == ".joblib" else p / MODEL_FILE
    key = str(f)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if not f.is_file():
            raise ModelMissingError(f"findings model not found at {f}: run `baocao train --corpus ../shared/corpus` to build it")
        import joblib

        model = joblib.load(f)
        _CACHE[key] = model
        return model


def model_manifest(path: str | Path | None = None) -> dict[str, Any]:
    """The ``manifest.json`` beside the model."""
    p = Path(path) if path is not None else default_model_dir()
    p = p.parent if p.suffix == ".joblib" else p
    return json.loads((p / "manifest.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Inference


def classify_units(doc: Document, model: Any = None) -> tuple[list[Unit], list[Section], list[str], list[float]]:
    """Every unit of the body (lead-ins included) with its predicted label and probability."""
    if model is None or isinstance(model, (str, Path)):
        model = load_model(model)
    secs = sections_of(doc)
    units = segment(doc, sections=secs, lead_ins=True)
    if not units:
        return [], secs, [], []
    labels, conf = predict_rows(model, features(doc, units, secs))
    return units, secs, labels, conf


def confidences(scores: Any) -> Any:
    """Per-class scores in (0, 1] summing to 1: probabilities when the model gives them, else a
    softmax of the SVM margins (a ranking score, not a calibrated probability)."""
    import numpy as np

    z = np.asarray(scores, dtype=float)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(3.0 * z)
    return e / e.sum(axis=1, keepdims=True)


def predict_rows(model: Any, rows: list[dict[str, str]]) -> tuple[list[str], list[float]]:
    """The label and confidence the model gives each feature record."""
    if not rows:
        return [], []
    proba = confidences(_scores(model, rows)) if not hasattr(model, "predict_proba") else model.predict_proba(frame(rows))
    classes = list(model.classes_)
    labels = [str(classes[i]) for i in proba.argmax(axis=1)]
    conf = [float(row.max()) for row in proba]
    for i, r in enumerate(rows):
        meta = r["meta"].split()
        if NON_REPORT in meta and NONE in classes:
            # a plan, a decision, a directive … has no findings (ANNOTATION.md, "Findings (reports only)")
            labels[i], conf[i] = NONE, float(proba[i][classes.index(NONE)])
        elif labels[i] == "task" and PROPOSAL in meta:
            # work a report proposes for another body is a recommendation, even worded as a task
            # (ANNOTATION.md); the model alone cannot learn it from the few reports that do so
            labels[i] = "recommendation"
        elif labels[i] == "achievement" and _MISSED.search(r["text"].lower()) and "shortcoming" in classes:
            # a result held against a target it misses is a shortcoming, in a results section too
            # (ANNOTATION.md: "figures the text holds against a target they miss")
            labels[i] = "shortcoming"
    return labels, conf


# A target missed, said outright: "chưa đạt chỉ tiêu", "không hoàn thành kế hoạch".
_MISSED = re.compile(r"\b(?:chưa|không)\s+(?:đạt|hoàn\s+thành|đáp\s+ứng)\b")


def _scores(model: Any, rows: list[dict[str, str]]) -> Any:
    """The classifier's margins for ``rows``.

    For our own pipeline (a ColumnTransformer of text vectorizers, then a linear model) the
    columns are vectorized directly: the same matrix as ``model.decision_function(frame(rows))``
    without building a DataFrame and a joblib dispatch per document, which cost more than the
    vectorizing itself on a short report.
    """
    from scipy import sparse

    steps = getattr(model, "named_steps", {})
    cols, clf = steps.get("features"), steps.get("clf")
    if cols is None or clf is None or getattr(cols, "remainder", "drop") != "drop":
        return model.decision_function(frame(rows))
    mats = [tr.transform([r[col] for r in rows]) for _name, tr, col in cols.transformers_ if tr != "drop" and isinstance(col, str)]
    return clf.decision_function(sparse.hstack(mats).tocsr())


def find_findings(doc: Document, model: Any = None) -> list[dict[str, Any]]:
    """The findings of ``doc``: ``{"category", "text", "span", "section", "section_heading", "confidence"}``.

    ``model`` is a fitted model, a path, or ``None`` for the shipped one.  ``section`` is the id
    of the section in :attr:`Document.sections` (``None`` when the document has none; the
    heading found by the fallback outline is still given).
    """
    if doc_kind(doc) == "other":
        # a plan, a decision, a directive … has no findings (ANNOTATION.md, "Findings (reports
        # only)"): the model would answer "none" for every unit, so do not run it
        return []
    if isinstance(model, (str, Path)):
        model = load_model(model)
    units, secs, labels, conf = classify_units(doc, model)
    by_id = {s.id: s for s in secs}
    own = bool(doc.sections)
    out: list[dict[str, Any]] = []
    for u, lab, c in zip(units, labels, conf, strict=True):
        if u.lead_in or lab == NONE:
            continue
        sec = by_id.get(u.section) if u.section is not None else None
        out.append(
            {
                "category": lab,
                "text": u.text,
                "span": [u.span[0], u.span[1]],
                "section": sec.id if (sec and own) else None,
                "section_heading": sec.heading if sec else None,
                "confidence": round(c, 4),
            }
        )
    return out
