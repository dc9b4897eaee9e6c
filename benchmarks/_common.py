"""Helpers shared by the benchmark scripts: where the corpus is, and peak memory."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BAOCAO_SHARED", ROOT.parent / "shared")).resolve()
DOCS = SHARED / "corpus" / "docs"


def need_docs() -> list[Path]:
    if not DOCS.is_dir():
        sys.exit(f"{DOCS}: not found (set BAOCAO_SHARED to the shared folder)")
    return sorted(DOCS.glob("*.txt"))


def peak_rss_mib(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children), MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def pin_one_core() -> None:
    """Measure on one core, as the issues ask: pin the process and its BLAS threads."""
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
