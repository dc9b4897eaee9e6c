"""The DuckDB database of a run, filled from its Parquet tables; reading a table back.

The database is written to a temporary name and renamed into place, so a reader never sees
half a file and a run killed while writing leaves the previous database intact.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# DuckDB writes a table a row group at a time and spills past its memory limit, so copying a
# large batch needs no more than the first limit.  A table of unusually wide rows can need more
# for one row group: it gets the next limit, and only that table.
MEMORY_LIMITS = ("16MB", "128MB", "1GB")
LAST_PEAK_MIB: float | None = None


def write_database(outdir: str | Path, names: list[str] | tuple[str, ...], *, db_name: str = "baocao.duckdb") -> Path:
    """Copy ``OUTDIR/tables/<name>.parquet`` for each name into ``OUTDIR/<db_name>``; return its path.

    The copy runs in a child process of its own: the batch's parent holds the NLP models it
    forked its workers from, and DuckDB's working memory is not stacked on top of them; a
    failure there comes back as one line (:class:`RuntimeError`).  The child's peak resident
    memory (MiB) is left in :data:`LAST_PEAK_MIB`.
    """
    global LAST_PEAK_MIB
    out = Path(outdir)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.aggregate.store", str(out), db_name, *names],
        capture_output=True, text=True, encoding="utf-8", errors="replace", check=False,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise RuntimeError(f"database {out / db_name} not written: {lines[-1] if lines else f'exit code {proc.returncode}'}")
    LAST_PEAK_MIB = float(proc.stdout.strip() or "nan")
    return out / db_name


def copy_tables(outdir: Path, names: list[str] | tuple[str, ...], db_name: str = "baocao.duckdb") -> Path:
    """The copy itself, in this process (see :func:`write_database`)."""
    import duckdb

    db = outdir / db_name
    tmp_db = outdir / f".{db_name}.tmp"
    tmp_db.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp_db), config={"threads": 1})
    try:
        for name in names:
            path = str(outdir / "tables" / f"{name}.parquet").replace("'", "''")
            _copy_within(con, name, f"SELECT * FROM read_parquet('{path}')")
    finally:
        con.close()
    os.replace(tmp_db, db)
    return db


def _copy_within(con: Any, name: str, select: str) -> None:
    import duckdb

    for i, limit in enumerate(MEMORY_LIMITS):
        con.execute(f"SET memory_limit = '{limit}'")
        try:
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {select}')
            return
        except duckdb.OutOfMemoryException:
            con.execute(f'DROP TABLE IF EXISTS "{name}"')
            if i == len(MEMORY_LIMITS) - 1:
                raise


def read_table(outdir: str | Path, name: str) -> Any:
    """One table of a finished run, from its Parquet file (a pandas data frame)."""
    import pandas as pd

    return pd.read_parquet(Path(outdir) / "tables" / f"{name}.parquet")


def _own_peak_mib() -> str:
    """This process's peak resident memory since it started this program (VmHWM, Linux).

    Not ``ru_maxrss``: a child started from a large parent inherits the parent's figure there.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return f"{int(line.split()[1]) / 1024:.1f}"
    except OSError:
        pass
    return ""


if __name__ == "__main__":  # python -m pipeline.aggregate.store OUTDIR DB_NAME TABLE...
    try:
        copy_tables(Path(sys.argv[1]), sys.argv[3:], sys.argv[2])
    except Exception as err:  # the parent shows this line
        print(f"{type(err).__name__}: {str(err).strip().splitlines()[0] if str(err).strip() else ''}", file=sys.stderr)
        sys.exit(1)
    print(_own_peak_mib())
