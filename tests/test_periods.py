"""Time periods anchored on the document's date, and a report's own period from its title."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.nlp.periods import data_window, find_periods, reporting_period

JUL = dt.date(2023, 7, 10)
JAN = dt.date(2024, 1, 5)


def _one(text: str, anchor: dt.date | None, **kw) -> tuple:
    ps = find_periods(text, anchor=anchor, **kw)
    assert len(ps) == 1, ps
    p = ps[0]
    return (p["kind"], p["start"], p["end"])


# fmt: off
@pytest.mark.parametrize("text, anchor, expected", [
    ("ngày 13/4/2023",                       JUL, ("day", "2023-04-13", "2023-04-13")),
    ("ngày 13 tháng 4 năm 2023",             JUL, ("day", "2023-04-13", "2023-04-13")),
    ("ký ngày 02.7.2025",                    JUL, ("day", "2025-07-02", "2025-07-02")),
    ("tháng 4/2023",                         JUL, ("month", "2023-04-01", "2023-04-30")),
    ("tháng 02 năm 2024",                    JUL, ("month", "2024-02-01", "2024-02-29")),
    ("tháng 12",                             JAN, ("month", "2023-12-01", "2023-12-31")),   # nearest December
    ("tháng 1",                              dt.date(2023, 12, 20), ("month", "2024-01-01", "2024-01-31")),
    ("quý I/2023",                           JUL, ("quarter", "2023-01-01", "2023-03-31")),
    ("quý II năm 2024",                      JUL, ("quarter", "2024-04-01", "2024-06-30")),
    ("Quý 1/2023",                           JUL, ("quarter", "2023-01-01", "2023-03-31")),
    ("quý IV - 2022",                        JUL, ("quarter", "2022-10-01", "2022-12-31")),
    ("quý IV",                               JAN, ("quarter", "2023-10-01", "2023-12-31")),
    ("6 tháng đầu năm",                      JUL, ("half_year", "2023-01-01", "2023-06-30")),
    ("6 tháng đầu năm",                      JAN, ("half_year", "2024-01-01", "2024-06-30")),  # anchor year
    ("sáu tháng đầu năm 2022",               JUL, ("half_year", "2022-01-01", "2022-06-30")),
    ("6 tháng cuối năm 2024",                JUL, ("half_year", "2024-07-01", "2024-12-31")),
    ("6 tháng năm 2019",                     JUL, ("half_year", "2019-01-01", "2019-06-30")),
    ("9 tháng",                              JUL, ("nine_months", "2023-01-01", "2023-09-30")),
    ("9 tháng đầu năm 2024",                 JUL, ("nine_months", "2024-01-01", "2024-09-30")),
    ("3 tháng đầu năm",                      JUL, ("quarter", "2023-01-01", "2023-03-31")),
    ("năm 2022",                             JUL, ("year", "2022-01-01", "2022-12-31")),
    ("năm trước",                            JUL, ("year", "2022-01-01", "2022-12-31")),
    ("năm nay",                              JAN, ("year", "2024-01-01", "2024-12-31")),
    ("giai đoạn 2021 - 2025",                JUL, ("range", "2021-01-01", "2025-12-31")),
    ("giai đoạn 2022–2025",                  JUL, ("range", "2022-01-01", "2025-12-31")),
    ("nhiệm kỳ 2021 - 2026",                 JUL, ("term", "2021-01-01", "2026-12-31")),
    ("NHIỆM KỲ IV (2019-2025)",              JUL, ("term", "2019-01-01", "2025-12-31")),
    ("năm học 2023 - 2024",                  JUL, ("school_year", "2023-09-01", "2024-05-31")),
    ("từ ngày 01/01/2024 đến ngày 30/6/2024", JUL, ("range", "2024-01-01", "2024-06-30")),
    ("từ 15/12/2022 đến hết ngày 14/3/2023", JUL, ("range", "2022-12-15", "2023-03-14")),
    ("từ ngày 15/12 đến ngày 14/3/2023",     JUL, ("range", "2022-12-15", "2023-03-14")),
    ("từ tháng 1 đến tháng 6 năm 2024",      JUL, ("range", "2024-01-01", "2024-06-30")),
    ("từ đầu năm đến nay",                   JUL, ("to_date", "2023-01-01", "2023-07-10")),
    ("tính đến ngày 30/6/2023",              JUL, ("cutoff", None, "2023-06-30")),
    ("tháng trước",                          JUL, ("month", "2023-06-01", "2023-06-30")),
    ("đến năm 2030",                         JUL, ("until", None, "2030-12-31")),
    ("những tháng cuối năm",                 JUL, ("rest_of_year", "2023-07-10", "2023-12-31")),
    ("Đề án 06 tháng 8/2025",                JUL, ("month", "2025-08-01", "2025-08-31")),  # not "6 tháng"
])
# fmt: on
def test_periods_resolve(text: str, anchor: dt.date, expected: tuple) -> None:
    assert _one(text, anchor) == expected


# fmt: off
@pytest.mark.parametrize("text", [
    "trong thời hạn 6 tháng kể từ ngày nhận",
    "định kỳ 06 tháng/01 lần",
    "giải quyết 45/50 đơn",
    "Quyết định số 06/2024/QĐ-UBND",
    "đạt 1.234,5 tỷ đồng",
    "",
])
# fmt: on
def test_periods_none(text: str) -> None:
    assert find_periods(text, anchor=JUL) == []


def test_periods_same_period_follows_sentence_and_reporting() -> None:
    ps = find_periods("6 tháng đầu năm 2023 tăng 5% so với cùng kỳ năm trước.", anchor=JUL)
    assert [(p["kind"], p["start"], p["end"]) for p in ps] == [
        ("half_year", "2023-01-01", "2023-06-30"), ("same_period", "2022-01-01", "2022-06-30")]
    rep = reporting_period("Báo cáo quý I năm 2024", anchor=dt.date(2024, 3, 20))
    p = find_periods("Số vụ giảm so với cùng kỳ", anchor=dt.date(2024, 3, 20), reporting=rep)[0]
    assert (p["start"], p["end"]) == ("2023-01-01", "2023-03-31")
    assert find_periods("tăng so với cùng kỳ", anchor=JUL)[0]["start"] is None  # nothing to compare with


def test_periods_spans_are_absolute() -> None:
    text = "Mở đầu. Trong quý II/2024 đã tổ chức"
    p = find_periods(text, anchor=JUL, start=8)[0]
    assert text[p["span"][0] : p["span"][1]] == p["text"] == "quý II/2024"


def test_periods_without_anchor() -> None:
    assert _one("6 tháng đầu năm", None) == ("half_year", None, None)
    assert _one("quý I/2023", None) == ("quarter", "2023-01-01", "2023-03-31")


# fmt: off
@pytest.mark.parametrize("title, anchor, expected", [
    ("Báo cáo kết quả công tác quý I năm 2024", dt.date(2024, 3, 20),
     ("quarter", "2024-01-01", "2024-03-31", "2023-12-15", "2024-03-14")),
    ("Kết quả 6 tháng đầu năm 2025 và phương hướng, nhiệm vụ 6 tháng cuối năm", dt.date(2025, 6, 15),
     ("half_year", "2025-01-01", "2025-06-30", "2024-12-15", "2025-06-14")),
    ("sơ kết 6 tháng đầu năm, phương hướng 6 tháng cuối năm 2022", dt.date(2022, 6, 20),
     ("half_year", "2022-01-01", "2022-06-30", "2021-12-15", "2022-06-14")),
    ("Công tác cải cách hành chính năm 2025 và phương hướng, nhiệm vụ năm 2026", dt.date(2025, 12, 19),
     ("year", "2025-01-01", "2025-12-31", "2024-12-15", "2025-12-14")),
    ("Công tác thanh tra Quý II và 6 tháng đầu năm 2019", dt.date(2019, 6, 12),
     ("quarter", "2019-04-01", "2019-06-30", "2019-03-15", "2019-06-14")),
    ("Kết quả triển khai Đề án 06 tháng 8/2025", None,
     ("month", "2025-08-01", "2025-08-31", "2025-07-15", "2025-08-14")),
    ("Báo cáo tháng 12", dt.date(2025, 1, 5),
     ("month", "2024-12-01", "2024-12-31", "2024-11-15", "2024-12-14")),
    ("Báo cáo 9 tháng", dt.date(2024, 9, 20),
     ("nine_months", "2024-01-01", "2024-09-30", "2023-12-15", "2024-09-14")),
    ("TỔNG KẾT HOẠT ĐỘNG NHIỆM KỲ IV (2019-2025) VÀ PHƯƠNG HƯỚNG", None,
     ("term", "2019-01-01", "2025-12-31", None, None)),
])
# fmt: on
def test_periods_reporting_period(title: str, anchor: dt.date | None, expected: tuple) -> None:
    r = reporting_period(title, anchor=anchor)
    assert (r["kind"], r["start"], r["end"], r["data_start"], r["data_end"]) == expected


@pytest.mark.parametrize("title", [None, "", "Tổng kết thực hiện Quyết định số 787/QĐ-UBND ngày 21/8/2025"])
def test_periods_reporting_period_none(title: str | None) -> None:
    assert reporting_period(title, anchor=JUL) is None


def test_periods_data_window_second_half() -> None:
    assert data_window("half_year", dt.date(2023, 7, 1), dt.date(2023, 12, 31)) == (
        dt.date(2023, 6, 15), dt.date(2023, 12, 14))
    assert data_window("term", dt.date(2021, 1, 1), dt.date(2026, 12, 31)) is None
