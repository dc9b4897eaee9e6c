"""Plain text and Markdown: find the encoding, refuse binary junk.

Vietnamese text files come in UTF-8 (with or without BOM), UTF-16 (Notepad's "Unicode"),
Windows-1258 (cp1258, with *combining* tone marks) and the pre-Unicode font encodings
TCVN3 (ABC, ``.VnTime``) and VNI.  The last two are byte-for-byte font tricks: decoded as
cp1252 they look like ``C«ng t¸c`` / ``Coâng taùc``.  This reader decodes them as cp1252 and
leaves the conversion to the repair step, which knows the tables.

>>> from pipeline.model import Source
>>> src = Source(path="a.txt", sha256="0", format="txt")
>>> read_text("Báo cáo".encode("utf-16"), src, Limits()).text
'Báo cáo'
"""

from __future__ import annotations

import codecs
import unicodedata

from pipeline.errors import CorruptDocument
from pipeline.ingest.guard import check_text_quality, check_text_size, unreadable_share
from pipeline.ingest.limits import Limits
from pipeline.ingest.readers import RawDocument
from pipeline.model import Source

# The letters of Vietnamese (NFC), lower case; upper case is derived.
_VI_LETTERS = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
_VI_LETTERS |= {c.upper() for c in _VI_LETTERS}
_CONTROL_OK = {9, 10, 12, 13, 26}  # tab, LF, FF, CR, and the DOS end-of-file mark


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Raises :class:`CorruptDocument` for binary data.
    """
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            return _strict(body, enc), enc.replace("-sig", "") + " (BOM)"
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        # NUL-laden binary looks like UTF-16 too: accept it only if it decodes to text.
        if text and unreadable_share(text[:20000]) < 0.02:
            return text, utf16
    if _looks_binary(data):
        raise CorruptDocument("binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_8bit(data)


def _strict(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise CorruptDocument(f"invalid {enc} text at byte {exc.start}") from None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: Vietnamese text in UTF-16 has a NUL in most ASCII slots."""
    sample = data[:4096]
    if len(sample) < 16:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    nul = sample.count(0)
    ctrl = sum(1 for b in sample if b < 32 and b not in _CONTROL_OK)
    return nul / len(sample) > 0.001 or ctrl / len(sample) > 0.02


def _vietnamese_share(text: str) -> float:
    """Share of the non-ASCII letters and signs that are Vietnamese letters."""
    text = unicodedata.normalize("NFC", text)
    other = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not other:
        return 1.0
    return sum(1 for c in other if c in _VI_LETTERS) / len(other)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """cp1258 when it yields Vietnamese, else cp1252 (TCVN3/VNI mojibake for repair)."""
    try:
        text = data.decode("cp1258")
        if _vietnamese_share(text) >= 0.9:
            return text, "cp1258"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        guess = best.encoding if best is not None else None
    except Exception:  # the detector is advisory only
        guess = None
    if guess and guess not in ("cp1258", "cp1252", "latin_1", "iso8859_1", "utf_8", "ascii"):
        try:
            text = data.decode(guess)
            if _vietnamese_share(text) >= 0.9:
                return text, guess
        except (UnicodeDecodeError, LookupError):
            pass
    # cp1252 leaves five bytes undefined; map those to C1 controls as latin-1 does, losslessly.
    return data.decode("cp1252", errors=_LATIN1_FALLBACK), "cp1252"


def _latin1_fallback(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


_LATIN1_FALLBACK = "baocao-latin1-fallback"
codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)


def read_text(data: bytes, src: Source, limits: Limits) -> RawDocument:
    """Read a ``.txt`` or ``.md`` file.  Hints: ``encoding``, and ``markup`` for Markdown."""
    text, encoding = decode_text(data)
    check_text_size(len(text), limits)
    check_text_quality(text, "text")
    hints: dict[str, object] = {"encoding": encoding}
    if src.format == "md":
        hints["markup"] = "markdown"
    warnings = []
    if encoding == "cp1252":
        warnings.append("8-bit text that is not cp1258: decoded as cp1252 (TCVN3/VNI legacy encoding?)")
    return RawDocument(source=src, text=text, hints=hints, warnings=warnings)
