"""Write the tables of a run: Parquet files (the record) and one DuckDB database (for queries).

Both are written to a temporary name and renamed into place, so a reader never sees half a
file and a run killed while writing leaves the previous tables intact.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd


def write_tables(
    outdir: str | Path,
    tables: dict[str, pd.DataFrame],
    *,
    db_name: str = "baocao.duckdb",
    on_disk: tuple[str, ...] = (),
) -> Path:
    """Write ``OUTDIR/tables/<name>.parquet`` and ``OUTDIR/<db_name>``; return the database path.

    ``tables`` is emptied as its frames are written: the database is then filled from the
    Parquet files by DuckDB, under a memory limit, while the frames are already freed.
    ``on_disk`` names tables already written to ``OUTDIR/tables`` (streamed) to put in the database too.
    """
    import duckdb

    out = Path(outdir)
    tdir = out / "tables"
    tdir.mkdir(parents=True, exist_ok=True)
    names = [n for n in on_disk if n not in tables] + list(tables)
    for name in list(tables):
        df = tables.pop(name)
        tmp = tdir / f".{name}.parquet.tmp"
        df.to_parquet(tmp, index=False)
        os.replace(tmp, tdir / f"{name}.parquet")
        del df
    db = out / db_name
    tmp_db = out / f".{db_name}.tmp"
    if tmp_db.exists():
        tmp_db.unlink()
    con = duckdb.connect(str(tmp_db), config={"threads": 1})
    try:
        for name in names:
            path = str(tdir / f"{name}.parquet").replace("'", "''")
            _copy_within(con, name, f"SELECT * FROM read_parquet('{path}')")
    finally:
        con.close()
    os.replace(tmp_db, db)
    return db


# DuckDB writes a table a row group at a time and spills past its memory limit, so copying a
# large batch needs no more than the first limit.  A table of unusually wide rows can need more
# for one row group: it gets the next limit, and only that table.
MEMORY_LIMITS = ("16MB", "128MB", "1GB")


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


def read_table(outdir: str | Path, name: str) -> pd.DataFrame:
    """One table of a finished run, from its Parquet file."""
    return pd.read_parquet(Path(outdir) / "tables" / f"{name}.parquet")
