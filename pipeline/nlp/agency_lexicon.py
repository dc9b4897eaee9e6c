"""Rule data for agency mentions: heads, abbreviations, renamed fields, word lists.

The data lives in ``pipeline/nlp/data/*.tsv`` (rule data as data) and is loaded once.
Matching keys are lower case with the tone mark folded to the modern placement
(``hoà`` → ``hòa``, ``uỷ`` → ``ủy``), so ``Uỷ ban``, ``ỦY BAN`` and ``Ủy ban`` match alike.

>>> syllable_key("Uỷ")
'ủy'
>>> abbreviations()["HĐND"]
('hội', 'đồng', 'nhân', 'dân')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.ingest.repair.tone import fix_syllable

_DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1 << 16)
def syllable_key(word: str) -> str:
    """Lower case, NFC, tone mark where ingest puts it: ``Hoà`` → ``hòa``, ``THUỶ`` → ``thủy``."""
    w = unicodedata.normalize("NFC", word.lower())
    return fix_syllable(w) or w


@dataclass(frozen=True, slots=True)
class Head:
    """The start of a body's name (``Sở``, ``Ủy ban nhân dân``) and how its name goes on."""

    display: str
    kind: str
    tail: str  # place | name | lname | of | ofp | fixed (see data/agency_heads.tsv)
    level: str | None
    canonical: str = ""  # the display in canonical names, when not ``display``

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(syllable_key(w) for w in re.findall(r"\w+|[^\w\s]", self.display))


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append([c.strip() for c in unicodedata.normalize("NFC", line).split("\t")])
    return out


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, ...]]:
    """Printed abbreviation (case-sensitive) → the syllable keys of its first reading."""
    return {k: v[0] for k, v in abbreviation_readings().items()}


@lru_cache(maxsize=1)
def abbreviation_readings() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Printed abbreviation → the syllable keys of each reading, most usual first (``TT``)."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for r in _rows("agency_abbreviations.tsv"):
        out[r[0]] = (*out.get(r[0], ()), tuple(syllable_key(w) for w in r[1].split()))
    return out


@lru_cache(maxsize=1)
def expansions() -> dict[tuple[str, ...], str]:
    """Syllable keys of a reading → its display in canonical names (``Viện KSND`` → ``kiểm sát nhân dân``)."""
    return {tuple(syllable_key(w) for w in r[1].split()): r[1] for r in _rows("agency_abbreviations.tsv")}


@lru_cache(maxsize=1)
def heads() -> dict[tuple[str, ...], Head]:
    """Syllable keys of each head → :class:`Head`."""
    out: dict[tuple[str, ...], Head] = {}
    for r in _rows("agency_heads.tsv"):
        h = Head(display=r[0], kind=r[1], tail=r[2], level=None if r[3] == "-" else r[3],
                 canonical=r[4] if len(r) > 4 else r[0])
        out[h.words] = h
    return out


@lru_cache(maxsize=1)
def head_trie() -> dict:
    """A nested-dict trie over syllable keys; a node's ``None`` entry holds the :class:`Head`."""
    root: dict = {}
    for words, head in heads().items():
        node = root
        for w in words:
            node = node.setdefault(w, {})
        node[None] = head
    return root


@lru_cache(maxsize=1)
def renamed_fields() -> list[tuple[str, str, str]]:
    """``(field before, field after, effective date)`` for ministries and departments merged in 2025."""
    return [(r[0], r[1], r[2]) for r in _rows("agency_successors.tsv")]


# Place words after a body: key → level.  "thành phố" is a province (centrally-run) or a district.
LEVEL_WORDS: dict[tuple[str, ...], str] = {
    ("tỉnh",): "province",
    ("thành", "phố"): "city",
    ("thủ", "đô"): "province",
    ("huyện",): "district",
    ("quận",): "district",
    ("thị", "xã"): "district",
    ("xã",): "commune",
    ("phường",): "commune",
    ("thị", "trấn"): "commune",
    ("đặc", "khu"): "commune",
}

# Words that end a body's name: function words and the verbs that follow a subject.
NAME_STOP = frozenset(
    """của về theo tại trong với cho để đã đang sẽ được bị là có không chưa những thì mà như trên dưới
    từ đến khi nếu năm ngày tháng số thực chủ phối đề hướng tham giao chỉ ký gửi xin kính
    nhận tiếp quyết yêu trình đánh rà tăng đẩy tập lãnh làm tạo đảm cùng phải cần nhằm do vì sau trước
    lần đợt kỳ gồm nay này đó kèm tổng thông ban căn hiện vào ra lên xuống đi giữa nhưng hoặc hay
    cũng đều rất còn lại tới qua bằng thuộc liên quan hợp email website fax""".split()
)

