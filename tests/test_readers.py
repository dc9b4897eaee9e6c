"""Readers: format detection, encodings, .docx structure, PDF layout, HTML, and the real corpus."""

from __future__ import annotations

import io
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import CorruptDocument, InputError, NotSupportedYet, UnsupportedFormat
from pipeline.ingest.limits import Limits
from pipeline.ingest.readers import read
from pipeline.ingest.readers.detect import OLE2_MAGIC, detect_format
from pipeline.ingest.readers.docx import format_number, legacy_encoding

sys.path.insert(0, str(Path(__file__).parent))
import hostile

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: 12/BC-UBND"]
HEADER_RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Lâm Đồng, ngày 05 tháng 02 năm 2024",
]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------- detection

# fmt: off
DETECT = [
    ("a.txt",  "Báo cáo".encode(),                      "txt"),
    ("a.md",   "# BÁO CÁO".encode(),                    "md"),
    ("a.doc",  b"%PDF-1.7\n...",                        "pdf"),   # the bytes win over the name
    ("a.txt",  OLE2_MAGIC + bytes(100),                 "doc"),
    ("a.htm",  b"<p>B\xc3\xa1o c\xc3\xa1o</p>",         "html"),
    ("a.txt",  b"\xef\xbb\xbf<!DOCTYPE html><html>",    "html"),
    ("a.doc",  b"<html><body>x</body></html>",          "html"),  # web portals save HTML as .doc
    ("a.doc",  "Báo cáo".encode(),                      "txt"),
    ("noext",  "Báo cáo".encode(),                      "txt"),
]
# fmt: on


@pytest.mark.parametrize("name,data,fmt", DETECT)
def test_detect_format(name: str, data: bytes, fmt: str) -> None:
    assert detect_format(Path(name), data) == fmt


# fmt: off
DETECT_ERRORS = [
    ("a.docx", b"plain text",                  CorruptDocument,   "not a zip archive"),
    ("a.pdf",  b"plain text",                  CorruptDocument,   "no %PDF-"),
    ("a.rtf",  b"{\\rtf1\\ansi hello}",        UnsupportedFormat, "RTF"),
    ("a.xls",  OLE2_MAGIC + bytes(10),         UnsupportedFormat, "OLE2"),
]
# fmt: on


@pytest.mark.parametrize("name,data,error,reason", DETECT_ERRORS)
def test_detect_format_refuses(name: str, data: bytes, error: type, reason: str) -> None:
    with pytest.raises(error, match=re.escape(reason)):
        detect_format(Path(name), data)


def test_zip_without_word_document_is_not_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<x/>")
    with pytest.raises(UnsupportedFormat):
        detect_format(Path("a.zip"), buf.getvalue())
    with pytest.raises(CorruptDocument, match="word/document.xml"):
        detect_format(Path("a.docx"), buf.getvalue())


def test_legacy_doc_is_not_supported_yet(tmp_path: Path) -> None:
    path = _write(tmp_path, "cu.doc", OLE2_MAGIC + bytes(600))
    with pytest.raises(NotSupportedYet, match=re.escape("legacy .doc (Word 97-2003) files")):
        read(path, limits=Limits())


# ---------------------------------------------------------------------------- text encodings

SAMPLE = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nBÁO CÁO\nKết quả thực hiện nhiệm vụ năm 2024 của Sở Nội vụ.\n"


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258: base letters precomposed where the code page has them, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed[1:] if m in _TONES)
        letter = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
        out += letter.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


# fmt: off
ENCODINGS = [
    ("utf-8",         SAMPLE.encode("utf-8"),                       "utf-8"),
    ("utf-8 BOM",     SAMPLE.encode("utf-8-sig"),                   "utf-8 (BOM)"),
    ("utf-16 LE BOM", SAMPLE.encode("utf-16"),                      "utf-16-le (BOM)"),
    ("utf-16 BE BOM", b"\xfe\xff" + SAMPLE.encode("utf-16-be"),     "utf-16-be (BOM)"),
    ("utf-16 LE",     SAMPLE.encode("utf-16-le"),                   "utf-16-le"),
    ("cp1258",        _cp1258(SAMPLE),                              "cp1258"),
]
# fmt: on


@pytest.mark.parametrize("label,data,encoding", ENCODINGS)
def test_text_encodings(tmp_path: Path, label: str, data: bytes, encoding: str) -> None:
    raw = read(_write(tmp_path, "a.txt", data), limits=Limits())
    assert unicodedata.normalize("NFC", raw.text) == SAMPLE
    assert raw.hints["encoding"] == encoding


