"""Vietnamese administrative units before and after the 2025-07-01 reorganisation.

A thin, fast wrapper over the mapping that ships with underthesea
(``underthesea/address/data/mapping.json``: 63 old provinces → 34 new ones, and every old
ward → its new ward).  Only the JSON is read; underthesea itself is not imported, so this
costs one file read (about 0.1 s, cached) and no model load.

>>> province("Bình Phước").short
'Bình Phước'
>>> successor_province("tỉnh Bình Phước").short
'Đồng Nai'
>>> successor_province("Hà Nội") is None     # unchanged
True
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

REFORM_DATE = "2025-07-01"
"""Provinces merged (63 → 34) and the district level ceased on this day (NQ 202/2025/QH15)."""

# Spellings the mapping does not hold (FORMAT.md §5.4), folded to the mapping's short name.
_VARIANTS = {
    "dak lak": "Đắk Lắk", "daklak": "Đắk Lắk", "dac lac": "Đắk Lắk", "dak nong": "Đắk Nông",
    "daknong": "Đắk Nông", "dac nong": "Đắk Nông", "bac can": "Bắc Kạn", "kontum": "Kon Tum",
    "br-vt": "Bà Rịa - Vũng Tàu", "brvt": "Bà Rịa - Vũng Tàu", "ba ria vung tau": "Bà Rịa - Vũng Tàu",
    "hcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "sai gon": "Hồ Chí Minh",
    "thua thien hue": "Huế", "thua thien - hue": "Huế",
}
_PREFIX = re.compile(r"^(?:tỉnh|thành\s+phố|tp\.?|t\.|thủ\s+đô)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Province:
    """A province-level unit: ``key`` is the mapping's id (``tinhbinhphuoc``)."""

    key: str
    name: str  # "Tỉnh Bình Phước", "Thành phố Hà Nội"
    short: str  # "Bình Phước"
    code: str

    @property
    def is_city(self) -> bool:
        return self.key.startswith("thanhpho")

    @property
    def styled(self) -> str:
        """The name as written after a body: ``tỉnh Bình Phước``, ``thành phố Hà Nội``."""
        return ("thành phố " if self.is_city else "tỉnh ") + self.short


@lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """A matching key: lower case, no diacritics, single spaces (keys only, never kept text)."""
    text = unicodedata.normalize("NFKD", text.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9\- ]", " ", text)).strip()


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("underthesea is not installed; it provides the 2025 administrative-unit mapping")
    path = Path(next(iter(spec.submodule_search_locations))) / "address" / "data" / "mapping.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, Province], dict[str, Province], dict[str, str], dict[str, list[str]]]:
    d = _data()
    old = {k: Province(k, v["name"], v["short"], v["code"]) for k, v in d["old_province_names"].items()}
    new = {k: Province(k, v["name"], v["short"], v["code"]) for k, v in d["province_names"].items()}
    by_name: dict[str, str] = {}
    for k, p in old.items():
        by_name[_compact(p.short)] = k
        by_name[_compact(p.name)] = k
    for variant, short in _VARIANTS.items():
        key = by_name.get(_compact(short))
        if key:
            by_name[_compact(variant)] = key
    # district short name → old province keys (a name can exist in several provinces)
    districts: dict[str, list[str]] = {}
    for r in d["ward_mapping"]:
        name = re.sub(r"^(?:Huyện|Quận|Thị xã|Thành phố)\s+", "", r["old_district"])
        keys = districts.setdefault(_compact(name), [])
        if r["old_province_key"] not in keys:
            keys.append(r["old_province_key"])
    return old, new, by_name, districts


@lru_cache(maxsize=1 << 12)
def province(name: str) -> Province | None:
    """The old (pre-2025) province named ``name``, with or without ``tỉnh``/``TP``; else None.

    Tone placement and case do not matter: ``Khánh Hoà``, ``KHÁNH HÒA``, ``Đăk Nông``.
    """
    if not name or not name.strip():
        return None
    old, _, by_name, _ = _indexes()
    bare = _PREFIX.sub("", unicodedata.normalize("NFC", name.strip()))
    key = by_name.get(_compact(bare)) or by_name.get(_compact(name))
    return old.get(key) if key else None


def province_of_district(name: str) -> Province | None:
    """The old province of a (pre-2025) district or provincial city named ``name``, if unique."""
    old, _, _, districts = _indexes()
    bare = re.sub(r"^(?:huyện|quận|thị\s+xã|thành\s+phố|tp\.?)\s+", "", name.strip(), flags=re.IGNORECASE)
    keys = districts.get(_compact(bare), [])
    return old[keys[0]] if len(keys) == 1 else None


def successor_province(name: str) -> Province | None:
    """The province that a pre-2025 province became on 2025-07-01, or None if its name is unchanged.

    ``Đồng Nai`` (which absorbed Bình Phước) keeps its name, so it gives None too.
    """
    p = province(name)
    if p is None:
        return None
    _, new, _, _ = _indexes()
    nk = _data()["province_mapping"].get(p.key)
    succ = new.get(nk) if nk else None
    if succ is None or _compact(succ.short) == _compact(p.short):
        return None
    return succ


def successor_commune(commune: str, province_name: str, district: str | None = None) -> str | None:
    """The new commune (``Xã …``/``Phường …``) that an old one became, or None if unknown.

    ``commune`` carries its type word (``xã Tân Thạnh``, ``phường An Bình``); for an old
    ward split in several, the mapping's default successor is given.
    """
    p = province(province_name)
    if p is None:
        return None
    ckey = _compact(commune)
    dkey = _compact(district) if district else None
    best = None
    for r in _data()["ward_mapping"]:
        if r["old_province_key"] != p.key or r["old_ward_key"] != ckey:
            continue
        if dkey and not r["old_district_key"].endswith(dkey):
            continue
        if best is None or r.get("is_default"):
            best = r
    if best is None or _compact(best["new_ward"]) == ckey:
        return None
    return best["new_ward"]


def all_province_names() -> list[str]:
    """Short names of the 63 old provinces and the 34 new ones (for building matchers)."""
    old, new, _, _ = _indexes()
    return sorted({p.short for p in old.values()} | {p.short for p in new.values()})
