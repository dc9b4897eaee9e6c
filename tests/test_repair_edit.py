"""The offset-tracking machinery: edits, traces and their composition."""

from __future__ import annotations

import pytest

from pipeline.ingest.repair.edit import Trace, apply_edits


# fmt: off
@pytest.mark.parametrize(("text", "edits", "out", "positions"), [
    ("Uỷ  ban", [(2, 4, " ")], "Uỷ ban", [0, 1, 2, 4, 5, 6]),                       # two spaces → one
    ("PHƢƠNG", [(2, 3, "Ư")], "PHƯƠNG", [0, 1, 2, 3, 4, 5]),                          # 1:1 keeps the run
    ("ﬁnh", [(0, 1, "fi")], "finh", [0, 0, 1, 2]),                                     # expansion
    ("**Số**", [(0, 2, ""), (4, 6, "")], "Số", [2, 3]),                                 # deletions
    ("ab", [(1, 1, "-")], "a-b", [0, 1, 1]),                                            # insertion
    ("ab", [(2, 2, "!")], "ab!", [0, 1, 1]),                                            # insertion at the end
    ("", [], "", []),
])
# fmt: on
def test_apply_edits_maps_each_character(text, edits, out, positions):
    new, trace = apply_edits(text, edits)
    assert new == out
    assert trace.positions() == positions


def test_apply_edits_rejects_overlaps():
    with pytest.raises(ValueError):
        apply_edits("abcdef", [(0, 3, "x"), (2, 4, "y")])


def test_trace_composition_equals_composed_positions():
    first, t1 = apply_edits("a\r\nb  c\r\nd", [(1, 2, ""), (4, 6, " "), (7, 8, "")])
    second, t2 = apply_edits(first, [(1, 2, " "), (5, 6, " ")])
    composed = t1.then(t2).positions()
    p1, p2 = t1.positions(), t2.positions()
    assert composed == [p1[p] for p in p2]
    assert second == "a b c d"


def test_identity_trace():
    assert Trace.identity(3).positions() == [0, 1, 2]
    assert Trace.identity(5).to_offset_map().to_raw(4) == 4
