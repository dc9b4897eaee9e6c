"""The ``baocao`` command: a thin shell over the importable stage functions.

Heavy libraries are imported inside the commands that use them, so ``baocao --help`` is quick.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.ingest.limits import Limits

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Read Vietnamese administrative documents (văn bản hành chính) and turn reports into evidence.",
)

Inputs = Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).", show_default=False)]
Out = Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here (default: standard output).")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0 = all cores).")]
Timeout = Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed per file.")]
Memory = Annotated[int, typer.Option("--memory-mb", min=256, help="Memory allowed per worker (MiB).")]


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _reason(err: BaseException) -> str:
    """The first line of an exception's message (``strerror`` for OS errors)."""
    text = getattr(err, "strerror", None) or str(err).strip() or type(err).__name__
    return text.splitlines()[0]


def _records(paths: list[Path], worker: Any, jobs: int, limits: Limits) -> Iterator[dict[str, Any]]:
    """One record per path in input order; a path that does not exist is an error record."""
    from pipeline.batch import error_record, run_files

    done = run_files([p for p in paths if p.exists()], worker, jobs=jobs or None, limits=limits)
    for p in paths:
        yield next(done) if p.exists() else error_record(p, f"{p}: no such file or folder")


def _run_jsonl(
    inputs: list[Path], out: Path | None, worker: Any, jobs: int, limits: Limits, *, link: bool = False
) -> None:
    from pipeline.batch import expand_inputs

    paths = expand_inputs(inputs)
    if not any(p.exists() for p in paths):
        for p in paths:
            _err(f"{p}: no such file or folder")
        _err("no input files")
        raise typer.Exit(2)
    try:
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
        fh = open(out, "w", encoding="utf-8") if out else sys.stdout
    except OSError as err:
        _err(f"{out}: cannot write: {err.strerror or err}")
        raise typer.Exit(2) from None
    n_ok = n_err = 0
    try:
        for rec in _records(paths, worker, jobs, limits):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fh.flush()  # a killed run keeps every record already written
            if rec.get("status") == "ok":
                n_ok += 1
            else:
                n_err += 1
                _err(rec.get("error") or f"{rec['source']['path']}: failed")
    finally:
        if out:
            fh.close()
    if out and link:
        _link_file(out)
    _err(f"{n_ok} parsed, {n_err} failed" + (f"; written to {out}" if out else ""))


def _link_file(out: Path) -> None:
    """Second pass over an extract output: each reference to a document of the same batch gets
    that document's id (``doc_id``).  Two streaming reads; only the numbers are held."""
    import os

    from pipeline.nlp.references import resolve_links
    from pipeline.serialize import read_jsonl

    numbers = [
        (r.get("id"), (r.get("number") or {}).get("text"), r.get("date"))
        for r in read_jsonl(out)
        if r.get("status") == "ok"
    ]
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in read_jsonl(out):
            refs = r.get("references") or []
            if refs:
                links = resolve_links(numbers, [(r.get("id"), x["number"], x.get("date")) for x in refs])
                for x, target in zip(refs, links, strict=True):
                    x["doc_id"] = target
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, out)


@app.command("parse")
def parse_cli(
    inputs: Inputs,
    output: Out = None,
    jobs: Jobs = 0,
    timeout: Timeout = 60.0,
    memory_mb: Memory = 2048,
) -> None:
    """Ingest documents: header, number and symbol, date, sections, recipients, signature.

    Example: baocao parse corpora/samples -o parsed.jsonl
    """
    from pipeline.jobs import parse_file

    _run_jsonl(inputs, output, parse_file, jobs, Limits(timeout_s=timeout, memory_bytes=memory_mb * 2**20))


@app.command("extract")
def extract_cli(
    inputs: Inputs,
    output: Out = None,
    jobs: Jobs = 0,
    timeout: Timeout = 120.0,
    memory_mb: Memory = 3072,
) -> None:
    """Parse and extract: agencies, persons, periods, references, figures and findings."""
    from pipeline.jobs import extract_file

    _run_jsonl(inputs, output, extract_file, jobs, Limits(timeout_s=timeout, memory_bytes=memory_mb * 2**20), link=True)


@app.command("evaluate")
def evaluate_cli(
    predictions: Annotated[
        Path | None, typer.Argument(help="Output of parse/extract (JSON Lines). Omit to parse --corpus now.")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="A corpus folder with docs/ and gold/ (e.g. ../shared/corpus).")
    ] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold folder (default: CORPUS/gold).")] = None,
    extract: Annotated[bool, typer.Option("--extract/--parse-only", help="Also run and score the extract stage.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List the documents each field got wrong.")] = False,
) -> None:
    """Score parse or extract output against gold annotations and print accuracy per field.

    Example: baocao evaluate --corpus ../shared/corpus
    """
    from pipeline.evaluate import evaluate, format_report, load_gold
    from pipeline.serialize import read_jsonl

    if gold is None:
        if corpus is None:
            _err("give --gold DIR or --corpus DIR")
            raise typer.Exit(2)
        gold = corpus / "gold"
    if not gold.is_dir():
        _err(f"{gold}: gold folder not found")
        raise typer.Exit(2)
    try:
        golds = load_gold(gold)
    except (OSError, ValueError) as err:
        _err(f"{gold}: unreadable gold: {_reason(err)}")
        raise typer.Exit(2) from None
    if predictions is not None:
        try:
            records = list(read_jsonl(predictions))
        except (OSError, ValueError) as err:
            _err(f"{predictions}: unreadable predictions: {_reason(err)}")
            raise typer.Exit(2) from None
    else:
        if corpus is None:
            _err("give a predictions file or --corpus DIR")
            raise typer.Exit(2)
        from pipeline.batch import run_files
        from pipeline.jobs import extract_file, parse_file

        docs = sorted(p for p in (corpus / "docs").glob("*") if p.stem in golds and p.is_file())
        records = list(run_files(docs, extract_file if extract else parse_file, limits=Limits(timeout_s=300)))
    cv_note = None
    if corpus is not None and any("findings" in r for r in records):
        cv_note = _cross_validate_findings(records, corpus, golds)
    result = evaluate(records, golds)
    if cv_note:
        result["findings_method"] = cv_note
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    typer.echo(format_report(result))
    if cv_note:
        typer.echo(f"findings: {cv_note}")
    if show_misses:
        for field, misses in result["misses"].items():
            typer.echo(f"\n{field}:")
            for m in misses:
                typer.echo(f"  {m['doc']}: got {m['pred']!r}, gold {m['gold']!r}")


