"""Outputs for people who live in Word and Excel: a consolidated report, a workbook, a dashboard.

- ``bao-cao-tong-hop.docx``: a draft report in the ND30 layout (header table, ``BÁO CÁO`` and
  trích yếu, sections for common results, shared shortcomings, causes, tasks and
  recommendations, per-agency highlights), every statement citing its source reports' numbers;
- ``bang-tong-hop.xlsx``: one formatted sheet per table (frozen header, filters, widths);
- ``dashboard.html``: one self-contained page (plotly inlined, works offline) with charts of
  agency × category, shortcomings by theme, reports by period, and the submission table.
Text in the outputs is Vietnamese.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.aggregate.themes import theme_labels, themes_of

CATEGORY_VI = {
    "achievement": "Kết quả đạt được",
    "shortcoming": "Hạn chế, khó khăn",
    "cause": "Nguyên nhân",
    "task": "Phương hướng, nhiệm vụ",
    "recommendation": "Đề xuất, kiến nghị",
}
STATUS_VI = {"submitted": "Đã gửi đúng hạn", "late": "Gửi chậm", "missing": "Chưa gửi"}
SHEETS = {
    "documents": "Văn bản",
    "submissions": "Tình hình gửi báo cáo",
    "agency_matrix": "Cơ quan x Nội dung",
    "finding_groups": "Nhóm nội dung",
    "findings": "Nội dung báo cáo",
    "persistence": "Theo dõi qua các kỳ",
    "metric_changes": "Biến động số liệu",
    "sections": "Đề mục",
    "agencies": "Cơ quan được nêu",
    "persons": "Cá nhân",
    "periods": "Thời gian",
    "references": "Văn bản trích dẫn",
    "metrics": "Số liệu",
    "errors": "Lỗi",
}
COLUMN_VI = {
    "doc_id": "Mã văn bản", "path": "Tệp", "number": "Số, ký hiệu", "issuer": "Cơ quan ban hành",
    "body": "Cơ quan báo cáo", "date": "Ngày", "title": "Trích yếu", "category": "Loại nội dung",
    "text": "Nội dung", "status": "Tình trạng", "deadline": "Hạn gửi", "late": "Chậm",
    "points_covered": "Nội dung đã báo cáo", "points_missing": "Nội dung còn thiếu", "n": "Số lượng",
    "n_bodies": "Số cơ quan", "bodies": "Các cơ quan", "error": "Lỗi", "confidence": "Độ tin cậy",
    "section_heading": "Đề mục", "themes": "Chủ đề", "doc_type": "Loại văn bản", "place": "Địa danh",
}


def _docs_by_id(documents: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["doc_id"]: r for r in documents.to_dict("records")}


def _cite(doc: dict[str, Any]) -> str:
    """How a statement cites its source: ``Báo cáo số 12/BC-UBND của UBND tỉnh``."""
    num = doc.get("number")
    body = doc.get("body") or doc.get("issuer") or "?"
    if isinstance(num, str) and num and not num.startswith("/"):
        return f"{body}, số {num}"
    date = doc.get("date")
    return f"{body}, ngày {date}" if isinstance(date, str) and date else str(body)


# What the report and the dashboard read of the findings (the largest table).
_FINDING_COLUMNS = ["finding_id", "doc_id", "body", "category", "text", "confidence", "period_start"]


def load(outdir: str | Path) -> dict[str, pd.DataFrame]:
    names = ["documents", "findings", "finding_groups", "agency_matrix", "persistence", "metric_changes", "submissions"]
    tdir = Path(outdir) / "tables"
    return {
        n: pd.read_parquet(tdir / f"{n}.parquet", columns=_FINDING_COLUMNS if n == "findings" else None)
        for n in names
        if (tdir / f"{n}.parquet").exists()
    }


def write_reports(outdir: str | Path) -> dict[str, Path]:
    """Write the .docx, .xlsx and .html outputs of a finished run into ``outdir``."""
    out = Path(outdir)
    t = load(out)
    return {
        "docx": write_docx(t, out / "bao-cao-tong-hop.docx"),
        "xlsx": write_xlsx(out, out / "bang-tong-hop.xlsx"),
        "html": write_html(t, out / "dashboard.html"),
    }


# ---------------------------------------------------------------- Word


def _request_doc(t: dict[str, pd.DataFrame]) -> dict[str, Any] | None:
    """The latest request letter of the batch (the one the consolidated report answers)."""
    subs = t.get("submissions")
    if subs is None or subs.empty or subs["request_doc"].isna().all():
        return None
    by_id = _docs_by_id(t["documents"])
    reqs = [by_id[r] for r in subs["request_doc"].dropna().unique() if r in by_id]
    if not reqs:
        return None
    return max(reqs, key=lambda d: str(d.get("date") or ""))


def write_docx(t: dict[str, pd.DataFrame], path: Path) -> Path:
    """The consolidated report in the ND30 layout, as a draft for the department to finish."""
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = Docx()
    sec = d.sections[0]
    sec.page_height, sec.page_width = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")

    docs = t["documents"]
    by_id = _docs_by_id(docs)
    req = _request_doc(t)
    issuer = (req or {}).get("issuer") or "……………………"
    parent = (req or {}).get("issuer_parent")
    place = (req or {}).get("place") or "……"
    system = (req or {}).get("system") or "state"

    # Header: a borderless two-column table, as ND30 and HD36 lay it out.
    table = d.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.text = ""
    for i, line in enumerate([x for x in (parent, issuer) if x]):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(str(line).upper())
        r.bold = i == len([x for x in (parent, issuer) if x]) - 1
        r.font.size = Pt(13)
    code = _issuer_code((req or {}).get("number"))
    # the number is left blank for the clerk (văn thư), the symbol filled from the issuer's own
    p = left.add_paragraph(f"Số:      /BC-{code}" if system == "state" else f"Số     -BC/{code}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.text = ""
    top = "ĐẢNG CỘNG SẢN VIỆT NAM" if system == "party" else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(top)
    r.bold = True
    r.font.size = Pt(13)
    if system != "party":
        p = right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run("Độc lập - Tự do - Hạnh phúc")
        r.bold = True
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"{place}, ngày    tháng    năm     ").italic = True

    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("BÁO CÁO")
    r.bold = True
    topic = _topic(req)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"Tổng hợp kết quả {topic}").bold = True

    subs = t.get("submissions", pd.DataFrame())
    if req is not None and not subs.empty:
        subs = subs[subs["request_doc"] == req["doc_id"]]
    d.add_paragraph(_intro(req, subs, docs))

    groups, findings, period = _latest_period(t)
    roman = ["I", "II", "III", "IV", "V", "VI", "VII"]
    for i, cat in enumerate(["achievement", "shortcoming", "cause", "task", "recommendation"]):
        d.add_paragraph().add_run(f"{roman[i]}. {CATEGORY_VI[cat].upper()}").bold = True
        part = groups[groups["category"] == cat] if not groups.empty else groups
        if part.empty:
            d.add_paragraph("Các báo cáo chưa nêu nội dung này.")
            continue
        shared = part[part["shared"]]
        if not shared.empty:
            d.add_paragraph().add_run("Nội dung nhiều cơ quan cùng nêu:").italic = True
            for _, g in shared.iterrows():
                d.add_paragraph(f"- {_sentence(g['text'])} ({_sources(g, findings, by_id)}).")
        single = part[~part["shared"]]
        if not single.empty:
            d.add_paragraph().add_run("Nội dung riêng của từng cơ quan:").italic = True
            for _, g in single.head(40).iterrows():
                d.add_paragraph(f"- {_sentence(g['text'])} ({_sources(g, findings, by_id)}).")

    d.add_paragraph().add_run(f"{roman[5]}. TÌNH HÌNH GỬI BÁO CÁO VÀ ĐIỂM NỔI BẬT CỦA TỪNG CƠ QUAN").bold = True
    if not subs.empty:
        tb = d.add_table(rows=1, cols=5)
        tb.style = "Table Grid"
        for c, h in zip(tb.rows[0].cells, ["Cơ quan", "Văn bản", "Ngày", "Tình trạng", "Nội dung còn thiếu"], strict=True):
            c.text = h
        for _, s in subs.iterrows():
            row = tb.add_row().cells
            row[0].text = str(s["body"] or "")
            row[1].text = "" if pd.isna(s["number"]) else str(s["number"])
            row[2].text = "" if pd.isna(s["date"]) else str(s["date"])
            row[3].text = STATUS_VI.get(str(s["status"]), str(s["status"]))
            row[4].text = _points_vi(s["points_missing"])
    for body, part in (findings.groupby("body") if not findings.empty else []):
        best = part[part["category"] == "achievement"].sort_values("confidence", ascending=False).head(2)
        if best.empty:
            continue
        d.add_paragraph().add_run(f"{body}:").bold = True
        for _, f in best.iterrows():
            d.add_paragraph(f"- {_sentence(f['text'])} ({_cite(by_id.get(f['doc_id'], {}))}).")

    foot = d.add_table(rows=1, cols=2)
    lc, rc = foot.rows[0].cells
    lc.text = ""
    lc.paragraphs[0].add_run("Nơi nhận:").bold = True
    lc.add_paragraph("- Như trên;")
    lc.add_paragraph("- Lưu: VT.")
    rc.text = ""
    p = rc.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("T/M" if system == "party" else "TM.").bold = True
    d.core_properties.title = f"Báo cáo tổng hợp kết quả {topic}"
    d.save(path)
    return path


def _latest_period(t: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Groups and findings of the latest reporting period: the one a consolidated report is about."""
    groups = t.get("finding_groups", pd.DataFrame())
    findings = t.get("findings", pd.DataFrame())
    if groups.empty or "period" not in groups or groups["period"].isna().all():
        return groups, findings, None
    period = str(groups["period"].dropna().max())
    f = findings[findings["period_start"].fillna("").astype(str).str[:10] == period]
    return groups[groups["period"] == period], f, period


