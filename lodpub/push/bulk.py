"""The bulk-load push: a build loaded into a Virtuoso on this machine by Virtuoso's own bulk loader,
driven through its ``isql`` client (``isql-vt`` of the Debian package), with the same result on the
server as the Graph Store Protocol push (:func:`lodpub.push.push`).

The steps, in the order that keeps a push that dies half way cleanable by the next one (as
``upload.push``):

1. read the server's ``DirsAllowed``: the load folder must be one of them (or under one), since
   the server reads the files itself;
2. write each named graph of the dump as a gzipped N-Quads file (its lines as they stand in the
   dump) into a fresh subfolder of the load folder (streamed: the dump is never held in memory);
3. read the push manifest graph and widen it to the graphs about to be written;
4. clear each graph of the build (``DELETE FROM DB.DBA.RDF_QUAD``), register its file with
   ``ld_add(file, graph)``, run ``rdf_loader_run()`` (``loaders`` sessions at once; it loads every
   file waiting in the server's load list, this push's and any other's), ``checkpoint``, and read
   ``DB.DBA.LOAD_LIST``: a file the loader could not load fails the push with the file's name, its
   graph and Virtuoso's message (the files are kept for a look);
5. delete the withdrawn graphs, narrow the manifest to the build's graphs, ``checkpoint``, and take
   the subfolder and its rows of the load list away.

Between step 4's clearing and loading a graph is empty or partly loaded on the server (a GSP push
replaces each graph in one request): push when readers can bear it, or to a server not yet serving.

isql takes the password on its command line, where the machine's other users may see it in the
process list while a call runs (no other way is offered by ``isql-vt``); lodpub never prints it.
Virtuoso bars an address for a while after four failed logins in a row.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lodpub import uris
from lodpub.errors import LodpubError

from .http import DEADLINE, credentials_from_environment
from .split import split_dump
from .upload import MANIFEST_PUSHED, PushReport, _manifest_lines, dump_of

log = logging.getLogger("lodpub.push")

ISQL_NAMES = ("isql-vt", "isql-v")
MARK = "@@lodpub@@"  # values read back from isql's output are written between these


@dataclass
class BulkReport(PushReport):
    """What a bulk-load push did (``requests``: isql sessions; ``bytes_sent``: bytes of the files written)."""

    loaders: int = 1
    phases: dict[str, float] = field(default_factory=dict)  # seconds: "files" (the dump split), "load" (clear, load, checkpoint)

    def __str__(self) -> str:
        rate = self.triples / self.seconds if self.seconds else 0.0
        return (
            f"loaded {len(self.graphs)} graph(s), {self.triples} triples, into Virtuoso at {self.endpoint} by its bulk loader "
            f"({self.loaders} loader(s)); deleted {len(self.deleted)} withdrawn graph(s); {self.requests} isql sessions, "
            f"{self.bytes_sent} bytes of files, {self.seconds:.1f} s ({rate:,.0f} triples/s)"
        )


def find_isql() -> str:
    """The path of Virtuoso's isql client (``$LODPUB_ISQL``, else ``isql-vt`` or ``isql-v`` on PATH)."""
    given = os.environ.get("LODPUB_ISQL")
    found = shutil.which(given) if given else next(filter(None, map(shutil.which, ISQL_NAMES)), None)
    if not found:
        raise LodpubError(
            f"Virtuoso's isql client ({given or ' or '.join(ISQL_NAMES)}) is not on PATH: install Virtuoso's client "
            "(Debian: the virtuoso-opensource package) or name it in $LODPUB_ISQL, or push by the Graph Store Protocol (--endpoint)"
        )
    return found


