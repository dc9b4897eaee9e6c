"""Pre-flight checks that run before any parsing library touches the bytes.

No Python DOCX library protects itself against a decompression bomb: a 0.6 MB upload that
inflates to 400 MB costs python-docx 1.3 GB of memory (ECOSYSTEM.md §4).  Entity expansion
and external entities are blocked by today's lxml and libxml2 defaults, but that depends on
versions, and an OOXML part never needs a DTD, so any ``<!DOCTYPE`` is refused outright.

Every check raises an :class:`~pipeline.errors.InputError` subclass whose message is one
short line: the batch runner stores it as the reason the file was skipped.
"""

from __future__ import annotations

import io
import re
import zipfile

from pipeline.errors import CorruptDocument, LimitExceeded
from pipeline.ingest.limits import Limits

MIB = 1024 * 1024
# The DTD, if any, precedes the root element; a prolog longer than this is hostile anyway.
_PROLOG_BYTES = 64 * 1024


def short_reason(exc: BaseException, limit: int = 160) -> str:
    """The first line of a library's error message, trimmed: never a traceback."""
    text = str(exc).strip()
    line = text.splitlines()[0].strip() if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


def open_docx_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open a .docx archive after checking its members, sizes and XML prologs.

    Raises :class:`LimitExceeded` for too many members, a declared inflated total over
    ``limits.max_zip_inflated`` or a member over 1 MiB compressed more than
    ``limits.max_zip_ratio`` to 1; :class:`CorruptDocument` for a broken archive or an XML
    part that declares a DTD or entities.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"not a valid .docx (not a zip archive: {short_reason(exc)})") from None
    if len(infos) > limits.max_zip_members:
        raise LimitExceeded(f"zip archive has {len(infos)} members (limit {limits.max_zip_members})")
    total = sum(i.file_size for i in infos)
    if total > limits.max_zip_inflated:
        raise LimitExceeded(
            f"zip bomb suspected: declared inflated size {total / MIB:.0f} MiB "
            f"> {limits.max_zip_inflated / MIB:.0f} MiB limit"
        )
    for info in infos:
        if info.file_size > MIB:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                raise LimitExceeded(
                    f"zip bomb suspected: {info.filename} inflates {ratio:.0f}:1 "
                    f"(limit {limits.max_zip_ratio:.0f}:1)"
                )
    for info in infos:
        name = info.filename.lower()
        if name.endswith((".xml", ".rels")) and not info.is_dir():
            _check_xml_prolog(zf, info)
    return zf


def _check_xml_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part whose prolog declares a DTD or an entity (XXE, billion laughs)."""
    try:
        with zf.open(info) as fh:
            head = fh.read(_PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise CorruptDocument(f"corrupt .docx part {info.filename}: {short_reason(exc)}") from None
    except Exception as exc:  # zlib.error and friends
        raise CorruptDocument(f"corrupt .docx part {info.filename}: {short_reason(exc)}") from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise CorruptDocument(f"refused .docx: {info.filename} declares a DTD or XML entities")


def check_pdf_pages(n_pages: int, limits: Limits) -> None:
    if n_pages > limits.max_pdf_pages:
        raise LimitExceeded(f"PDF has {n_pages} pages (limit {limits.max_pdf_pages})")


def check_text_size(n_chars: int, limits: Limits) -> None:
    if n_chars > limits.max_text_chars:
        raise LimitExceeded(f"text too long: {n_chars:,} characters (limit {limits.max_text_chars:,})")


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff]")
_SPACE = re.compile(r"\s")


def unreadable_share(text: str) -> float:
    """Share of U+FFFD, control and private-use characters among the non-space characters."""
    total = len(text) - len(_SPACE.findall(text))
    if total <= 0:
        return 0.0
    return len(_UNREADABLE.findall(text)) / total


def check_text_quality(text: str, what: str, *, max_bad: float = 0.05) -> None:
    """Raise :class:`CorruptDocument` when more than ``max_bad`` of ``text`` is unreadable.

    PDF engines fail silently (a bit-flipped file yields 28 characters of garbage with
    pypdfium2), so garbage must be refused, not returned.
    """
    share = unreadable_share(text)
    if share > max_bad:
        raise CorruptDocument(f"garbled {what}: {share:.0%} unreadable characters")


__all__ = [
    "check_pdf_pages",
    "check_text_quality",
    "check_text_size",
    "open_docx_zip",
    "short_reason",
    "unreadable_share",
]
