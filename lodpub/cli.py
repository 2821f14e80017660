"""The command line: each command calls one library function and reports its errors cleanly."""

from __future__ import annotations

import csv
import json
import os
import signal
import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__
from .checks import check_base, check_date, check_http_iri, check_iri, check_port, check_writable_file, issued_from_environment, parse_size
from .errors import LodpubError, printable
from .publish.manifest import SUMMARY, store_folder
from .resources import QUERIES, bundled_query
from .uris import DEFAULT_BASE

EXAMPLE = "examples/luohe-2024-budget.txt"


def checked(check, *args):
    """A click callback running one of lodpub.checks on the option's value (None passes)."""

    def callback(ctx, param, value):
        if value is None:
            return value
        try:
            for one in value if isinstance(value, tuple) else (value,):  # multiple=True gives a tuple
                check(one, *args)
        except LodpubError as exc:
            message = str(exc)
            for name in param.opts:  # click names the option itself
                if message.startswith(name + " "):
                    message = message[len(name) + 1 :]
            raise click.BadParameter(message) from None
        return value

    return callback


def base_option(f):
    return click.option(
        "--base", default=DEFAULT_BASE, show_default=True, metavar="URI", callback=checked(check_base), help="Base URI of the published data (ends with /)."
    )(f)


def jobs_option(f):
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=os.cpu_count() or 1,
        show_default="the number of CPU cores",  # not this machine's count: docs/cli.md is the same everywhere
        help="Documents processed in parallel.",
    )(f)


class SizeType(click.ParamType):
    """A size such as 50MB (lodpub.checks.parse_size); 0 or none: no limit."""

    name = "size"

    def convert(self, value, param, ctx):
        if value is None or isinstance(value, int):
            return value
        try:
            return parse_size(value, param.opts[0] if param is not None else "--max-size")
        except LodpubError as exc:
            self.fail(str(exc).split(": ", 1)[-1], param, ctx)


def max_size_option(f):
    return click.option(
        "--max-size",
        type=SizeType(),
        default="50MB",
        show_default=True,
        metavar="SIZE",
        help="Largest document read (e.g. 50MB, 1GB; 0: no limit); larger ones are refused.",
    )(f)


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


def one_line(message: str) -> str:
    """A message as one line: its line breaks and control characters written as escapes."""
    return printable(" ".join(message.strip().splitlines()) if message.count("\n") else message.strip())