def split_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``PORT`` (on 127.0.0.1) as ``(host, port)``; a one-line error otherwise."""
    host, _, port = str(address).rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536 or any(c.isspace() or c in "/@" for c in host):
        raise LodpubError(f"{address}: not a Virtuoso SQL address ([HOST:]PORT, e.g. 1111 or 127.0.0.1:1111)")
    return host, int(port)


def sql_string(text: str) -> str:
    """A SQL string literal (quotes doubled; control characters refused, as no IRI holds them)."""
    if any(ord(c) < 32 for c in text):
        raise LodpubError(f"{text!r}: a control character in a name given to Virtuoso")
    return "'" + text.replace("'", "''") + "'"


class Isql:
    """Sessions of Virtuoso's isql client, each a script on its standard input."""

    def __init__(self, host: str, port: int, credentials: tuple[str, str], report: BulkReport, deadline: float | None):
        self.binary = find_isql()
        self.address = f"{host}:{port}"
        self.user, self.password = credentials
        self.report = report
        self.deadline = deadline

    def _args(self) -> list[str]:
        options = ["VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "MACRO_SUBSTITUTION=OFF"]
        return [self.binary, self.address, self.user, self.password, *options]

    def _timeout(self) -> float | None:
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise LodpubError(f"Virtuoso at {self.address}: the push ran past its deadline (--deadline)")
        return left

    def start(self, script: str) -> subprocess.Popen:
        """isql running ``script`` from a file; its standard input empty and no terminal, so that a
        refused password is one failed login (isql would read the next lines as passwords)."""
        self.report.requests += 1
        fd, name = tempfile.mkstemp(prefix="lodpub-push-", suffix=".sql")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(script)
        try:
            proc = subprocess.Popen(
                [*self._args(), name],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as e:
            os.unlink(name)
            raise LodpubError(f"{self.binary}: cannot run Virtuoso's isql client: {e.strerror}") from None
        proc.script_file = name  # type: ignore[attr-defined]
        return proc

    def finish(self, proc: subprocess.Popen, what: str) -> str:
        try:
            out, err = proc.communicate(timeout=self._timeout())
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise LodpubError(f"Virtuoso at {self.address}: {what} ran past the push's deadline (--deadline)") from None
        finally:
            os.unlink(proc.script_file)  # type: ignore[attr-defined]
        out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        error = next((line for line in (err + out).splitlines() if "*** Error" in line), None)
        if error or proc.returncode:
            text = error or (err.strip() or f"isql exited with {proc.returncode}")
            text = text.replace(self.password, "***") if self.password else text
            if "Bad login" in text or "28000" in text:
                raise LodpubError(f"authentication failed for Virtuoso at {self.address} as {self.user}: {text.strip()}")
            raise LodpubError(f"Virtuoso at {self.address}: {what} failed: {text.strip()}")
        return out

    def run(self, script: str, what: str) -> str:
        return self.finish(self.start(script), what)

    def values(self, select: str, what: str) -> list[str]:
        """The values a SELECT yields, each written between MARKs by the query itself."""
        return re.findall(re.escape(MARK) + "(.*?)" + re.escape(MARK), self.run(select, what), flags=re.S)


def wrap(*exprs: str) -> str:
    """SQL concatenating each expression between MARKs, for :meth:`Isql.values`."""
    return " || ".join(f"'{MARK}' || {e} || '{MARK}'" for e in exprs)


def dirs_allowed(isql: Isql) -> list[Path]:
    """The folders the server may read and write files in (DirsAllowed, relative ones from its root)."""
    got = isql.values(
        "select " + wrap("server_root()", "coalesce(cfg_item_value(virtuoso_ini_path(), 'Parameters', 'DirsAllowed'), '')") + ";",
        "reading DirsAllowed",
    )
    if len(got) < 2:
        return []
    root = Path(got[0])
    return [Path(os.path.normpath(root / d.strip())) for d in got[1].split(",") if d.strip()]


def check_readable(isql: Isql, folder: Path) -> None:
    allowed = dirs_allowed(isql)
    if not any(folder == d or d in folder.parents for d in allowed):
        listed = ", ".join(map(str, allowed)) or "none"
        raise LodpubError(
            f"{folder}: Virtuoso at {isql.address} may not read this folder; add it to DirsAllowed in [Parameters] of its "
            f"virtuoso.ini (and restart it), or give --load-dir a folder listed there (now: {listed})"
        )


def read_manifest(isql: Isql, manifest: str) -> set[str]:
    iri = f"<{manifest}>"
    query = f'SPARQL SELECT (CONCAT("{MARK}", STR(?g), "{MARK}")) WHERE {{ GRAPH {iri} {{ {iri} {MANIFEST_PUSHED} ?g }} }};'
    return set(isql.values(query, f"reading the push manifest {iri}"))


def write_manifest(isql: Isql, folder: Path, manifest: str, graphs, name: str) -> None:
    path = folder / name
    path.write_text("".join(_manifest_lines(manifest, graphs)), encoding="utf-8")
    isql.run(
        f"log_enable(3, 1);\nDELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id({sql_string(manifest)});\n"
        f"DB.DBA.TTLP(file_to_string_output({sql_string(str(path))}), '', {sql_string(manifest)}, 0);\n",
        f"writing the push manifest <{manifest}>",
    )


def clear_sql(graphs) -> str:
    return "".join(f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id({sql_string(g)});\n" for g in sorted(graphs))


def load_errors(isql: Isql, folder: Path) -> list[tuple[str, str]]:
    """(file, message) of every file of this push the loader did not load cleanly."""
    prefix = str(folder) + "/"
    rows = isql.values(
        "select "
        + wrap("ll_file", "coalesce(ll_error, 'not loaded (state ' || cast(ll_state as varchar) || ')')")
        + f" from DB.DBA.LOAD_LIST where ll_file >= {sql_string(prefix)} and ll_file < {sql_string(str(folder) + '0')}"
        " and (ll_state <> 2 or ll_error is not null);",
        "reading the load list",
    )
    return [(rows[i], rows[i + 1].strip()) for i in range(0, len(rows) - 1, 2)]


def push_bulk(
    dir,
    address: str,
    load_dir,
    *,
    auth: tuple[str, str] | None = None,
    manifest_graph: str | None = None,
    base: str | None = None,
    loaders: int = 1,
    deadline: float | None = DEADLINE,
    keep_files: bool = False,
) -> BulkReport:
    """Replace every named graph of the build in ``DIR`` in the Virtuoso whose SQL port is
    ``address`` (``[HOST:]PORT``), by Virtuoso's bulk loader, which reads the graphs' files from
    ``load_dir``: a folder on the server's machine that its ``DirsAllowed`` lists.

    Leaves the server as :func:`lodpub.push.push` does: each graph of the build replaced whole,
    the graphs an earlier push left and the build no longer holds deleted, the push manifest
    listing the build's graphs (the same graph, so the two kinds of push can follow each other).
    ``auth``: ``(user, password)``; by default from ``LODPUB_PUSH_USER`` / ``LODPUB_PUSH_PASSWORD``,
    else the netrc entry of the host. ``loaders``: ``rdf_loader_run()`` sessions run at once (up to
    the server's cores). ``deadline``: seconds the whole push may take (``None``: no limit).
    ``keep_files``: leave the files written in ``load_dir`` (they are removed after a push that
    succeeded, kept after one that failed).

    Returns a :class:`BulkReport`; raises :class:`lodpub.errors.LodpubError` with a readable message
    on any failure (a file the loader refused is named, with its graph and Virtuoso's message).
    """
    t0 = time.monotonic()
    host, port = split_address(address)
    if loaders < 1:
        raise LodpubError(f"loaders must be at least 1, not {loaders}")
    if deadline is not None and not deadline > 0:
        raise LodpubError(f"the deadline must be a positive number of seconds, not {deadline}")
    dump = dump_of(dir)
    load_dir = Path(os.path.abspath(load_dir))
    if not load_dir.is_dir():
        raise LodpubError(f"{load_dir}: no such folder (--load-dir: a folder the Virtuoso server may read, listed in its DirsAllowed)")
    credentials = auth or credentials_from_environment(f"http://{host}:{port}/")
    if not credentials:
        raise LodpubError(f"Virtuoso at {host}:{port} wants a user and password: set LODPUB_PUSH_USER and LODPUB_PUSH_PASSWORD or add a netrc entry for {host}")
    report = BulkReport(endpoint=f"{host}:{port}", manifest_graph="", loaders=loaders)
    isql = Isql(host, port, tuple(credentials), report, None if deadline is None else t0 + deadline)

    check_readable(isql, load_dir)
    folder = Path(tempfile.mkdtemp(prefix=f"lodpub-push-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-", dir=load_dir))
    folder.chmod(0o755)  # the server may run as another user (the data is published anyway)
    t1 = time.monotonic()
    try:
        files, report.skipped_default_graph, report.bytes_sent = split_dump(dump, folder)
    except BaseException:  # nothing reached the server: take the files away
        shutil.rmtree(folder, ignore_errors=True)
        raise
    report.phases["files"] = time.monotonic() - t1
    if report.skipped_default_graph:
        log.warning("%s: %d quads in the default graph are not pushed", dump, report.skipped_default_graph)
    if manifest_graph is None:
        base = base or uris.infer_base(files)
        manifest_graph = uris.graph(base, "push-manifest") if base else "urn:lodpub:push-manifest"
    report.manifest_graph = manifest_graph
    if manifest_graph in files:
        files.pop(manifest_graph)[0].unlink()
    previous = read_manifest(isql, manifest_graph)
    current = set(files)
    # 1. record every graph about to be written, so a failed push can still be cleaned up
    if not current <= previous:
        write_manifest(isql, folder, manifest_graph, previous | current, "manifest-widened.nt")
    # 2. clear each graph and load its file
    t1 = time.monotonic()
    register = "".join(f"ld_add({sql_string(str(p))}, {sql_string(g)});\n" for g, (p, _) in sorted(files.items()))
    isql.run("log_enable(3, 1);\n" + clear_sql(current) + register, "clearing the graphs and registering their files")
    sessions = [isql.start("rdf_loader_run();\n") for _ in range(loaders)]
    for proc in sessions:
        isql.finish(proc, "the bulk loader (rdf_loader_run)")
    isql.run("checkpoint;\n", "the checkpoint after loading")
    report.phases["load"] = time.monotonic() - t1
    failed = load_errors(isql, folder)
    if failed:
        graph_of = {str(p): g for g, (p, _) in files.items()}
        shown = "; ".join(f"{f} (graph <{graph_of.get(f, '?')}>): {msg}" for f, msg in failed[:5])
        more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        raise LodpubError(f"Virtuoso at {isql.address} could not load {len(failed)} file(s): {shown}{more} (the files are kept in {folder})")
    report.graphs = {g: n for g, (_, n) in sorted(files.items())}
    # 3. delete withdrawn graphs
    withdrawn = sorted(previous - current)
    if withdrawn:
        isql.run("log_enable(3, 1);\n" + clear_sql(withdrawn), "deleting the withdrawn graphs")
        report.deleted = withdrawn
        for graph in withdrawn:
            log.info("deleted withdrawn graph %s", graph)
    # 4. the manifest now lists exactly the build's graphs
    write_manifest(isql, folder, manifest_graph, current, "manifest.nt")
    prefix = str(folder)
    isql.run(
        f"checkpoint;\nDELETE FROM DB.DBA.LOAD_LIST WHERE ll_file >= {sql_string(prefix + '/')} AND ll_file < {sql_string(prefix + '0')};\n",
        "the final checkpoint",
    )
    if not keep_files:
        shutil.rmtree(folder, ignore_errors=True)
    report.seconds = time.monotonic() - t0
    return report
