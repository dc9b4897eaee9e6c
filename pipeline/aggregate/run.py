"""The batch run: ingest → extract → aggregate over files and folders, resumable.

Per-file work runs in worker processes (a local pool, or a Dask cluster with
``scheduler=ADDRESS``), each file under a time and memory limit.  Finished files go to the
ledger at once; tables and comparisons are rebuilt from the ledger at the end, so a re-run
after a kill produces the same tables as an uninterrupted run.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.aggregate.ledger import Ledger
from pipeline.batch import file_sha256, iter_inputs, run_files
from pipeline.ingest.limits import Limits


@dataclass(slots=True)
class RunSummary:
    outdir: Path
    inputs: int = 0
    skipped: int = 0
    processed: int = 0
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    peak_rss_mib: dict[str, float | None] = field(default_factory=dict)  # this process, its workers, the database copy
    errors: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    aggregate_error: str | None = None  # why the tables and comparisons could not be built


def _dask_results(paths: Iterable[Path], scheduler: str, limits: Limits) -> Iterator[dict[str, Any]]:
    """Run the same per-file work on a Dask cluster; results as they complete."""
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        window = max(4, 4 * len(client.scheduler_info().get("workers", {}) or [1]))
        it = iter(paths)
        futures = [client.submit(dask_task, str(p), limits, pure=False) for p, _ in zip(it, range(window), strict=False)]
        ac = as_completed(futures)
        for fut in ac:
            yield fut.result()
            nxt = next(it, None)
            if nxt is not None:
                ac.add(client.submit(dask_task, str(nxt), limits, pure=False))


_WORKERS: dict[tuple[str, Limits], Any] = {}


def dask_task(path: str, limits: Limits) -> dict[str, Any]:
    """One file on a Dask worker: in a child process of that worker, under the limits."""
    from pipeline.isolate import IsolatedWorker

    key = ("extract", limits)
    if key not in _WORKERS:
        _WORKERS[key] = IsolatedWorker("extract", limits)
    return _WORKERS[key](path)


def run(
    inputs: list[str | Path],
    outdir: str | Path,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    limits: Limits | None = None,
    retry_errors: bool = False,
    on_progress: Callable[[int, int, dict[str, Any] | None], None] | None = None,
    aggregate: bool = True,
) -> RunSummary:
    """Process every input file not yet in ``outdir``'s ledger, then rebuild tables and comparisons."""
    from pipeline.jobs import extract_packed

    t0 = time.perf_counter()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    limits = limits or Limits(timeout_s=120, memory_bytes=3 * 2**30)
    summary = RunSummary(outdir=out)
    with Ledger(out / "ledger.sqlite") as ledger:
        if retry_errors:
            ledger.forget_errors()
        # Two passes over the inputs, so that nothing grows with the batch: the first counts the
        # new contents (for the progress bar), the second hands them out as the workers go.
        total = 0
        for p in iter_inputs(inputs):
            summary.inputs += 1
            sha = file_sha256(p) if p.is_file() else None
            if sha is None or ledger.claim(sha):  # an unreadable input becomes an error record
                total += 1
            else:
                summary.skipped += 1
        todo = (p for p in iter_inputs(inputs) if _take(ledger, p))
        if on_progress:
            on_progress(0, total, None)
        if total and not scheduler:
            from pipeline.jobs import warm_up

            warm_up()
        results = (
            _dask_results(todo, scheduler, limits)
            if scheduler
            else run_files(todo, extract_packed, jobs=jobs, limits=limits)
        )
        for i, rec in enumerate(results, 1):
            ledger.put(rec)
            summary.processed += 1
            if on_progress:
                on_progress(i, total, rec)
        summary.ok, summary.failed = ledger.count()
        # the workers' peak, read before the database copy starts a child of its own
        workers = _peak_rss().get("workers")
        database_peak = None
        if aggregate:
            try:
                summary.outputs, database_peak = finish(out, ledger)
            except Exception as err:  # what was extracted stays in the ledger for a re-run
                summary.aggregate_error = f"{out}: tables and comparisons not built: {_reason(err)}"
        summary.errors = ledger.errors()
    summary.seconds = time.perf_counter() - t0
    summary.peak_rss_mib = _peak_rss()
    if workers is not None:
        summary.peak_rss_mib["workers"] = workers
    if summary.outputs:
        summary.peak_rss_mib["database"] = database_peak
    (out / "run.json").write_text(
        json.dumps({k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(summary).items()}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return summary


def save_request(outdir: str | Path, *, expected: list[str] | None = None, deadline: str | None = None) -> Path:
    """Record what was asked of whom (``OUTDIR/request.json``), when the batch holds no request letter."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "request.json"
    path.write_text(json.dumps({"expected": expected or [], "deadline": deadline}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def finish(out: Path, ledger: Ledger) -> tuple[dict[str, str], float | None]:
    """Tables, comparisons and the DuckDB database from everything in the ledger; the outputs'
    paths, and the peak memory (MiB) of the child that copied the database.

    Records stream from the ledger into Parquet, table by table, a chunk at a time; the
    comparisons read those files a block at a time (with a work database on disk for what they
    join and sort), and a child process fills the DuckDB database from them.  The parent's memory thus does not hold the batch: not its documents, nor its
    tables (see :mod:`pipeline.aggregate.compare`).
    """
    import pyarrow as pa

    from pipeline.aggregate.compare import compare_tables
    from pipeline.aggregate.store import DatabaseCopy
    from pipeline.aggregate.tables import COLUMNS, stream_tables

    # Arrow's default allocator keeps freed memory for reuse, so the parent's peak grew with the
    # batch; the system allocator gives large blocks back once each chunk is written.
    pa.set_memory_pool(pa.system_memory_pool())
    work = out / ".work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    letters = _JsonLines(work / "letters.jsonl")
    db = DatabaseCopy(out)
    try:
        stream_tables(_slim(ledger.records()), out / "tables", letters=letters)
        letters.close()
        # the tables the comparisons leave as they are go into the database while they run
        rewritten = ("findings", "references")
        db.add(n for n in COLUMNS if n not in rewritten)
        req_path = out / "request.json"
        request = json.loads(req_path.read_text(encoding="utf-8")) if req_path.exists() else None
        compared = compare_tables(out / "tables", letters, request=request, workdir=work)
        db.add([*rewritten, *compared])
        path = db.close()
    except BaseException:
        db.abort()
        raise
    finally:
        letters.close()
        shutil.rmtree(work, ignore_errors=True)
    return {"tables": str(out / "tables"), "duckdb": str(path)}, db.peak_mib


class _JsonLines:
    """The letters of a batch kept on disk, not in memory: appended once, read as often as needed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = path.open("w", encoding="utf-8")

    def append(self, item: dict[str, Any]) -> None:
        self._fh.write(json.dumps(item, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._fh.close()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def _take(ledger: Ledger, path: Path) -> bool:
    sha = file_sha256(path) if path.is_file() else None
    return sha is None or ledger.take(sha)


def _reason(err: Exception) -> str:
    """One line on why a step failed (a disk full, a folder where a file should be...)."""
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__


def _slim(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Records without their full text and offsets: tables keep spans, not copies of documents."""
    for rec in records:
        rec.pop("offsets", None)
        text = rec.pop("text", None)
        rec["_chars"] = len(text or "")
        yield rec


def _peak_rss() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (MiB, Linux).

    A child's figure counts the pages it shares with this process when it starts.
    """
    try:
        import resource
    except ImportError:
        return {}
    return {
        "parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
