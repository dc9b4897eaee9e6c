"""A long-lived child process that runs the per-file work with a kill-on-timeout watchdog.

Used where :mod:`multiprocessing` pools cannot be (inside a Dask worker, which is a daemonic
process and may not fork pool children): the child is a plain subprocess speaking JSON lines
on stdin/stdout.  A file that hangs is answered with an error record and the child is
restarted; the next file goes on.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from dataclasses import asdict
from typing import Any

from pipeline.batch import error_record
from pipeline.ingest.limits import Limits


class IsolatedWorker:
    """Run ``pipeline.jobs.<kind>_file`` in a child process, one file at a time."""

    def __init__(self, kind: str, limits: Limits) -> None:
        self.kind = kind
        self.limits = limits
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    def _start(self) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.jobs", self.kind, json.dumps(asdict(self.limits))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self._lines = queue.Queue()

        def pump(out: Any, q: queue.Queue[str | None]) -> None:
            for line in out:
                q.put(line)
            q.put(None)

        threading.Thread(target=pump, args=(proc.stdout, self._lines), daemon=True).start()
        return proc

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def __call__(self, path: str) -> dict[str, Any]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(path, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
            line = self._lines.get(timeout=self.limits.timeout_s)
        except queue.Empty:
            self.close()
            return error_record(path, f"{path}: timed out after {self.limits.timeout_s:g} s")
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            self.close()
            return error_record(path, f"{path}: worker died (probably out of memory)")
        try:
            rec = json.loads(line)
        except ValueError:
            rec = None
        if not isinstance(rec, dict):  # the protocol is broken: start afresh rather than misattribute answers
            self.close()
            return error_record(path, f"{path}: internal error: worker answered {line.strip()[:80]!r}")
        return rec
