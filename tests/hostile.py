"""Generators of hostile and malformed input files, written into a test's ``tmp_path``.

Nothing binary is committed: each function writes its file on demand, streamed or sparse
where it is large, so that a test costs milliseconds and little memory.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _document_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )


def minimal_docx(path: Path, body: str, prolog: str = "") -> Path:
    """A hand-made .docx: content types, package rels and one document part."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", _document_xml(body, prolog))
    return path


def empty_file(tmp: Path) -> Path:
    path = tmp / "rong.txt"
    path.write_bytes(b"")
    return path


def binary_junk_txt(tmp: Path) -> Path:
    path = tmp / "bao-cao.txt"
    path.write_bytes(random.Random(7).randbytes(64 * 1024))
    return path


def small_pdf(pages: int = 3) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    for i in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"Trang {i + 1}: Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện nhiệm vụ. " * 5)
    return bytes(pdf.output())


def truncated_pdf(tmp: Path) -> Path:
    data = small_pdf()
    path = tmp / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


def encrypted_pdf(tmp: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    pdf.add_page()
    pdf.cell(0, 10, "Báo cáo mật")
    path = tmp / "mat.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def not_zip_docx(tmp: Path) -> Path:
    path = tmp / "bao-cao.docx"
    path.write_bytes("Đây không phải là tệp Word, chỉ là văn bản.".encode())
    return path


def zip_bomb_docx(tmp: Path, mib: int = 300) -> Path:
    """``word/document.xml`` of ``mib`` MiB of zeros, deflated to a few hundred KB, streamed."""
    path = tmp / "bom.docx"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(mib):
                fh.write(chunk)
    return path


def ratio_bomb_docx(tmp: Path) -> Path:
    """Under the total-size limit, but one member inflates far beyond 100:1."""
    return zip_bomb_docx(tmp, mib=20)


def billion_laughs_docx(tmp: Path) -> Path:
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    prolog = f'<!DOCTYPE w:document [<!ENTITY lol "lol">{entities}]>'
    body = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return minimal_docx(tmp / "cuoi.docx", body, prolog)


def xxe_docx(tmp: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    return minimal_docx(tmp / "xxe.docx", "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog)


def huge_text(tmp: Path, mib: int = 200) -> Path:
    """A sparse ``mib``-MiB text file: costs no disk and must be refused before it is read."""
    path = tmp / "lon.txt"
    with path.open("wb") as fh:
        fh.write("BÁO CÁO\n".encode())
        fh.truncate(mib * 1024 * 1024)
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "empty": empty_file,
    "binary-junk-txt": binary_junk_txt,
    "truncated-pdf": truncated_pdf,
    "encrypted-pdf": encrypted_pdf,
    "not-zip-docx": not_zip_docx,
    "zip-bomb-docx": zip_bomb_docx,
    "ratio-bomb-docx": ratio_bomb_docx,
    "billion-laughs-docx": billion_laughs_docx,
    "xxe-docx": xxe_docx,
    "huge-text": huge_text,
}
