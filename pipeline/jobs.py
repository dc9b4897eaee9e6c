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


def warm_up() -> None:
    """Import the per-file code and load the findings model in this process.

    Called by the batch run before it starts its workers: forked workers then share the loaded
    code and model instead of each loading them again, and the aggregation that follows the
    run finds its libraries loaded.
    """
    from pipeline.nlp.findings import load_model

    try:
        load_model()
    except Exception:  # a missing model is reported per file, as the workers would
        pass


def extract_packed(path: str, limits: Limits) -> dict[str, Any]:
    """:func:`extract_file`, its record already packed for the ledger (JSON and compression in the worker)."""
    from pipeline.aggregate.ledger import pack
    from pipeline.batch import safe_call

    return pack(safe_call(extract_file, path, limits))


def serve(kind: str, limits: Limits) -> None:
    """Child side of :class:`pipeline.isolate.IsolatedWorker`: one path per stdin line, one record per stdout line.

    A path is a JSON string (so a name may hold a newline); a bare line is taken as a path.
    Records are the only lines on stdout: whatever the work prints, from Python or from C,
    goes to stderr instead, so a chatty library cannot shift the answers.
    """
    import json
    import os
    import sys

    from pipeline.batch import _limit_memory, safe_call

    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    _limit_memory(limits.memory_bytes)
    worker = {"parse": parse_file, "extract": extract_file}[kind]
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        path = json.loads(line) if line.startswith('"') else line
        rec = safe_call(worker, path, limits)
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.flush()


if __name__ == "__main__":
    import json
    import sys

    serve(sys.argv[1], Limits(**json.loads(sys.argv[2])) if len(sys.argv) > 2 else Limits())