def test_cp1258_really_uses_combining_tones() -> None:
    data = _cp1258("Kết quả")
    assert data.decode("cp1258") != "Kết quả"  # decomposed: the test above is not trivially UTF-8
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == "Kết quả"


def test_tcvn3_bytes_are_left_for_repair(tmp_path: Path) -> None:
    # "Công tác cải cách hành chính" in TCVN3 (ABC) bytes.
    data = b"C\xabng t\xb8c c\xb6i c\xb8ch h\xb5nh ch\xddnh"
    raw = read(_write(tmp_path, "a.txt", data), limits=Limits())
    assert raw.text == data.decode("cp1252")
    assert raw.hints["encoding"] == "cp1252"
    assert raw.warnings and "TCVN3" in raw.warnings[0]


def test_markdown_hint(tmp_path: Path) -> None:
    raw = read(_write(tmp_path, "a.md", "# BÁO CÁO\n\n**Số:** 12/BC-UBND\n".encode()), limits=Limits())
    assert raw.hints["markup"] == "markdown"
    assert raw.source.format == "md"


# ---------------------------------------------------------------------------- docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbering_docx() -> object:
    """A python-docx Document with an explicit multi-level list (I. / 1. / a)) in numbering.xml."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
        '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%4."/></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(f"{{{W}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return document


def _numbered(document: object, text: str, ilvl: int, num_id: int = 90) -> None:
    from docx.oxml import parse_xml

    p = document.add_paragraph(text)  # type: ignore[attr-defined]
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _docx_bytes(document: object) -> bytes:
    buf = io.BytesIO()
    document.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def _read_docx(tmp_path: Path, document: object, name: str = "a.docx"):
    return read(_write(tmp_path, name, _docx_bytes(document)), limits=Limits())


# fmt: off
NUMBERED = [
    # (text, level, expected line)
    ("KẾT QUẢ ĐẠT ĐƯỢC",        0, "I. KẾT QUẢ ĐẠT ĐƯỢC"),
    ("Công tác chỉ đạo",        1, "1. Công tác chỉ đạo"),
    ("Ban hành văn bản",        2, "a) Ban hành văn bản"),
    ("Kiểm tra",                2, "b) Kiểm tra"),
    ("Chi tiết",                3, "1.1. Chi tiết"),
    ("Tuyên truyền",            1, "2. Tuyên truyền"),
    ("Hội nghị",                2, "a) Hội nghị"),          # level 2 restarts after level 1
    ("TỒN TẠI, HẠN CHẾ",        0, "II. TỒN TẠI, HẠN CHẾ"),
    ("Nguyên nhân",             1, "1. Nguyên nhân"),       # level 1 restarts after level 0
]
# fmt: on


def test_docx_automatic_numbering_rebuilt(tmp_path: Path) -> None:
    document = _numbering_docx()
    for text, level, _ in NUMBERED:
        _numbered(document, text, level)
    lines = [ln for ln in _read_docx(tmp_path, document).text.splitlines() if ln.strip()]
    assert lines == [expected for _, _, expected in NUMBERED]


def test_docx_list_number_style(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("Rà soát thủ tục", "Số hóa hồ sơ", "Tập huấn"):
        document.add_paragraph(text, style="List Number")
    lines = [ln for ln in _read_docx(tmp_path, document).text.splitlines() if ln.strip()]
    assert [re.sub(r"^\d+\.\s", "#. ", ln) for ln in lines] == [
        "#. Rà soát thủ tục",
        "#. Số hóa hồ sơ",
        "#. Tập huấn",
    ]
    assert [int(ln.split(".")[0]) for ln in lines] == [1, 2, 3]


@pytest.mark.parametrize(
    "n,fmt,expected",
    [
        (1, "decimal", "1"),
        (4, "upperRoman", "IV"),
        (9, "lowerRoman", "ix"),
        (2, "lowerLetter", "b"),
        (28, "lowerLetter", "bb"),
        (3, "upperLetter", "C"),
        (7, "decimalZero", "07"),
        (5, "bullet", ""),
    ],
)
def test_format_number(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_docx_two_column_header_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (HEADER_LEFT, HEADER_RIGHT), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    document.add_paragraph("BÁO CÁO")
    lines = _read_docx(tmp_path, document).text.splitlines()
    assert lines[:4] == [f"{a}\t{b}" for a, b in zip(HEADER_LEFT, HEADER_RIGHT, strict=True)] + ["BÁO CÁO"]


def test_docx_data_table_one_line_per_row(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    rows = [["STT", "Đơn vị", "Số hồ sơ", "Đúng hạn", "Tỷ lệ"], ["1", "Sở Nội vụ", "120", "118", "98,3%"]]
    table = document.add_table(rows=2, cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 1).add_paragraph("(tỉnh Lâm Đồng)")
    lines = _read_docx(tmp_path, document).text.splitlines()
    assert lines[0] == "\t".join(rows[0])
    assert lines[1] == "1\tSở Nội vụ (tỉnh Lâm Đồng)\t120\t118\t98,3%"


def test_docx_breaks_tabs_caps_hidden(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("Kính gửi:")
    p.add_run().add_tab()
    p.add_run("Bộ Nội vụ").add_break()
    p.add_run("báo cáo").font.all_caps = True
    p.add_run(" bí mật").font.hidden = True
    assert _read_docx(tmp_path, document).text.splitlines()[:2] == ["Kính gửi:\tBộ Nội vụ", "BÁO CÁO"]


def _add_footnotes(data: bytes, notes: dict[int, str]) -> bytes:
    """Add a footnotes part (python-docx cannot write one) to a saved .docx."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t>'
        "</w:r></w:p></w:footnote>"
        for i, t in notes.items()
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f"{body}</w:footnotes>"
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            elif item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            dst.writestr(item, content)
        dst.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def test_docx_footnotes_marked_and_appended(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    p = document.add_paragraph("Đã ban hành 06 văn bản chỉ đạo")
    # Word numbers notes in reference order, whatever their ids.
    p._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="7"/></w:r>'))
    p.add_run("; tổ chức 02 hội nghị")
    p._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="3"/></w:r>'))
    p.add_run(".")
    data = _add_footnotes(_docx_bytes(document), {3: "Hội nghị ngày 12/3.", 7: "Công văn số 12/UBND-NC."})
    text = read(_write(tmp_path, "fn.docx", data), limits=Limits()).text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[0] == "Đã ban hành 06 văn bản chỉ đạo[^1]; tổ chức 02 hội nghị[^2]."
    assert lines[-2:] == ["[^1]: Công văn số 12/UBND-NC.", "[^2]: Hội nghị ngày 12/3."]


@pytest.mark.parametrize(
    "font,encoding",
    [
        (".VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3"),
        (".VnArial", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI-Helve", "vni"),
        ("Times New Roman", None),
        ("Arial", None),
        (None, None),
    ],
)
def test_legacy_font_names(font: str | None, encoding: str | None) -> None:
    assert legacy_encoding(font) == encoding


def test_docx_whole_text_in_vntime_is_hinted(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("B\xb8o c\xb8o", "C\xabng t\xb8c c\xb6i c\xb8ch h\xb5nh ch\xddnh"):
        document.add_paragraph().add_run(text).font.name = ".VnTime"
    raw = _read_docx(tmp_path, document)
    assert raw.hints.get("legacy") == "tcvn3"
    assert "B\xb8o c\xb8o" in raw.text  # left as is: the repair step converts the whole text


def test_docx_mixed_legacy_runs(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("Ủy ban nhân dân tỉnh Lâm Đồng báo cáo kết quả thực hiện nhiệm vụ năm 2024 như sau: ")
    p.add_run("C\xabng t\xb8c").font.name = ".VnTime"
    raw = _read_docx(tmp_path, document)
    try:
        from pipeline.ingest.repair.legacy import to_unicode  # noqa: F401
    except ImportError:
        assert raw.hints.get("legacy_mixed") == ["tcvn3"]
        assert raw.warnings
    else:
        assert raw.hints.get("legacy_converted") == ["tcvn3"]
        assert "Công tác" in unicodedata.normalize("NFC", raw.text)
    assert "legacy" not in raw.hints  # never ask repair to convert the Unicode runs too


# ---------------------------------------------------------------------------- pdf


def _header_pdf(pages: int = 3, running_head: bool = True) -> bytes:
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            if running_head and self.page_no() > 1:
                self.set_font("DejaVu", size=9)
                self.set_xy(20, 8)
                self.cell(0, 5, "Báo cáo số 12/BC-UBND")

        def footer(self) -> None:
            if self.page_no() > 1:
                self.set_y(-15)
                self.set_font("DejaVu", size=10)
                self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Report()
    pdf.add_font("DejaVu", fname=str(hostile.FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    y = 15
    for left, right in zip(HEADER_LEFT, HEADER_RIGHT, strict=True):
        pdf.set_xy(15, y)
        pdf.cell(70, 6, left, align="C")
        pdf.set_xy(95, y)
        pdf.cell(100, 6, right, align="C")
        y += 7
    pdf.set_xy(15, y + 8)
    pdf.cell(180, 6, "BÁO CÁO", align="C")
    pdf.set_xy(20, y + 20)
    body = "Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính năm 2024. "
    for i in range(pages):
        if i:
            pdf.add_page()
            pdf.set_xy(20, 25)
        pdf.multi_cell(170, 7, f"Phần {i + 1}. " + body * 6)
    return bytes(pdf.output())


def test_pdf_two_column_header_and_pages(tmp_path: Path) -> None:
    raw = read(_write(tmp_path, "a.pdf", _header_pdf()), limits=Limits())
    assert raw.hints["layout"] == "pdf" and raw.hints["pages"] == 3
    pages = raw.text.split("\f")
    assert len(pages) == 3
    first = [ln.strip() for ln in pages[0].splitlines() if ln.strip()]
    assert first[:3] == [f"{a}\t{b}" for a, b in zip(HEADER_LEFT, HEADER_RIGHT, strict=True)]
    assert first[3] == "BÁO CÁO"
    assert first[4].startswith("Phần 1. Ủy ban nhân dân tỉnh")


def test_pdf_page_furniture_removed(tmp_path: Path) -> None:
    raw = read(_write(tmp_path, "a.pdf", _header_pdf()), limits=Limits())
    for page in raw.text.split("\f")[1:]:
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        assert not re.fullmatch(r"\d+", lines[-1]), lines[-1]  # no running page number
        assert lines[0].startswith("Phần")  # the running head is gone
    assert any("removed" in w for w in raw.warnings)


def test_pdf_running_head_kept_when_not_repeated(tmp_path: Path) -> None:
    """A two-page PDF is too short to call a line furniture by repetition; numbers still go."""
    raw = read(_write(tmp_path, "a.pdf", _header_pdf(pages=2)), limits=Limits())
    assert "Báo cáo số 12/BC-UBND" in raw.text


def test_scanned_pdf_is_not_supported_yet(tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (200, 280), color=255).save(image)
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(str(image), x=0, y=0, w=210)
    with pytest.raises(NotSupportedYet, match="scanned PDF"):
        read(_write(tmp_path, "scan.pdf", bytes(pdf.output())), limits=Limits())


# ---------------------------------------------------------------------------- html


def test_html_blocks_tables_and_entities(tmp_path: Path) -> None:
    cells = "".join(f"<td>{''.join(f'<p>{x}</p>' for x in col)}</td>" for col in (HEADER_LEFT, HEADER_RIGHT))
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>p{color:red}</style>"
        "<script>var s = 'BÁO CÁO GIẢ';</script></head><body><nav>Trang chủ | Tin tức</nav>"
        f"<table><tr>{cells}</tr></table><h2>B&Aacute;O C&Aacute;O</h2>"
        "<p>Dòng một<br>dòng &amp; hai</p></body></html>"
    )
    lines = read(_write(tmp_path, "a.html", page.encode()), limits=Limits()).text.splitlines()
    assert lines[:3] == [f"{a}\t{b}" for a, b in zip(HEADER_LEFT, HEADER_RIGHT, strict=True)]
    assert lines[3:] == ["BÁO CÁO", "Dòng một", "dòng & hai"]


# ---------------------------------------------------------------------------- the real corpus


def test_corpus_binaries_read_or_not_supported_yet(corpus_dir: Path) -> None:
    failures = []
    for path in sorted((corpus_dir / "binary").iterdir()):
        expect_refusal = path.suffix.lower() == ".doc" or "scanned" in path.name
        try:
            raw = read(path, limits=Limits())
        except NotSupportedYet:
            if not expect_refusal:
                failures.append(f"{path.name}: unexpectedly not supported")
            continue
        except InputError as exc:
            failures.append(f"{path.name}: {exc}")
            continue
        if expect_refusal:
            failures.append(f"{path.name}: should have been refused")
        elif len(raw.text.strip()) < 500:
            failures.append(f"{path.name}: only {len(raw.text.strip())} characters")
    assert not failures, failures


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


def test_corpus_pdf_header_matches_pdftotext(corpus_dir: Path) -> None:
    """The header of the signed PDF, stamped fields included, as ``pdftotext -layout`` reads it."""
    pdf = next((corpus_dir / "binary").glob("01_*.pdf"))
    reference = (corpus_dir / "docs" / "001.txt").read_text(encoding="utf-8").splitlines()[:3]
    ours = read(pdf, limits=Limits()).text.split("\f")[0].splitlines()[:3]
    for ref, line in zip(reference, ours, strict=True):
        assert "\t" in line  # left column (issuer, number) apart from the right one
        assert _words(line.replace("\t", " ")) == _words(ref)
