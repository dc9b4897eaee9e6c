"""Run a per-file function over many files, each in a worker process under a time and memory limit.

One hostile file must not stop a batch: a worker that hangs is killed at ``limits.timeout_s``,
one that allocates past ``limits.memory_bytes`` gets a ``MemoryError`` (``RLIMIT_AS``), and a
crashed worker is replaced.  Every file yields exactly one record, ``status`` ``ok`` or
``error``, in input order.  Processes, not threads: underthesea is not thread-safe.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from pipeline.errors import one_line
from pipeline.ingest.limits import Limits
from pipeline.model import SCHEMA_VERSION

_log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".doc"}

Worker = Callable[[str, Limits], dict[str, Any]]


MAX_TASKS = 1000


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the supported files under folders named (sorted, each file once).

    Under a folder, hidden files and folders (``.git``, ``.~lock.…#``) and Word's owner files
    (``~$bao-cao.docx``, left beside a document someone has open) are not documents.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        p = Path(item)
        for f in sorted(_walk(p)) if p.is_dir() else [p]:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def iter_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """The files of :func:`expand_inputs` as a folder listing gives them: nothing is held.

    For batches too large to list in memory; a file named twice comes twice (the batch run
    recognises it by its content).
    """
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p


def _walk(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.startswith(".") or e.name.startswith("~$"):  # hidden, or Word's owner file
                continue
            if e.is_dir(follow_symlinks=False):
                yield from _walk(Path(e.path))
            elif e.is_file() and os.path.splitext(e.name)[1].lower() in SUFFIXES:
                yield Path(e.path)


def file_sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def error_record(path: str | Path, reason: str, *, sha256: str | None = None) -> dict[str, Any]:
    """The record written for a file that failed; ``error`` is ``path: reason`` on one line."""
    p = Path(path)
    if sha256 is None and p.is_file():
        sha256 = file_sha256(p)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": (sha256 or "")[:16] or None,
        "source": {
            "path": str(path),
            "sha256": sha256,
            "format": p.suffix.lower().lstrip(".") or None,
            "size": p.stat().st_size if p.is_file() else None,
        },
        "status": "error",
        "error": reason,
    }


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: rely on the timeout
        pass
    # Heavy libraries below print progress or warnings we do not want in batch output.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def safe_call(worker: Worker, path: str, limits: Limits) -> dict[str, Any]:
    """Call ``worker`` in this process, turning any exception into an error record."""
    try:
        return worker(path, limits)
    except MemoryError:
        return error_record(path, f"{path}: memory limit exceeded ({limits.memory_bytes // 2**20} MiB)")
    except RecursionError:
        return error_record(path, f"{path}: document nested too deeply")
    except Exception as err:  # every failure becomes a record, never a traceback
        return error_record(path, one_line(path, err))


def run_files(
    paths: Iterable[Path],
    worker: Worker,
    *,
    jobs: int | None = None,
    limits: Limits | None = None,
    isolate: bool = True,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one record per path, in order, running ``worker`` in a pool of processes.

    ``isolate=False`` runs in this process (no time limit), for debugging and notebooks.
    ``worker`` must be a module-level function (it is pickled to the workers).
    """
    limits = limits or Limits()
    if not isolate:
        for p in paths:
            rec = safe_call(worker, str(p), limits)
            if on_result:
                on_result(rec)
            yield rec
        return

    from pebble import ProcessExpired, ProcessPool

    jobs = max(1, jobs or os.cpu_count() or 1)
    window = jobs * 4  # bounded number of files in flight: memory does not grow with the batch
    # A worker is replaced after MAX_TASKS files: what its heap gains from file to file
    # (fragmentation, caches) stops there, and a fork of the warm parent costs milliseconds.
    with ProcessPool(
        max_workers=jobs, max_tasks=MAX_TASKS, initializer=_limit_memory, initargs=(limits.memory_bytes,)
    ) as pool:
        pending: deque[tuple[Path, Any]] = deque()
        it = iter(paths)

        def submit() -> bool:
            p = next(it, None)
            if p is None:
                return False
            fut = pool.schedule(safe_call, args=(worker, str(p), limits), timeout=limits.timeout_s)
            pending.append((p, fut))
            return True

        for _ in range(window):
            if not submit():
                break
        while pending:
            p, fut = pending.popleft()
            try:
                rec = fut.result()
            except FutureTimeout:
                rec = error_record(p, f"{p}: timed out after {limits.timeout_s:g} s")
            except ProcessExpired as err:
                rec = error_record(p, f"{p}: worker died ({_expired_reason(err)})")
            except Exception as err:  # a broken worker must not stop the batch
                rec = error_record(p, one_line(p, err))
            submit()
            if on_result:
                on_result(rec)
            yield rec


def _expired_reason(err: Exception) -> str:
    code = getattr(err, "exitcode", None)
    if code == -9:
        return "killed, probably out of memory"
    return f"exit code {code}"
