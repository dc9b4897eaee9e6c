"""The ``baocao`` command: a thin shell over the importable stage functions.

Heavy libraries are imported inside the commands that use them, so ``baocao --help`` is quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.ingest.limits import Limits

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read Vietnamese administrative documents (văn bản hành chính) and turn reports into evidence.",
)

Inputs = Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).", show_default=False)]
Out = Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here (default: standard output).")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0 = all cores).")]
Timeout = Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed per file.")]
Memory = Annotated[int, typer.Option("--memory-mb", min=256, help="Memory allowed per worker (MiB).")]


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _run_jsonl(inputs: list[Path], out: Path | None, worker: Any, jobs: int, limits: Limits) -> None:
    from pipeline.batch import expand_inputs, run_files

    paths = expand_inputs(inputs)
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        _err(f"{p}: no such file or folder")
    paths = [p for p in paths if p.exists()]
    if not paths:
        _err("no input files")
        raise typer.Exit(2)
    fh = open(out, "w", encoding="utf-8") if out else sys.stdout
    n_ok = n_err = 0
    try:
        for rec in run_files(paths, worker, jobs=jobs or None, limits=limits):
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
    _err(f"{n_ok} parsed, {n_err} failed" + (f"; written to {out}" if out else ""))


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

    _run_jsonl(inputs, output, extract_file, jobs, Limits(timeout_s=timeout, memory_bytes=memory_mb * 2**20))


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
    golds = load_gold(gold)
    if predictions is not None:
        records = list(read_jsonl(predictions))
    else:
        if corpus is None:
            _err("give a predictions file or --corpus DIR")
            raise typer.Exit(2)
        from pipeline.batch import run_files
        from pipeline.jobs import extract_file, parse_file

        docs = sorted(p for p in (corpus / "docs").glob("*") if p.stem in golds and p.is_file())
        records = list(run_files(docs, extract_file if extract else parse_file, limits=Limits(timeout_s=300)))
    result = evaluate(records, golds)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    typer.echo(format_report(result))
    if show_misses:
        for field, misses in result["misses"].items():
            typer.echo(f"\n{field}:")
            for m in misses:
                typer.echo(f"  {m['doc']}: got {m['pred']!r}, gold {m['gold']!r}")


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
