"""The only conftest: shared fixtures and the location of ../shared."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BAOCAO_SHARED", ROOT.parent / "shared")).resolve()
CORPUS = SHARED / "corpus"


def _need_shared() -> None:
    if not (CORPUS / "docs").is_dir():
        pytest.skip(f"../shared/corpus not found at {CORPUS} (a user's clone): corpus tests skipped")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus, or skip with the reason."""
    _need_shared()
    return CORPUS


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    """Gold annotations by document id (``001`` → dict)."""
    _need_shared()
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "gold").glob("*.json"))}


@pytest.fixture(scope="session")
def corpus_docs(corpus_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted((corpus_dir / "docs").glob("*.txt"))}
