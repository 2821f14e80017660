"""The command line: each command calls one library function and reports its errors cleanly."""

from __future__ import annotations

import csv
import json
import signal
import sys
from pathlib import Path

import click

from . import __version__
from .checks import check_date, check_http_iri, check_iri, check_port, check_writable_file, issued_from_environment
from .commands import Commands, lodpub_errors
from .errors import printable
from .options import (
    base_option,
    catalogue_options,
    checked,
    count_option,
    jobs_option,
    max_size_option,
    scheduler_option,
    seconds_option,
    size_option,
    strict_option,
)
from .publish.manifest import store_folder
from .resources import example_queries, query_text

EXAMPLE = "examples/luohe-2024-budget.txt"


class _Progress:
    """A build's progress on stderr, a line for each document ([3/40] ok …) once the inputs are counted (none
    for a build of one document)."""

    def __init__(self) -> None:
        self.total = self.done = 0

    def counted(self, total: int) -> None:
        self.total = total

    def __call__(self, result) -> None:
        if self.total <= 1:
            return
        if " + " in result.location and self.done >= self.total:  # files read again as one disclosure
            click.echo(f"[together] ok {printable(result.location)}" if result.ok else f"[together] FAILED {result.error}", err=True)
            return
        self.done += 1
        if result.ok:
            click.echo(f"[{self.done}/{self.total}] ok {printable(result.location)}", err=True)
        else:  # the error names the file and the place
            click.echo(f"[{self.done}/{self.total}] FAILED {result.error}", err=True)


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="lodpub")
def main():
    """lodpub: publish Chinese government budget disclosures as validated linked open data."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True, help="Publication folder to write (replaced whole, atomically).")
@base_option
@jobs_option
@click.option(
    "--issued", metavar="YYYY-MM-DD", default=None, callback=checked(check_date), help="Issue date in the catalogue (default: $SOURCE_DATE_EPOCH, else today)."
)
@click.option(
    "--license", "license_iri", metavar="IRI", default=None, callback=checked(check_iri, "--license"), help="Licence of the published data (an absolute IRI)."
)
@click.option("--endpoint", metavar="URL", default=None, callback=checked(check_http_iri, "--endpoint"), help="Public SPARQL endpoint URL for the catalogue.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Cache folder: documents fetched from URLs, and each document's result, so that a rebuild reads only the documents that changed.",
)
@click.option(
    "--together",
    is_flag=True,
    help="The inputs are the files of one disclosure (情况说明 and 报表), read as one document. Without it, "
    "a file without tables is paired with the file of tables that states the same department and year.",
)
@click.option(
    "--xlsx/--no-xlsx",
    default=True,
    show_default=True,
    help="Also write budget-lines.xlsx, the budget lines with codes as text and amounts as numbers (as a spreadsheet "
    "opened by a double click reads no CSV), when they fit one worksheet (1,048,575 lines).",
)
@scheduler_option
@catalogue_options
@max_size_option
@strict_option
@lodpub_errors
def build(inputs, out, base, jobs, issued, license_iri, endpoint, cache, together, xlsx, scheduler, max_size, strict, **about):
    """Read documents, map them to RDF, validate and publish dumps, catalogue and store.

    INPUTS are files (.pdf, .txt, .docx, .doc, .xlsx, .xls, .csv, .html), folders or .zip archives of them, or http(s) URLs (of documents or of .zip archives).

    Example: lodpub build examples/luohe-2024-budget.txt --out out
    """
    from .build import build as run_build
    from .build import document_lines
    from .publish.catalogue import About
    from .uris import is_placeholder
    from .validate import summary_lines

    if issued is None:
        issued = issued_from_environment()
    progress = _Progress()
    result = run_build(
        list(inputs),
        out,
        base=base,
        jobs=jobs,
        issued=issued,
        license_iri=license_iri,
        endpoint=endpoint,
        cache_dir=cache,
        progress=progress,
        counted=progress.counted,
        together=together,
        max_size=max_size,
        about=About(**about),
        scheduler=scheduler,
        workbook=xlsx,
    )
    for line in summary_lines(result.validation, result.titles()):
        click.echo(line)
    for line in document_lines(result):
        click.echo(line)
    pub = result.publication
    given_twice = f" ({len(result.duplicates)} given twice, counted once)" if result.duplicates else ""
    click.echo(f"published {pub.triples} triples from {len(result.succeeded)} document(s){given_twice} to {printable(str(pub.out))}")
    if is_placeholder(base):
        click.echo(f"warning: the base {base} is a placeholder: every link of the publication is dead (set --base to where it will be served)", err=True)
    if result.failed or (strict and not result.validation.conforms(strict)):
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@base_option
@jobs_option
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the SHACL validation report (Turtle) to this file.")
@scheduler_option
@max_size_option
@strict_option
@lodpub_errors
def validate(inputs, base, jobs, report, scheduler, max_size, strict):
    """Run every check on documents without publishing; exit 1 on a violation.

    Example: lodpub validate examples/luohe-2024-budget.txt --strict
    """
    from .build import document_lines, read_and_validate
    from .distributed import check_scheduler
    from .publish.reports import report_turtle
    from .validate import summary_lines

    if report:
        check_writable_file(report, "--report")
    if scheduler:
        check_scheduler(scheduler)
    result = read_and_validate(list(inputs), base=base, jobs=jobs, max_size=max_size, scheduler=scheduler)
    for line in summary_lines(result.validation, result.titles()):
        click.echo(line)
    for line in document_lines(result):
        click.echo(line)
    if report:
        report.write_bytes(report_turtle(result.validation.findings, base))
    if result.failed or not result.validation.conforms(strict):
        sys.exit(1)


@main.command()
@click.argument("sparql")
@click.option(
    "--store",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Publication folder (made by lodpub build).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@lodpub_errors
def query(sparql, folder, fmt):
    """Run a SPARQL query on the embedded store (SPARQL text, @file.rq, or @01 for a bundled query).

    Example: lodpub query @01 --store out
    """
    import pyoxigraph as ox

    from .store import aligned, solution_rows
    from .store import query as run_query

    if sparql.startswith("@"):
        sparql = query_text(sparql[1:])
    store_dir = store_folder(folder)
    if not (store_dir.is_dir() and any(store_dir.iterdir())):
        raise click.ClickException(f"{printable(str(folder))}: no store here (make one with lodpub build … --out {printable(str(folder))})")
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
    names, rows = solution_rows(answer)
    if fmt == "json":
        click.echo(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        from .csvsafe import safe_row, safe_rows

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(safe_row(names))
        writer.writerows(safe_rows(rows))
    else:
        for line in aligned(names, rows):
            click.echo(line)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("out"))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True, help="Seconds a query may run.")
@count_option("--max-results", 10000, "Rows a query may return.")
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="IRI",
    callback=checked(check_http_iri, "--allow-service"),
    help="An endpoint IRI that queries may name in SERVICE (repeatable); any other SERVICE gets 400.",
)
@size_option("--max-query-bytes", "100KB", "Largest query text accepted; a larger one gets 400.")
@size_option("--max-answer-bytes", "50MB", "Largest answer sent; a query whose answer is larger gets 413.")
@size_option("--query-memory", "1GiB", "Memory a query may take in its worker process (0: no limit); a query that needs more gets 503.")
@count_option("--workers", 2, "Query processes; while slow queries hold them all, up to as many again start for the others.")
@count_option(
    "--connections",
    200,
    "Connections served at once, each with its thread (so every request reaches the fair query queue); more wait to be accepted.",
)
@lodpub_errors
def serve(folder, host, port, **limits):
    """Serve a publication: SPARQL 1.1 endpoint, query page at / and its files.

    Example: lodpub serve out --port 8000   (then open http://127.0.0.1:8000/)
    """
    from .serve import published_base, serve as run_serve

    if not folder.is_dir():
        raise click.ClickException(f"{printable(str(folder))}: no publication here (make one with lodpub build … --out {printable(str(folder))})")
    check_port(host, port)
    base = published_base(folder)
    click.echo(f"SPARQL endpoint: http://{host}:{port}/sparql  query page: http://{host}:{port}/", err=True)
    interrupted = []

    def on_interrupt(signum, frame):  # the server stops on Ctrl-C; the command then exits 130
        interrupted.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        run_serve(folder, host=host, port=port, base=base, examples=example_queries(), **limits)
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--endpoint", metavar="URL", help="SPARQL 1.1 Graph Store Protocol URL (e.g. http://host:8890/sparql-graph-crud-auth).")
@click.option(
    "--virtuoso-isql",
    metavar="[HOST:]PORT",
    help="Instead of --endpoint: load by the bulk loader of the Virtuoso on this machine whose SQL port this is, through its isql client (isql-vt).",
)
@click.option(
    "--load-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --virtuoso-isql: a folder the server may read (listed in DirsAllowed of its virtuoso.ini), for the graphs' files.",
)
@count_option("--loaders", 1, "With --virtuoso-isql: bulk loader sessions (rdf_loader_run) at once, up to the server's cores.")
@seconds_option("--connect-timeout", 10.0, "Seconds to wait for a connection to the server.")
@seconds_option("--read-timeout", 120.0, "Seconds to wait for the server's next bytes.")
@seconds_option("--deadline", 3600.0, "Seconds the whole push may take, retries included.")
@count_option("--retries", 4, "Times a request failing with 5xx or a connection error is tried again.", least=0)
@lodpub_errors
def push(folder, endpoint, virtuoso_isql, load_dir, loaders, connect_timeout, read_timeout, deadline, retries):
    """Load a build into a SPARQL Graph Store, one named graph per document (idempotent).

    Credentials come from the endpoint URL (http://user:pw@host/…, never printed), else from
    LODPUB_PUSH_USER / LODPUB_PUSH_PASSWORD, else from ~/.netrc (these keep the password out of the
    process list).

    Example: LODPUB_PUSH_USER=dba LODPUB_PUSH_PASSWORD=… lodpub push out --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth

    A Virtuoso on this machine loads a large build faster by its bulk loader, with the same result:
    lodpub push out --virtuoso-isql 1111 --load-dir /var/lib/virtuoso/load
    (its isql client takes the password on its command line, seen in the process list while it runs).
    """
    if bool(endpoint) == bool(virtuoso_isql):
        raise click.UsageError("give either --endpoint URL (Graph Store Protocol) or --virtuoso-isql [HOST:]PORT (Virtuoso's bulk loader)")
    if virtuoso_isql:
        if load_dir is None:
            raise click.UsageError("--virtuoso-isql needs --load-dir: a folder the Virtuoso server may read (its DirsAllowed)")
        from .push import push_bulk

        click.echo(str(push_bulk(folder, virtuoso_isql, load_dir, loaders=loaders, deadline=deadline)))
        return
    from .push import push as run_push

    report = run_push(folder, endpoint, connect_timeout=connect_timeout, read_timeout=read_timeout, deadline=deadline, retries=retries)
    click.echo(str(report))


if __name__ == "__main__":
    main()