# Function words that a lower-case name never holds (a stricter test than NAME_STOP, whose
# content words such as ``trình`` may sit inside a long name: ``các công trình dân dụng``).
FUNCTION_WORDS = frozenset(
    """của về theo tại trong với cho để đã đang sẽ được bị là có không chưa những thì mà như trên
    dưới từ đến khi nếu năm ngày tháng số nay này đó gồm cùng do vì sau trước giữa nhưng hoặc hay
    cũng đều rất còn lại tới qua bằng thuộc nhằm""".split()
)

# Two-word stops whose first word alone may be part of a name (``Trung tâm Công báo``).
STOP_PAIRS = frozenset({("báo", "cáo"), ("điện", "thoại"), ("điện", "tử"), ("triển", "khai")})

# First syllables of verbs that follow a body as its predicate (``Cục Hải quan kiểm tra …``):
# a lower-case run holding one is a clause, not the end of a name.
VERBS = frozenset(
    """kiểm tổ thẩm xem giải cung tuyên lập nắm duy ban hướng chủ phối đề thực tham
    giao chỉ ký gửi nhận tiếp yêu đánh rà tăng đẩy làm tạo đảm bố báo đôn bổ chỉnh
    quán vận hoàn khẩn sớm tích kịp""".split()
)

# A head followed by one of these lower-case words is an ordinary word, not a body
# (``báo cáo``, ``BAN HÀNH``, ``trường hợp``): checked when the text is in capitals.
NOT_NAMES = frozenset(
    """báo:cáo ban:hành phòng:chống phòng:ngừa trường:hợp hội:nghị hội:thảo hội:đủ đoàn:kết bộ:phận
    bộ:máy sở:hữu quỹ:đất đài:thọ cục:bộ vụ:việc viện:dẫn viện:trợ hội:họp hội:nhập hội:viên
    đoàn:viên đảng:viên đoàn:thể sở:tại""".split()
)

# A first name word that makes the head a post, not a body: ``Bộ trưởng``, ``Vụ trưởng``, ``Ban Phó``.
POST_NAMES = frozenset({"trưởng", "phó", "viên"})

# ``previous word:head word`` pairs where the head is the tail of an ordinary word
# (``xã hội``, ``cơ sở``, ``nhiệm vụ``, ``cán bộ``, ``môi trường``).
PREV_WORDS = frozenset(
    """xã:hội đại:hội cơ:hội cơ:sở trụ:sở cán:bộ toàn:bộ đồng:bộ tiến:bộ nhiệm:vụ phục:vụ
    dịch:vụ nghiệp:vụ sự:vụ thời:vụ công:vụ chuyên:môn quốc:phòng dự:phòng đề:phòng thị:trường
    môi:trường hiện:trường quảng:trường bố:cục công:đoàn thông:báo cảnh:báo dự:báo
    phi:chính thư:viện văn:phòng""".split()
)

# Posts before a body's part: ``Phó Bí thư Thường trực Đảng ủy`` is a post of the Đảng ủy.
POST_BEFORE = frozenset({"thư", "tịch", "trưởng", "phó"})

# Words that open a post, not a body's name, after a dash or a comma: ``… HĐND tỉnh - Phó Chủ tịch``.
POST_WORDS = frozenset({"phó", "chủ", "trưởng", "giám", "bí", "chánh", "tổ", "thư", "chuyên", "ủy", "thành"})

# Family names: a head right after one is part of a person's name (``Nguyễn Trường Nhật Phượng``).
SURNAMES = frozenset(
    """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đoàn trịnh đinh lâm mai
    trương lương tạ cao châu quách tô thái hà kiều khúc triệu lưu văn thị""".split()
)

# Words directly before a body that make it part of something else: a post (Thủ tướng Chính
# phủ), the deputies of an assembly (đại biểu Quốc hội), a law's title (Luật Mặt trận …).
BLOCKED_AFTER = frozenset({"tướng", "biểu", "luật", "lệ", "ông", "bà"})

PLURALS = frozenset({"các", "những", "mỗi", "từng", "mọi"})


@lru_cache(maxsize=1)
def fields() -> list[tuple[tuple[str, ...], str]]:
    """``(syllable keys, display)`` of the known fields, longest first (punctuation is a syllable)."""
    out = []
    for r in _rows("agency_fields.tsv"):
        words = r[0].replace(",", " ,").split()
        out.append((tuple(syllable_key(w) for w in words), r[0]))
    return sorted(out, key=lambda x: -len(x[0]))
