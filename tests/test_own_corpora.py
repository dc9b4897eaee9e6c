"""Our own corpora (samples and demo, in txt, docx and pdf) parse as their gold says."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, load_gold
from pipeline.ingest import ingest
from pipeline.serialize import to_dict

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("corpus", ["samples", "demo"])
def test_own_corpus_header_and_closing(corpus: str) -> None:
    base = ROOT / "corpora" / corpus
    gold = load_gold(base / "gold")
    files = [p for p in base.rglob("*") if p.suffix in (".txt", ".docx", ".pdf") and p.stem in gold]
    assert len(files) == len(gold)
    result = evaluate([to_dict(ingest(p)) for p in files], gold)
    for field, v in result["fields"].items():
        assert v["accuracy"] == 1.0, (field, result["misses"].get(field))
    assert result["recipients"]["f1"] == 1.0
    assert result["sections_l1"]["f1"] == 1.0
