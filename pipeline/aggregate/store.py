"""The DuckDB database of a run, filled from its Parquet tables.

The database is written to a temporary name and renamed into place, so a reader never sees
half a file and a run killed while writing leaves the previous database intact.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# DuckDB writes a table a row group at a time and spills past its memory limit, so copying a
# large batch needs no more than the first limit.  A table of unusually wide rows can need more
# for one row group: it gets the next limit, and only that table.
MEMORY_LIMITS = ("16MB", "128MB", "1GB")


# The last line a parent sends: without it (the parent was killed), the copy is thrown away.
_COMMIT = "\0commit"


class DatabaseCopy:
    """``OUTDIR/<db_name>`` filled by a child process, table by table, as the tables are ready.

    The child copies while the parent goes on with the next step, and has a process of its own:
    the batch's parent holds the NLP models it forked its workers from, and DuckDB's working
    memory is not stacked on top of them.  A failure there comes back as one line
    (:class:`RuntimeError`).  The database appears only when :meth:`close` commits it:
    ``db = DatabaseCopy(out)``, ``db.add(["documents"])`` … ``db.add(["findings"])``,
    ``path = db.close()``.
    """

    def __init__(self, outdir: str | Path, db_name: str = "baocao.duckdb") -> None:
        self.path = Path(outdir) / db_name
        self.peak_mib: float | None = None  # the child's peak resident memory
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.aggregate.store", str(outdir), db_name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            errors="replace",
        )

    def add(self, names: Iterable[str]) -> None:
        """Copy these tables (``OUTDIR/tables/<name>.parquet``) next."""
        try:
            self._proc.stdin.write("".join(f"{n}\n" for n in names))  # type: ignore[union-attr]
            self._proc.stdin.flush()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass  # the child has stopped: close() says why

    def close(self) -> Path:
        """Wait for the copy and put the database in place; its path."""
        self.add([_COMMIT])
        out, err = self._proc.communicate()
        if self._proc.returncode != 0:
            lines = err.strip().splitlines()
            raise RuntimeError(f"database {self.path} not written: {lines[-1] if lines else f'exit code {self._proc.returncode}'}")
        self.peak_mib = float(out.strip()) if out.strip() else None
        return self.path

    def abort(self) -> None:
        """Stop the copy; the previous database, if any, stays."""
        self._proc.kill()
        self._proc.communicate()


def write_database(outdir: str | Path, names: Iterable[str], *, db_name: str = "baocao.duckdb") -> Path:
    """Copy ``OUTDIR/tables/<name>.parquet`` for each name into ``OUTDIR/<db_name>``; return its path."""
    db = DatabaseCopy(outdir, db_name)
    db.add(names)
    return db.close()


def copy_tables(outdir: Path, names: Iterable[str], db_name: str = "baocao.duckdb") -> Path | None:
    """The copy itself, in this process: each table as its name comes, then the database put in
    place when :data:`_COMMIT` comes (``None``, and no database, if the names end before)."""
    import duckdb

    db = outdir / db_name
    tmp_db = outdir / f".{db_name}.tmp"
    tmp_db.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp_db), config={"threads": 1})
    committed = False
    try:
        for name in names:
            if name == _COMMIT:
                committed = True
                break
            path = str(outdir / "tables" / f"{name}.parquet").replace("'", "''")
            _copy_within(con, name, f"SELECT * FROM read_parquet('{path}')")
    finally:
        con.close()
    if not committed:
        tmp_db.unlink(missing_ok=True)
        return None
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


if __name__ == "__main__":  # python -m pipeline.aggregate.store OUTDIR DB_NAME < table names, one per line
    try:
        if copy_tables(Path(sys.argv[1]), (line.rstrip("\n") for line in sys.stdin), sys.argv[2]) is None:
            sys.exit(0)  # the parent stopped before committing: no database
    except Exception as err:  # the parent shows this line
        print(f"{type(err).__name__}: {str(err).strip().splitlines()[0] if str(err).strip() else ''}", file=sys.stderr)
        sys.exit(1)
    print(_own_peak_mib())