def _issuer_code(number: Any) -> str:
    """The issuer's code in a number-and-symbol: ``148-CV/BTGDVTU`` → ``BTGDVTU``, ``12/BC-UBND`` → ``UBND``."""
    from pipeline.ingest.doctypes import TYPE_CODES

    if not isinstance(number, str) or "/" not in number:
        return ""
    tail = number.rsplit("/", 1)[1]
    if "-" in number.split("/", 1)[0]:  # Party style: the issuer follows the slash
        return tail
    head, _, rest = tail.partition("-")  # state: BC-UBND (type, issuer) or UBND-HCC (issuer, unit)
    return rest if head in TYPE_CODES and rest else head


def _topic(req: dict[str, Any] | None) -> str:
    title = str((req or {}).get("title") or "")
    for prefix in ("V/v ", "V/v", "Về việc "):
        if title.startswith(prefix):
            title = title[len(prefix):]
    for lead in ("báo cáo kết quả ", "báo cáo ", "đề nghị báo cáo "):
        if title.casefold().startswith(lead):
            title = title[len(lead):]
    return title or "thực hiện nhiệm vụ theo báo cáo của các cơ quan, đơn vị"


def _intro(req: dict[str, Any] | None, subs: pd.DataFrame, docs: pd.DataFrame) -> str:
    if req is None or subs.empty:
        bodies = sorted({str(b) for b in docs["body"].dropna()})
        return f"Trên cơ sở {len(docs)} văn bản của {len(bodies)} cơ quan, đơn vị ({'; '.join(bodies)}), kết quả tổng hợp như sau:"
    got = subs[subs["status"] != "missing"]
    late = subs[subs["status"] == "late"]
    missing = subs[subs["status"] == "missing"]
    what = f"văn bản số {req.get('number')}" if req.get("number") else "văn bản đề nghị báo cáo"
    s = f"Thực hiện {what} của {req.get('issuer') or 'cơ quan'}, đã nhận được {len(got)} báo cáo"
    if not got.empty:
        s += f" của: {'; '.join(got['body'].astype(str))}"
    if not late.empty:
        s += f"; trong đó gửi chậm so với thời hạn: {'; '.join(late['body'].astype(str))}"
    if not missing.empty:
        s += f". Chưa nhận được báo cáo của: {'; '.join(missing['body'].astype(str))}"
    return s + ". Kết quả tổng hợp như sau:"


