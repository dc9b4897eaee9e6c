"""Aggregate stage: tables of a batch, comparisons across agencies and periods, outputs for people.

- :func:`run_batch` (:func:`pipeline.aggregate.run.run`) is the batch: ingest → extract →
  aggregate over files and folders, resumable;
- :func:`build_tables` and :func:`compare_all` work on extract records already in memory
  (a notebook's ``[to_dict(extract(ingest(p))) for p in paths]``);
- :func:`write_reports` writes the .docx, .xlsx and .html of a finished run.

The names are loaded on first use: the extract stage imports :mod:`pipeline.aggregate.bodies`
on every document and must not pay for pandas and scikit-learn there.
"""

from __future__ import annotations

from typing import Any

# exported name → (module, name there); the batch is "run_batch" because "run" is its module
_WHERE = {
    "build_tables": ("pipeline.aggregate.tables", "build_tables"),
    "compare_all": ("pipeline.aggregate.compare", "compare_all"),
    "run_batch": ("pipeline.aggregate.run", "run"),
    "write_reports": ("pipeline.aggregate.report", "write_reports"),
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        module, attr = _WHERE[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'pipeline.aggregate' has no attribute {name!r}")