def _cross_validate_findings(records: list[dict[str, Any]], corpus: Path, golds: dict[str, Any]) -> str | None:
    """Score findings honestly: where the shipped model was trained on these gold documents,
    replace each document's findings by those of a model trained without it (grouped folds)."""
    from pipeline.evaluate import doc_id_of
    from pipeline.evaluate.findings import cross_validated_findings, trained_on

    ids = {doc_id_of(r) for r in records if r.get("status") == "ok"} & set(golds)
    seen = ids & trained_on(corpus)
    if not seen:
        return None
    cv = cross_validated_findings(corpus, sorted(ids))
    for r in records:
        did = doc_id_of(r)
        if did in cv:
            r["findings"] = cv[did]
    return f"cross-validated by document (the shipped model was trained on {len(seen)} of these documents)"


@app.command("train")
def train_cli(
    corpus: Annotated[Path, typer.Option(help="Corpus with docs/ and gold/.")] = Path("../shared/corpus"),
    out: Annotated[Path, typer.Option(help="Model folder to write.")] = Path("models/findings"),
) -> None:
    """Rebuild the findings model from the gold corpus (and the labels headings imply)."""
    from pipeline.nlp.train import train

    if not (corpus / "gold").is_dir():
        _err(f"{corpus}: no gold/ folder")
        raise typer.Exit(2)
    manifest = train(corpus, out)
    typer.echo(json.dumps(manifest.get("cv", manifest), ensure_ascii=False, indent=1))


@app.command("run")
def run_cli(
    inputs: Inputs,
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Folder for the ledger, tables and database.")],
    jobs: Jobs = 0,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786) to spread the work over a cluster.")
    ] = None,
    timeout: Timeout = 120.0,
    memory_mb: Memory = 3072,
    retry_errors: Annotated[bool, typer.Option("--retry-errors", help="Try again the files that failed before.")] = False,
    expected: Annotated[
        Path | None, typer.Option(help="Text file: one expected reporting body per line (else from the request letter).")
    ] = None,
    deadline: Annotated[str | None, typer.Option(help="Deadline of the request, YYYY-MM-DD.")] = None,
) -> None:
    """Ingest, extract and aggregate a folder of documents; resumable (files done are skipped by content).

    Example: baocao run corpora/demo -o out/
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline.aggregate.run import run, save_request

    if expected is not None or deadline is not None:
        lines = expected.read_text(encoding="utf-8").splitlines() if expected else []
        save_request(outdir, expected=[x.strip() for x in lines if x.strip()], deadline=deadline)
    with Progress(
        TextColumn("[bold]baocao run"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        transient=True, disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("files", total=None)

        def progress(i: int, n: int, rec: dict[str, Any] | None) -> None:
            bar.update(task, completed=i, total=n)
            if rec is not None and rec.get("status") != "ok":
                bar.console.print(rec.get("error"), style="red", markup=False, highlight=False)

        summary = run(
            list(inputs), outdir, jobs=jobs or None, scheduler=scheduler, retry_errors=retry_errors,
            limits=Limits(timeout_s=timeout, memory_bytes=memory_mb * 2**20), on_progress=progress,
        )
    _err(
        f"{summary.inputs} files: {summary.processed} processed, {summary.skipped} already done; "
        f"{summary.ok} ok, {summary.failed} failed in total ({summary.seconds:.1f} s)"
    )
    if summary.aggregate_error:
        _err(f"{summary.aggregate_error}; every file done is kept: run the same command again to build them")
        raise typer.Exit(1)
    _err(f"tables: {outdir / 'tables'}; database: {outdir / 'baocao.duckdb'}; errors: table 'errors'")
    _err(f"next: baocao report {outdir}")


@app.command("report")
def report_cli(
    outdir: Annotated[Path, typer.Argument(help="The folder of a finished `baocao run`.")],
) -> None:
    """Write the consolidated report (.docx), the Excel workbook (.xlsx) and the HTML dashboard."""
    from pipeline.aggregate.report import write_reports

    if not (outdir / "tables").is_dir():
        _err(f"{outdir}: no tables here; run `baocao run INPUT -o {outdir}` first")
        raise typer.Exit(2)
    try:
        written = write_reports(outdir)
    except OSError as err:  # a file open in Word or Excel, a full disk: say so, in one line
        _err(f"{outdir}: cannot write the reports: {err.strerror or err}")
        raise typer.Exit(1) from None
    for kind, path in written.items():
        typer.echo(f"{kind}: {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
