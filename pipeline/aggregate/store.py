"""Write the tables of a run: Parquet files (the record) and one DuckDB database (for queries).

Both are written to a temporary name and renamed into place, so a reader never sees half a
file and a run killed while writing leaves the previous tables intact.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    # DuckDB spills to disk past its limit: copying a large batch does not need it in memory
    con = duckdb.connect(str(tmp_db), config={"memory_limit": "64MB", "threads": 1})
    try:
        for name in names:
            path = str(tdir / f"{name}.parquet").replace("'", "''")
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(\'{path}\')')
    finally:
        con.close()
    os.replace(tmp_db, db)
    return db


def read_table(outdir: str | Path, name: str) -> pd.DataFrame:
    """One table of a finished run, from its Parquet file."""
    return pd.read_parquet(Path(outdir) / "tables" / f"{name}.parquet")
