"""Text repair, applied once at ingest, with an exact map back to the reader's text.

:func:`repair` runs these steps in order; each one edits the output of the one before
(see :mod:`~pipeline.ingest.repair.edit`) and reports its name in ``applied`` when it
changed something:

1. ``invisible`` (BOM, zero-width characters), ``whitespace`` (NBSP and other spaces →
   space, CRLF/CR/VT → LF; ``\\f`` and TAB kept), ``nfc`` (Unicode NFC);
2. ``tcvn3`` / ``vni``: legacy 8-bit font text converted (:mod:`.legacy`), when detected or
   forced with ``hints={"legacy": "tcvn3"}``;
3. ``lookalike``: ``Ƣ`` → ``Ư``, ``Ð`` → ``Đ``, Cyrillic/Greek look-alikes, fullwidth digits,
   soft hyphens and control characters (:mod:`.unicode`).  It runs before the tone step
   because a syllable spelt with ``ƣ`` or ``Ð`` cannot be parsed for its tone;
4. ``tone``: one tone-mark placement, ``hòa``, ``thủy``, ``Ủy ban`` (:mod:`.tone`);
5. ``markdown``: Markdown/HTML markup of web copies, when detected or with
   ``hints={"markup": "markdown"}`` (:mod:`.markup`);
6. ``furniture``: page numbers and running headers/footers at ``\\f`` page breaks; the
   ``\\f`` itself is kept (:mod:`.furniture`);
7. ``wrap``: hard-wrapped lines joined into paragraphs, also across page breaks
   (:mod:`.wrap`); ``hints={"wrapped": False}`` skips it.

>>> fixed = repair("Uỷ ban nhân dân tỉnh Khánh Hoà\\r\\nPHƢƠNG HƢỚNG")
>>> fixed.text, fixed.applied
('Ủy ban nhân dân tỉnh Khánh Hòa\\nPHƯƠNG HƯỚNG', ['whitespace', 'lookalike', 'tone'])
>>> fixed.offsets.to_raw(fixed.text.index("PHƯƠNG"))
32
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.ingest.repair.edit import Edits, Trace, apply_edits
from pipeline.ingest.repair.furniture import furniture_edits
from pipeline.ingest.repair.legacy import detect_legacy, legacy_edits, to_unicode
from pipeline.ingest.repair.markup import detect_markdown, markdown_edits
from pipeline.ingest.repair.tone import tone_edits
from pipeline.ingest.repair.unicode import basic_edits, lookalike_edits, nfc_edits
from pipeline.ingest.repair.wrap import wrap_edits
from pipeline.model import OffsetMap

__all__ = ["Repaired", "detect_legacy", "repair", "to_unicode"]


@dataclass(slots=True)
class Repaired:
    """The repaired text, the map of its offsets to the input's, and the steps that changed it."""

    text: str
    offsets: OffsetMap
    applied: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)  # edits per step, e.g. {"wrap": 412}


class _Run:
    """The text being repaired and the trace back to the input."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.trace = Trace.identity(len(text))
        self.applied: list[str] = []
        self.stats: dict[str, int] = {}

    def step(self, name: str, edits: Edits) -> None:
        if not edits:
            return
        self.text, later = apply_edits(self.text, edits)
        self.trace = self.trace.then(later)
        self.applied.append(name)
        self.stats[name] = self.stats.get(name, 0) + len(edits)


def repair(text: str, *, hints: dict[str, Any] | None = None) -> Repaired:
    """Repair ``text`` once and map every output character back to an input offset.

    Args:
        text: the reader's text.
        hints: what the reader knows: ``{"legacy": "tcvn3" | "tcvn3h" | "vni" | None}``
            forces (or, with ``None``/``"none"``, forbids) the legacy conversion;
            ``{"markup": "markdown" | "none"}`` forces or forbids markup removal;
            ``{"wrapped": True | False}`` forces or skips the joining of wrapped lines.

    Returns:
        :class:`Repaired` with ``text``, ``offsets`` (an :class:`OffsetMap` from the repaired
        text to ``text``) and ``applied`` (the names of the steps that changed something).
    """
    hints = hints or {}
    run = _Run(text)
    run.step("invisible", basic_edits(run.text)[0])
    run.step("whitespace", basic_edits(run.text)[1])
    run.step("nfc", nfc_edits(run.text))

    legacy = hints.get("legacy", "auto")
    if legacy == "auto":
        legacy = detect_legacy(run.text)
    if legacy and legacy != "none":
        name = "vni" if str(legacy).lower().startswith("vni") else "tcvn3"
        run.step(name, legacy_edits(run.text, str(legacy)))

    run.step("lookalike", lookalike_edits(run.text))
    run.step("tone", tone_edits(run.text))

    markup = hints.get("markup", "auto")
    if markup == "markdown" or (markup == "auto" and detect_markdown(run.text)):
        run.step("markdown", markdown_edits(run.text))

    run.step("furniture", furniture_edits(run.text))
    wrapped = hints.get("wrapped")
    run.step("wrap", wrap_edits(run.text, hard_wrapped=wrapped))
    # A replaced or deleted character may have stood between a letter and its combining mark
    # ("ﬁ" + U+0301, "**" inside a word): compose again so that the text stays NFC.
    run.step("nfc", nfc_edits(run.text))
    offsets = run.trace.to_offset_map()
    if offsets.to_raw(len(run.text)) != len(text):
        # a closing anchor: the end of the repaired text is the end of the raw text, so a span
        # that ends on a character composed from several (NFD) maps to its whole raw cluster
        offsets.norm.append(len(run.text))
        offsets.raw.append(len(text))
    return Repaired(run.text, offsets, run.applied, run.stats)
