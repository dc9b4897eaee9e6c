"""One tone-mark placement for every syllable: ``hòa``, ``thủy``, ``khỏe``, ``Ủy ban``.

Vietnamese has two conventions for where the tone mark sits in the open syllables ``oa``,
``oe``, ``uy``: on the first vowel (``hòa``, ``khỏe``, ``thủy``; the long-standing spelling,
which keyboards call "old style") or on the second (``hoà``, ``khoẻ``, ``thuỷ``).  We write
the first: it is what Decree 30/2020 documents print (``CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM``,
``Ủy ban nhân dân``), what FORMAT.md's regexes and the gold annotations use, so a matcher
written once in that spelling finds both.  All other rules are the same in both conventions
and only repair misplaced marks (``baỏ`` → ``bảo``, ``qúy`` → ``quý``, ``gìa`` → ``già``).

A word is touched only when it parses as one Vietnamese syllable (onset, vowel nucleus,
final consonant) carrying exactly one tone mark, so names, English words and abbreviations
stay as they are.

>>> fix_syllable("Uỷ"), fix_syllable("hoà"), fix_syllable("quý"), fix_syllable("baỏ")
('Ủy', 'hòa', None, 'bảo')

Ingest applies it once, as offset-mapped edits (:func:`tone_edits`); names kept as data
(lexicons, document types) and gold values meet the repaired text through
:func:`modern_tones`, the same rule on a plain string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.ingest.repair.edit import Edits, apply_edits

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_BASE_VOWELS = "aăâeêioôơuưy"
_MODIFIED = set("ăâêôơư")  # vowels with a shape mark: they take the tone when present
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")  # fmt: skip
_CODAS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
# Vowel nuclei of Vietnamese syllables (after a qu/gi onset), and those that end in a
# semivowel and so take no final consonant.
_OPEN_ONLY = frozenset("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oeo uây uôi uya uyu ươi ươu".split())
_NUCLEI = _OPEN_ONLY | frozenset("a ă â e ê i o ô ơ u ư y iê oa oă oe oo uâ uê uô uơ uy ươ yê uyê".split())


def _split(ch: str) -> tuple[str, str]:
    """``"ủ"`` → ``("u", "\u0309")``: the letter without its tone mark, and the mark."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
    return base, tone


def _put(letter: str, tone: str) -> str:
    return unicodedata.normalize("NFC", letter + tone)


# Vowel pairs where a tone mark may be misplaced: a toned plain vowel next to a vowel
# (hoà, òan, qúy, gìa, baỏ), or a toned shaped vowel before another shaped one (ứơ).  A
# toned ê/ô/ơ/â/ă/ư anywhere else is always right, so most words need no parsing at all.
_VOWELS_ALL = "".join(
    sorted({_put(v, t) for v in _BASE_VOWELS for t in ("", *_TONE_MARKS)} | {_put(v, t).upper() for v in _BASE_VOWELS for t in ("", *_TONE_MARKS)})
)
_TONED_PLAIN = "".join(c for c in _VOWELS_ALL if _split(c)[1] and _split(c)[0].lower() not in _MODIFIED)
_TONED_SHAPED = "".join(c for c in _VOWELS_ALL if _split(c)[1] and _split(c)[0].lower() in _MODIFIED)
_SHAPED = "".join(c for c in _VOWELS_ALL if _split(c)[0].lower() in _MODIFIED)
_SUSPECT = re.compile(
    f"[{_TONED_PLAIN}][{_VOWELS_ALL}]|[{_VOWELS_ALL}][{_TONED_PLAIN}]|[{_TONED_SHAPED}][{_SHAPED}]"
)
_SYLLABLE = re.compile(r"[^\W\d_]+")


def _tone_index(nucleus: str, coda: str) -> int | None:
    """Index in ``nucleus`` (tone-less, lower case) of the vowel that carries the tone."""
    n = len(nucleus)
    marked = [i for i, v in enumerate(nucleus) if v in _MODIFIED]
    if marked:
        return marked[-1]  # ươ → ơ, uô → ô, iê/yê → ê, uâ → â; a lone one otherwise
    if n == 1:
        return 0
    if coda:
        return n - 1  # hoàn, toán, huỳnh, khoét
    if n == 2:
        return 0  # open oa/oe/uy: first vowel (our convention, see module doc); ai, ao, ua, ia ...
    if n == 3:
        return 1  # oai, oay, uya, uyu, oeo
    return None


@lru_cache(maxsize=20000)
def fix_syllable(word: str) -> str | None:
    """The word with its tone mark where our convention puts it, or ``None`` if unchanged."""
    parts = [_split(c) for c in word]
    tones = [i for i, (_, t) in enumerate(parts) if t]
    if len(tones) != 1:
        return None
    bare = "".join(b for b, _ in parts).lower()
    if len(bare) != len(word):
        return None
    onset = next(o for o in _ONSETS if bare.startswith(o))
    if onset == "gi" and (len(bare) == 2 or bare[2] not in _BASE_VOWELS):
        onset = "g"  # gì, gìn: the i is the vowel
    rest = bare[len(onset) :]
    k = 0
    while k < len(rest) and rest[k] in _BASE_VOWELS:
        k += 1
    nucleus, coda = rest[:k], rest[k:]
    if nucleus not in _NUCLEI or coda not in _CODAS or (coda and nucleus in _OPEN_ONLY):
        return None
    target = _tone_index(nucleus, coda)
    if target is None:
        return None
    target += len(onset)
    current = tones[0]
    if target == current:
        return None
    tone = parts[current][1]
    chars = list(word)
    chars[current] = _recase(parts[current][0], word[current])
    chars[target] = _recase(_put(parts[target][0].lower(), tone), word[target])
    return "".join(chars)


def _recase(new: str, like: str) -> str:
    return new.upper() if like.isupper() else new.lower()


def tone_edits(text: str) -> Edits:
    """Edits moving tone marks to their place, one syllable at a time.

    >>> from pipeline.ingest.repair.edit import apply_edits
    >>> apply_edits("UỶ BAN NHÂN DÂN tỉnh Khánh Hoà", tone_edits("UỶ BAN NHÂN DÂN tỉnh Khánh Hoà"))[0]
    'ỦY BAN NHÂN DÂN tỉnh Khánh Hòa'
    """
    # Judge each distinct token once; a text repeats its words, and most are not suspect.
    fixes: dict[str, str] = {}
    for token in set(text.split()):
        if _SUSPECT.search(token):
            for word in _SYLLABLE.findall(token):
                fixed = fix_syllable(word)
                if fixed is not None:
                    fixes[word] = fixed
    if not fixes:
        return []
    edits: Edits = []
    for old, new in fixes.items():
        start = text.find(old)
        while start >= 0:
            end = start + len(old)
            after = text[end : end + 1]
            whole = (start == 0 or not text[start - 1].isalpha()) and not (
                after and (after.isalpha() or unicodedata.combining(after))
            )
            if whole:
                edits.extend((start + i, start + i + 1, b) for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
            start = text.find(old, end)
    edits.sort()
    return edits


def modern_tones(text: str) -> str:
    """``text`` with every tone mark where ingest puts it (``Khánh Hoà`` → ``Khánh Hòa``).

    >>> modern_tones("UỶ BAN NHÂN DÂN tỉnh Khánh Hoà")
    'ỦY BAN NHÂN DÂN tỉnh Khánh Hòa'
    """
    edits = tone_edits(text)
    return apply_edits(text, edits)[0] if edits else text
