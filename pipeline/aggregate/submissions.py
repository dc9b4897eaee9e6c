"""Submission tracking: who answered a request, when, late or missing, and which points.

The rules, apart from how the answers are found (:meth:`compare._Batch.submissions` finds the
documents that cite the request letter's number): a :class:`Request` reads what a letter asks
of whom and by when, and turns its answers, in date order, into ``submissions`` rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.aggregate.bodies import core_key, same_body
from pipeline.nlp.requests import POINTS


@dataclass(slots=True)
class Request:
    """What a request letter asks: its number, deadline, points and the bodies expected to answer."""

    doc_id: str | None
    number: str | None
    deadline: str | None
    points: list[str]
    expected: list[dict[str, Any]]

    @classmethod
    def of(cls, doc_id: str | None, rec: dict[str, Any], request: dict[str, Any] | None = None) -> Request:
        """From the letter's record, or from ``request`` (``expected``, ``deadline``, ``points``) given by hand."""
        given = request or {}
        return cls(
            doc_id=doc_id,
            number=(rec.get("number") or {}).get("text"),
            deadline=given.get("deadline") or (rec.get("deadline") or {}).get("date"),
            points=given.get("points") or rec.get("requested_points") or list(POINTS),
            expected=expected_bodies(rec, request),
        )

    def rows(self, answers: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """``submissions`` rows: one per answer (``doc_id``, ``body``, ``date``, ``cats`` the
        categories of its findings …, in date order), then one per expected body that never answered."""
        base = {
            "request_doc": self.doc_id, "request_number": self.number, "deadline": self.deadline,
            "points_requested": "; ".join(self.points),
        }
        matched: set[str] = set()
        for d in answers:
            covered = [p for p in self.points if p in POINTS and set(POINTS[p][1]) & d["cats"]]
            date = d["date"]
            late = bool(self.deadline and isinstance(date, str) and date[:10] > self.deadline)
            days = (pd.Timestamp(date[:10]) - pd.Timestamp(self.deadline)).days if late and len(date) >= 10 else 0
            matched.update(e["text"] for e in self.expected if answers_for(e, d))
            yield base | {
                "body": d["body"], "body_key": d["body_key"], "status": "late" if late else "submitted",
                "doc_id": d["doc_id"], "number": d["number"], "date": date, "late": late, "days_late": days,
                "points_covered": "; ".join(covered),
                "points_missing": "; ".join(p for p in self.points if p not in covered),
            }
        for e in self.expected:
            if e["text"] not in matched:
                yield base | {
                    "body": e.get("canonical") or e["text"], "body_key": e.get("key"), "status": "missing",
                    "doc_id": None, "number": None, "date": None, "late": None, "days_late": None,
                    "points_covered": "", "points_missing": "; ".join(self.points),
                }


def _doc_names(d: dict[str, Any]) -> list[str]:
    """The names under which a document's issuer may be addressed."""

    def get(k: str) -> str | None:
        v = d.get(k)
        return v if isinstance(v, str) and v else None

    body, issuer, parent = get("body"), get("issuer"), get("issuer_parent")
    names = [body, issuer]
    if issuer and parent:
        names += [f"{issuer} {parent}", f"{parent} {issuer}"]
    return [n for n in names if n]


def answers_for(expected: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Whether ``doc`` (its ``body``, ``issuer``, ``issuer_parent``) is from the expected body."""

    wanted = [x for x in (expected.get("canonical"), expected.get("text")) if x]
    return any(same_body(w, n) for w in wanted for n in _doc_names(doc))


# Nơi nhận entries that name no body expected to answer: the file copy, "as above", people,
# and those sent a copy for information.
_NOT_EXPECTED = re.compile(
    r"^\s*(?:lưu|như\s+(?:trên|kính\s+gửi)|đ/c|đồng\s+chí|lãnh\s+đạo|website|trang\s+thông\s+tin|cổng\s+thông\s+tin)\b"
    r"|\((?:để\s+)?(?:b/c|báo\s+cáo|biết|đ/b|t/d|theo\s+dõi)\)",
    re.I,
)


def expected_bodies(rec: dict[str, Any], request: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Bodies a request expects answers from: its Kính gửi list, else its Nơi nhận less copies."""
    if request and request.get("expected"):
        return [{"text": t, "key": None, "canonical": t} for t in request["expected"]]
    items = rec.get("addressee_bodies") or [
        b for b in rec.get("recipient_bodies") or [] if not _NOT_EXPECTED.search(b.get("text") or "")
    ]
    out, seen = [], set()
    for item in items:
        text = (item.get("text") or "").strip()
        if not item.get("key") and re.match(r"(?i)(các|những|toàn\s+thể)\b", text):
            continue  # a generic plural ("Các sở, ban, ngành") names no one who can be missing
        k = core_key(item.get("canonical") or item.get("text"))
        if k and k not in seen:
            seen.add(k)
            out.append(item)
    return out


