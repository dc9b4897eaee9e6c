"""Aggregate stage: tables of a batch, comparisons across agencies and periods, outputs for people.

- :func:`run` is the batch: ingest → extract → aggregate over files and folders, resumable;
- :func:`build_tables` and :func:`compare_all` work on extract records already in memory
  (a notebook's ``[to_dict(extract(ingest(p))) for p in paths]``);
- :func:`write_reports` writes the .docx, .xlsx and .html of a finished run.

The names are loaded on first use: the extract stage imports :mod:`pipeline.aggregate.bodies`
on every document and must not pay for pandas and scikit-learn there.
"""

from __future__ import annotations

from typing import Any

_WHERE = {
    "build_tables": "pipeline.aggregate.tables",
    "compare_all": "pipeline.aggregate.compare",
    "run": "pipeline.aggregate.run",
    "write_reports": "pipeline.aggregate.report",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'pipeline.aggregate' has no attribute {name!r}")
