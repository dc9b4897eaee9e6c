"""Limits that keep one hostile file from taking the machine down."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Per-file limits; the defaults suit administrative documents (a few MB at most)."""

    max_bytes: int = 50 * 1024 * 1024  # any input file
    max_text_chars: int = 20_000_000  # decoded text
    max_zip_members: int = 2000
    max_zip_inflated: int = 200 * 1024 * 1024  # declared uncompressed total of a .docx
    max_zip_ratio: float = 100.0  # for members over 1 MiB
    max_pdf_pages: int = 1000
    timeout_s: float = 60.0  # wall clock per file, enforced by the batch runner
    memory_bytes: int = 2 * 1024 * 1024 * 1024  # RLIMIT_AS of a worker