def _sentence(text: Any) -> str:
    s = str(text or "").strip().rstrip(".;:,")
    return s[:1].upper() + s[1:]


def _sources(group: pd.Series, findings: pd.DataFrame, by_id: dict[str, dict[str, Any]]) -> str:
    ids = str(group.get("doc_ids") or "").split("; ")
    return "; ".join(dict.fromkeys(_cite(by_id.get(i, {})) for i in ids if i))


def _points_vi(points: Any) -> str:
    from pipeline.nlp.requests import POINTS

    if not isinstance(points, str) or not points:
        return ""
    return "; ".join(POINTS.get(p, (p,))[0] for p in points.split("; "))


# ---------------------------------------------------------------- Excel


# Rows of one Excel sheet, its header included: a longer table goes on in a second sheet.
EXCEL_ROWS = 1_048_576


def write_xlsx(outdir: Path, path: Path, *, sheet_rows: int = EXCEL_ROWS) -> Path:
    """Every table of the run, one formatted sheet each, Vietnamese sheet and column names.

    Written row by row (openpyxl's write-only mode) from the Parquet files a row group at a
    time, so a batch of any size fits in memory; a table longer than an Excel sheet continues in
    ``<sheet> (2)``, ``<sheet> (3)`` …
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, title in SHEETS.items():
        f = outdir / "tables" / f"{name}.parquet"
        if f.exists():
            _write_table(wb, title, _sheet_chunks(name, f), sheet_rows)
    wb.save(path)
    return path


def _sheet_chunks(name: str, f: Path) -> Iterator[pd.DataFrame]:
    """A table as it goes into its sheet: Vietnamese labels and column names, Excel-safe values."""
    import pyarrow.parquet as pq

    if name == "agency_matrix":  # small: bodies × categories, pivoted
        df = pd.read_parquet(f)
        if not df.empty:
            df = df.pivot_table(index="body", columns="category", values="n", aggfunc="sum", fill_value=0)
            df = df.rename(columns=CATEGORY_VI).reset_index()
        chunks: Iterator[pd.DataFrame] = iter([df])
    else:
        pf = pq.ParquetFile(f)
        chunks = (pf.read_row_group(i).to_pandas() for i in range(pf.metadata.num_row_groups))
    for df in chunks:
        if "category" in df.columns:
            df["category"] = df["category"].map(lambda c: CATEGORY_VI.get(c, c))
        if "status" in df.columns and name == "submissions":
            df["status"] = df["status"].map(lambda c: STATUS_VI.get(c, c))
        yield df.rename(columns=COLUMN_VI).astype(object).where(df.notna().to_numpy(), None).map(_cell)


def _write_table(wb: Any, title: str, chunks: Iterator[pd.DataFrame], sheet_rows: int) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    first = next(chunks, None)
    if first is None:
        return
    cols = [str(c) for c in first.columns]
    # widths from the first rows (a sheet's columns must be sized before its rows are written)
    widths = [min(60, max(8, max([len(c)] + [len(str(v)) for v in first[c].head(200)]) + 2)) for c in first.columns]
    ws, n, part = None, 0, 0

    def close(ws: Any, n: int) -> None:
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(cols)))}{n + 1}"

    for df in itertools.chain([first], chunks):
        for row in df.itertuples(index=False, name=None) if len(df) else [None]:
            if ws is None or n == sheet_rows - 1:
                if ws is not None:
                    close(ws, n)
                part += 1
                ws = wb.create_sheet((title if part == 1 else f"{title} ({part})")[:31])
                ws.freeze_panes = "A2"
                for i, w in enumerate(widths, 1):
                    ws.column_dimensions[get_column_letter(i)].width = w
                header = []
                for c in cols:
                    cell = WriteOnlyCell(ws, value=c)
                    cell.font = Font(bold=True, name="Times New Roman")
                    cell.fill = PatternFill("solid", fgColor="DDEBF7")
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    header.append(cell)
                ws.append(header)
                n = 0
            if row is not None:
                ws.append(list(row))
                n += 1
    close(ws, n)


def _cell(v: Any) -> Any:
    """A value Excel accepts: no control characters (page breaks survive in texts), at most 32,767 characters."""
    if not isinstance(v, str):
        return v
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    v = ILLEGAL_CHARACTERS_RE.sub(" ", v)
    return v if len(v) <= 32767 else v[:32766] + "…"


# ---------------------------------------------------------------- HTML


def _known(col: pd.Series) -> pd.Series:
    """A text column for a chart: plain strings, a missing value shown as such."""
    return col.astype(object).where(col.notna(), "(không rõ)").astype(str)


def write_html(t: dict[str, pd.DataFrame], path: Path) -> Path:
    """A self-contained dashboard: plotly inlined once, works offline from a USB stick."""
    import plotly.express as px

    findings = t.get("findings", pd.DataFrame())
    docs = t["documents"]
    figs = []
    matrix = t.get("agency_matrix", pd.DataFrame())
    if not matrix.empty:
        m = matrix.assign(
            category=matrix["category"].map(lambda c: CATEGORY_VI.get(c, c)), body=_known(matrix["body"])
        )
        figs.append(("Cơ quan × loại nội dung", px.bar(m, x="body", y="n", color="category", labels={"body": "Cơ quan", "n": "Số nội dung", "category": "Loại"})))
    if not findings.empty:
        sc = findings[findings["category"] == "shortcoming"]
        labels = theme_labels()
        rows = [
            {"theme": labels.get(th, th), "body": b}
            for txt, b in zip(sc["text"], _known(sc["body"]), strict=False)
            for th in themes_of(str(txt))[:1]
        ]
        if rows:
            th = pd.DataFrame(rows).value_counts().rename("n").reset_index()
            figs.append(("Hạn chế theo chủ đề", px.bar(th, x="n", y="theme", color="body", orientation="h", labels={"n": "Số hạn chế", "theme": "Chủ đề", "body": "Cơ quan"})))
    per = docs.assign(
        period=_known(docs["period_text"].fillna(docs["date"].astype("string").str[:7])), body=_known(docs["body"])
    )
    pc = per.groupby(["period", "body"], dropna=False).size().rename("n").reset_index()
    if not pc.empty:
        figs.append(("Báo cáo theo kỳ", px.bar(pc, x="period", y="n", color="body", labels={"period": "Kỳ báo cáo", "n": "Số báo cáo", "body": "Cơ quan"})))
    parts = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Tổng hợp báo cáo</title>",
        "<style>body{font-family:'Times New Roman',serif;margin:2em;}table{border-collapse:collapse;}"
        "td,th{border:1px solid #999;padding:4px 8px;vertical-align:top;}th{background:#ddebf7;}"
        ".missing{color:#b00;font-weight:bold}.late{color:#b60}</style></head><body>",
        "<h1>Tổng hợp báo cáo của các cơ quan, đơn vị</h1>",
        f"<p>{len(docs)} văn bản; {docs['body'].nunique()} cơ quan; {len(findings)} nội dung được trích xuất.</p>",
    ]
    subs = t.get("submissions", pd.DataFrame())
    if not subs.empty:
        parts.append("<h2>Tình hình gửi báo cáo</h2><table><tr><th>Cơ quan</th><th>Văn bản</th><th>Ngày</th><th>Hạn</th><th>Tình trạng</th><th>Nội dung còn thiếu</th></tr>")
        for _, s in subs.iterrows():
            cls = str(s["status"])
            cells = [s["body"], s["number"], s["date"], s["deadline"]]
            parts.append(
                "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(c) else str(c))}</td>" for c in cells)
                + f"<td class='{cls}'>{STATUS_VI.get(cls, cls)}</td><td>{html.escape(_points_vi(s['points_missing']))}</td></tr>"
            )
        parts.append("</table>")
    for i, (title, fig) in enumerate(figs):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0)))
    groups = t.get("finding_groups", pd.DataFrame())
    if not groups.empty:
        shared = groups[(groups["category"] == "shortcoming") & groups["shared"]]
        parts.append("<h2>Hạn chế nhiều cơ quan cùng nêu</h2><table><tr><th>Nội dung</th><th>Cơ quan</th></tr>")
        for _, g in shared.iterrows():
            parts.append(f"<tr><td>{html.escape(str(g['text']))}</td><td>{html.escape(str(g['bodies']))}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
