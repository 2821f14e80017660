"""The command line: each command calls one library function and reports its errors cleanly."""

from __future__ import annotations

import csv
import json
import os
import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__
from .errors import LodpubError
from .publish.manifest import SUMMARY, store_folder
from .resources import QUERIES, bundled_query
from .uris import DEFAULT_BASE

EXAMPLE = "examples/luohe-2024-budget.txt"


def base_option(f):
    return click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="URI",
                        help="Base URI of the published data (ends with /).")(f)


def jobs_option(f):
    return click.option("--jobs", "-j", type=int, default=os.cpu_count() or 1, show_default=True,
                        help="Documents processed in parallel.")(f)


def strict_option(f):
    return click.option("--strict", is_flag=True, help="Warnings count as failures for the exit code.")(f)


def lodpub_errors(f):
    """Turn library errors into a clean message and exit code 1."""
    @wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except LodpubError as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


def _progress(total: int):
    done = [0]

    def report(result):
        if " + " in result.location and done[0] >= total:  # files read again as one disclosure
            click.echo(f"[together] ok {result.location}" if result.ok else f"[together] FAILED {result.error}", err=True)
            return
        done[0] += 1
        if result.ok:
            click.echo(f"[{done[0]}/{total}] ok {result.location}", err=True)
        else:  # the error names the file and the place
            click.echo(f"[{done[0]}/{total}] FAILED {result.error}", err=True)
    return report


def _document_lines(result) -> list[str]:
    lines = []
    for d in result.documents:
        if not d.ok:
            lines.append(f"FAILED  {d.error}")
            continue
        c = d.counts
        lines.append(f"ok      {d.location}: {d.department} {d.fiscal_year or '?'} {d.phase}, {c['tables']} tables, "
                     f"{c['budget_lines']} budget lines, {c['skipped_cells']} cells skipped, {c['violations']} violations, "
                     f"{c['warnings']} warnings")
    return lines


