"""Per-file work of the batch commands: module-level functions, so worker processes can run them."""

from __future__ import annotations

from typing import Any

from pipeline.ingest.limits import Limits


def parse_file(path: str, limits: Limits) -> dict[str, Any]:
    """Ingest one file; the record of ``baocao parse``."""
    from pipeline.ingest import ingest
    from pipeline.serialize import to_dict

    return to_dict(ingest(path, limits=limits))


def extract_file(path: str, limits: Limits) -> dict[str, Any]:
    """Ingest and extract one file; the record of ``baocao extract``."""
    from pipeline.ingest import ingest
    from pipeline.nlp import extract
    from pipeline.serialize import to_dict

    return to_dict(extract(ingest(path, limits=limits)))