class Commands(click.Group):
    """lodpub's commands: every failure is one line on stderr and an exit code, never a traceback.

    A wrong option or argument exits 2, a library error 1, Ctrl-C 130; a bug is reported in one line
    too (LODPUB_DEBUG=1 shows its traceback)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            try:
                return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.exceptions.Exit as exc:
                sys.exit(exc.exit_code)
            except click.UsageError as exc:
                hint = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
                click.echo(f"Error: {one_line(exc.format_message())}{hint}", err=True)
                sys.exit(exc.exit_code)
            except click.ClickException as exc:
                click.echo(f"Error: {one_line(exc.format_message())}", err=True)
                sys.exit(exc.exit_code)
            except click.Abort:  # click's name for Ctrl-C (and end of input at a prompt)
                click.echo("Interrupted.", err=True)
                sys.exit(130)
            except KeyboardInterrupt:
                click.echo("Interrupted.", err=True)
                sys.exit(130)
            except BrokenPipeError:  # the output piped into a command that stopped reading (head …)
                sys.stderr.close()
                sys.exit(1)
            except LodpubError as exc:
                click.echo(f"Error: {one_line(str(exc))}", err=True)
                sys.exit(1)
            except Exception as exc:
                if os.environ.get("LODPUB_DEBUG"):
                    raise
                click.echo(f"Error: unexpected {type(exc).__name__}: {one_line(str(exc))} (a bug in lodpub; LODPUB_DEBUG=1 shows where)", err=True)
                sys.exit(1)
        except KeyboardInterrupt:  # a second Ctrl-C while the first was reported
            sys.exit(130)


def _progress(total: int):
    done = [0]

    def report(result):
        if " + " in result.location and done[0] >= total:  # files read again as one disclosure
            click.echo(f"[together] ok {printable(result.location)}" if result.ok else f"[together] FAILED {result.error}", err=True)
            return
        done[0] += 1
        if result.ok:
            click.echo(f"[{done[0]}/{total}] ok {printable(result.location)}", err=True)
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
        lines.append(
            f"ok      {printable(d.location)}: {d.department} {d.fiscal_year or '?'} {d.phase}, {c['tables']} tables, "
            f"{c['budget_lines']} budget lines, {c['skipped_cells']} cells skipped, {c['violations']} violations, "
            f"{c['warnings']} warnings"
        )
    for location, same_as in result.duplicates:
        lines.append(f"same    {printable(location)}: the same bytes as {printable(same_as)}, read and counted once")
    return lines


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
@max_size_option
@strict_option
@lodpub_errors
def build(inputs, out, base, jobs, issued, license_iri, endpoint, cache, together, max_size, strict):
    """Read documents, map them to RDF, validate and publish dumps, catalogue and store.

    INPUTS are files (.txt or .pdf), folders of them, or http(s) URLs.

    Example: lodpub build examples/luohe-2024-budget.txt --out out
    """
    from .build import build as run_build
    from .sources import distinct_inputs, expand_inputs
    from .validate import summary_lines

    if issued is None:
        issued = issued_from_environment()
    total = 1 if together else len(distinct_inputs(expand_inputs(list(inputs)))[0])
    result = run_build(
        list(inputs),
        out,
        base=base,
        jobs=jobs,
        issued=issued,
        license_iri=license_iri,
        endpoint=endpoint,
        cache_dir=cache,
        progress=_progress(total) if total > 1 else None,
        together=together,
        max_size=max_size,
    )
    for line in summary_lines(result.validation, result.titles()):
        click.echo(line)
    for line in _document_lines(result):
        click.echo(line)
    pub = result.publication
    given_twice = f" ({len(result.duplicates)} given twice, counted once)" if result.duplicates else ""
    click.echo(f"published {pub.triples} triples from {len(result.succeeded)} document(s){given_twice} to {printable(str(pub.out))}")
    if result.failed or (strict and not result.validation.conforms(strict)):
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@base_option
@jobs_option
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the SHACL validation report (Turtle) to this file.")
@max_size_option
@strict_option
@lodpub_errors
def validate(inputs, base, jobs, report, max_size, strict):
    """Run every check on documents without publishing; exit 1 on a violation.

    Example: lodpub validate examples/luohe-2024-budget.txt --strict
    """
    from .build import read_and_validate
    from .publish.reports import report_turtle
    from .validate import summary_lines

    if report:
        check_writable_file(report, "--report")
    result = read_and_validate(list(inputs), base=base, jobs=jobs, max_size=max_size)
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

    from .store import query as run_query

    if sparql.startswith("@"):
        sparql = _query_text(sparql[1:])
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
    names = [v.value for v in answer.variables]
    rows = [[("" if t is None else t.value) for t in solution] for solution in answer]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        from .csvsafe import safe_row, safe_rows

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(safe_row(names))
        writer.writerows(safe_rows(rows))
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
            raise click.ClickException(
                f"{printable(name)}: no such query file, and no bundled query of that name or number "
                "(lodpub/queries/: " + ", ".join(p.stem for p in sorted(QUERIES.glob("*.rq"))) + ")"
            )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{printable(str(path))}: not a UTF-8 text file") from None
    except OSError as error:
        raise click.ClickException(f"{printable(str(path))}: {error.strerror or error}") from None


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
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-results", type=click.IntRange(min=1), default=10000, show_default=True, help="Rows a query may return.")
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="IRI",
    callback=checked(check_http_iri, "--allow-service"),
    help="An endpoint IRI that queries may name in SERVICE (repeatable); any other SERVICE gets 400.",
)
@click.option(
    "--max-query-bytes", type=SizeType(), default="100KB", show_default=True, metavar="SIZE", help="Largest query text accepted; a larger one gets 400."
)
@click.option(
    "--max-answer-bytes",
    type=SizeType(),
    default="50MB",
    show_default=True,
    metavar="SIZE",
    help="Largest answer sent; a query whose answer is larger gets 413.",
)
@click.option(
    "--query-memory",
    type=SizeType(),
    default="1GiB",
    show_default=True,
    metavar="SIZE",
    help="Memory a query may take in its worker process (0: no limit); a query that needs more gets 503.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Query processes; while slow queries hold them all, up to as many again start for the others.",
)
@lodpub_errors
def serve(folder, host, port, timeout, max_results, allow_service, max_query_bytes, max_answer_bytes, query_memory, workers):
    """Serve a publication: SPARQL 1.1 endpoint, query page at / and its files.

    Example: lodpub serve out --port 8000   (then open http://127.0.0.1:8000/)
    """
    from .serve import serve as run_serve

    if not folder.is_dir():
        raise click.ClickException(f"{printable(str(folder))}: no publication here (make one with lodpub build … --out {printable(str(folder))})")
    check_port(host, port)
    base = DEFAULT_BASE
    summary = folder / SUMMARY
    if summary.exists():
        try:
            base = json.loads(summary.read_text(encoding="utf-8")).get("base", base)
        except (ValueError, AttributeError):
            raise click.ClickException(f"{printable(str(summary))}: not the summary of a lodpub build") from None
    click.echo(f"SPARQL endpoint: http://{host}:{port}/sparql  query page: http://{host}:{port}/", err=True)
    interrupted = []

    def on_interrupt(signum, frame):  # the server stops on Ctrl-C; the command then exits 130
        interrupted.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        run_serve(
            folder,
            host=host,
            port=port,
            base=base,
            timeout=timeout,
            max_results=max_results,
            examples=example_queries(),
            allow_service=allow_service,
            max_query_bytes=max_query_bytes,
            max_answer_bytes=max_answer_bytes,
            query_memory=query_memory,
            workers=workers,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--endpoint", required=True, metavar="URL", help="SPARQL 1.1 Graph Store Protocol URL (e.g. http://host:8890/sparql-graph-crud-auth).")
@click.option(
    "--connect-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds to wait for a connection to the server.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds to wait for the server's next bytes.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds the whole push may take, retries included.",
)
@click.option(
    "--retries", type=click.IntRange(min=0), default=4, show_default=True, help="Times a request failing with 5xx or a connection error is tried again."
)
@lodpub_errors
def push(folder, endpoint, connect_timeout, read_timeout, deadline, retries):
    """Load a build into a SPARQL Graph Store, one named graph per document (idempotent).

    Credentials come from the endpoint URL (http://user:pw@host/…, never printed), else from
    LODPUB_PUSH_USER / LODPUB_PUSH_PASSWORD, else from ~/.netrc (these keep the password out of the
    process list).

    Example: LODPUB_PUSH_USER=dba LODPUB_PUSH_PASSWORD=… lodpub push out --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    from .push import push as run_push

    report = run_push(folder, endpoint, connect_timeout=connect_timeout, read_timeout=read_timeout, deadline=deadline, retries=retries)
    click.echo(str(report))


if __name__ == "__main__":
    main()