@click.group()
@click.version_option(__version__, prog_name="lodpub")
def main():
    """lodpub: publish Chinese government budget disclosures as validated linked open data."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Publication folder to write (replaced whole, atomically).")
@base_option
@jobs_option
@click.option("--issued", metavar="YYYY-MM-DD", default=None,
              help="Issue date in the catalogue (default: $SOURCE_DATE_EPOCH, else today).")
@click.option("--license", "license_iri", metavar="IRI", default=None, help="Licence of the published data.")
@click.option("--endpoint", metavar="URL", default=None, help="Public SPARQL endpoint URL for the catalogue.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Cache folder: documents fetched from URLs, and each document's result, so that a rebuild "
                   "reads only the documents that changed.")
@click.option("--together", is_flag=True,
              help="The inputs are the files of one disclosure (情况说明 and 报表), read as one document. Without it, "
                   "a file without tables is paired with the file of tables that states the same department and year.")
@strict_option
@lodpub_errors
def build(inputs, out, base, jobs, issued, license_iri, endpoint, cache, together, strict):
    """Read documents, map them to RDF, validate and publish dumps, catalogue and store.

    INPUTS are files (.txt or .pdf), folders of them, or http(s) URLs.

    Example: lodpub build examples/luohe-2024-budget.txt --out out
    """
    from .build import build as run_build
    from .sources import expand_inputs
    from .validate import summary_lines

    if issued is None and os.environ.get("SOURCE_DATE_EPOCH"):
        import datetime as dt
        issued = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc).date().isoformat()
    total = 1 if together else len(expand_inputs(list(inputs)))
    result = run_build(list(inputs), out, base=base, jobs=jobs, issued=issued, license_iri=license_iri,
                       endpoint=endpoint, cache_dir=cache, progress=_progress(total) if total > 1 else None,
                       together=together)
    for line in summary_lines(result.validation, result.titles()):
        click.echo(line)
    for line in _document_lines(result):
        click.echo(line)
    pub = result.publication
    click.echo(f"published {pub.triples} triples from {len(result.succeeded)} document(s) to {pub.out}")
    if result.failed or (strict and not result.validation.conforms(strict)):
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@base_option
@jobs_option
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the SHACL validation report (Turtle) to this file.")
@strict_option
@lodpub_errors
def validate(inputs, base, jobs, report, strict):
    """Run every check on documents without publishing; exit 1 on a violation.

    Example: lodpub validate examples/luohe-2024-budget.txt --strict
    """
    from .build import read_and_validate
    from .publish.reports import report_turtle
    from .validate import summary_lines

    result = read_and_validate(list(inputs), base=base, jobs=jobs)
    for line in summary_lines(result.validation, result.titles()):
        click.echo(line)
    for line in _document_lines(result):
        click.echo(line)
    if report:
        report.write_bytes(report_turtle(result.validation.findings, base))
    if result.failed or not result.validation.conforms(strict):
        sys.exit(1)


@main.command()
@click.argument("sparql")
@click.option("--store", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Publication folder (made by lodpub build).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@lodpub_errors
def query(sparql, folder, fmt):
    """Run a SPARQL query on the embedded store (SPARQL text, @file.rq, or @01 for a bundled query).

    Example: lodpub query @01 --store out
    """
    import pyoxigraph as ox

    from .store import query as run_query

    if sparql.startswith("@"):
        sparql = _query_text(sparql[1:])
    store_dir = store_folder(folder)
    try:
        answer = run_query(store_dir, sparql)
    except (OSError, SyntaxError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if isinstance(answer, bool):
        click.echo("true" if answer else "false")
        return
    if isinstance(answer, ox.QueryTriples):
        click.echo(ox.serialize(answer, format=ox.RdfFormat.TURTLE).decode("utf-8"), nl=False)
        return
    names = [v.value for v in answer.variables]
    rows = [[("" if t is None else t.value) for t in solution] for solution in answer]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    else:
        widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
        click.echo("  ".join(n.ljust(w) for n, w in zip(names, widths)))
        for r in rows:
            click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def _query_text(name: str) -> str:
    """The text of a query file, or of the bundled query (lodpub/queries/) that name or number names."""
    path = Path(name)
    if not path.is_file():
        path = bundled_query(name)
        if path is None:
            raise click.ClickException(f"{name}: no such query file, and no bundled query of that name or number "
                                       "(lodpub/queries/: " + ", ".join(p.stem for p in sorted(QUERIES.glob("*.rq"))) + ")")
    return path.read_text(encoding="utf-8")


def example_queries() -> list[tuple[str, str]]:
    out = []
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = next((l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("#")), path.stem)
        out.append((title, text))
    return out


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("out"))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-results", type=int, default=10000, show_default=True, help="Rows a query may return.")
@lodpub_errors
def serve(folder, host, port, timeout, max_results):
    """Serve the store over the SPARQL 1.1 Protocol, with a query page at /.

    Example: lodpub serve out --port 8000   (then open http://127.0.0.1:8000/)
    """
    from .serve import serve as run_serve

    base = DEFAULT_BASE
    summary = folder / SUMMARY
    if summary.exists():
        base = json.loads(summary.read_text(encoding="utf-8")).get("base", base)
    click.echo(f"SPARQL endpoint: http://{host}:{port}/sparql  query page: http://{host}:{port}/", err=True)
    run_serve(folder, host=host, port=port, base=base, timeout=timeout, max_results=max_results,
              examples=example_queries())


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store Protocol URL (e.g. http://host:8890/sparql-graph-crud-auth).")
@lodpub_errors
def push(folder, endpoint):
    """Load a build into a SPARQL Graph Store, one named graph per document (idempotent).

    Credentials come from LODPUB_PUSH_USER / LODPUB_PUSH_PASSWORD or ~/.netrc, never the command line.

    Example: LODPUB_PUSH_USER=dba LODPUB_PUSH_PASSWORD=… lodpub push out --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    from .push import push as run_push

    report = run_push(folder, endpoint)
    click.echo(str(report))


if __name__ == "__main__":
    main()
