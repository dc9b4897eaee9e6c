"""Choose a reader by the file's magic bytes first, its name second.

A file's name lies more often than its bytes: a ``.doc`` saved as HTML by a web portal, a
``.docx`` that is really a PDF, a ``.txt`` full of binary.  So the content decides, and the
suffix only breaks ties between formats the bytes cannot tell apart (``.txt`` and ``.md``).

>>> detect_format(Path("bao-cao.doc"), b"%PDF-1.7 ...")
'pdf'
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import CorruptDocument, NotSupportedYet, UnsupportedFormat
from pipeline.ingest.limits import Limits
from pipeline.model import Source

Reader = Callable[[bytes, Source, Limits], object]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
LEGACY_DOC = "legacy .doc (Word 97-2003) files"

_TEXT_SUFFIXES = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "csv": "txt"}
_HTML_SUFFIXES = {"html", "htm", "xhtml"}


def _sniff_head(data: bytes) -> str:
    """The first kilobyte as lower-case text, BOM and leading white space removed."""
    head = data[:2048]
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        return head.decode("utf-16", "ignore").lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("latin-1").lstrip().lower()


def _is_html(head: str) -> bool:
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith(("<?xml", "<!--")) and "<html" in head[:2048]
    )


def detect_format(path: Path, data: bytes) -> str:
    """``txt``, ``md``, ``docx``, ``pdf``, ``html`` or ``doc`` for the bytes of ``path``.

    Raises :class:`CorruptDocument` when the name promises a container the bytes are not
    (a ``.docx`` that is not a zip archive) and :class:`UnsupportedFormat` for known
    formats we do not read (RTF, spreadsheets, other zip files).
    """
    suffix = path.suffix.lower().lstrip(".")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return _detect_zip(data, suffix)
    if data.startswith(OLE2_MAGIC):
        if suffix in ("xls", "ppt", "msg"):
            raise UnsupportedFormat(f"unsupported format: .{suffix} (OLE2 container)")
        return "doc"
    head = _sniff_head(data)
    if head.startswith("{\\rtf"):
        raise UnsupportedFormat("unsupported format: RTF (save it as .docx)")
    if _is_html(head) or (suffix in _HTML_SUFFIXES and head.startswith("<")):
        return "html"
    if suffix == "docx":
        raise CorruptDocument("not a valid .docx (not a zip archive)")
    if suffix == "pdf":
        raise CorruptDocument("not a valid PDF (no %PDF- header)")
    if suffix == "doc":
        # Neither OLE2, zip, RTF nor HTML: some portals serve plain text as .doc.
        return "txt"
    return _TEXT_SUFFIXES.get(suffix, "txt")


def _detect_zip(data: bytes, suffix: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        kind = ".docx" if suffix in ("docx", "docm", "dotx") else "zip archive"
        raise CorruptDocument(f"not a valid {kind} ({_short(exc)})") from None
    if "word/document.xml" in names:
        return "docx"
    if suffix == "docx":
        raise CorruptDocument("not a valid .docx (no word/document.xml in the archive)")
    if "content.xml" in names:
        raise UnsupportedFormat("unsupported format: OpenDocument (save it as .docx)")
    raise UnsupportedFormat(f"unsupported format: zip archive{f' (.{suffix})' if suffix else ''}")


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]


def _refuse_doc(data: bytes, src: Source, limits: Limits) -> object:
    raise NotSupportedYet(LEGACY_DOC)


def reader_for(fmt: str) -> Reader:
    """The reader function for a format returned by :func:`detect_format`."""
    if fmt in ("txt", "md"):
        from pipeline.ingest.readers.text import read_text

        return read_text
    if fmt == "docx":
        from pipeline.ingest.readers.docx import read_docx

        return read_docx
    if fmt == "pdf":
        from pipeline.ingest.readers.pdf import read_pdf

        return read_pdf
    if fmt == "html":
        from pipeline.ingest.readers.html import read_html

        return read_html
    if fmt == "doc":
        return _refuse_doc
    raise UnsupportedFormat(f"unsupported format: .{fmt}")
