"""The dump split for the bulk loader: each named graph of a build's N-Quads dump written as one
gzipped N-Quads file, its lines as they stand in the dump (the graph read from a line's end, not
parsed), so that Virtuoso's loader reads each graph whole (its blank nodes in one file) and a file
it refuses names one graph."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from lodpub.errors import LodpubError

HELD_BYTES = 64 << 20  # lines held in memory before they are written to their graphs' files


def graph_of(line: bytes) -> bytes | None:
    """The graph term (``b"<IRI>"``; ``b""`` for the default graph) of an N-Quads line as lodpub's
    dump writes them (one quad a line, terms one space apart), read without parsing the line; ``None``
    for a line this quick reading does not take (the caller parses it)."""
    body = line.rstrip()
    if not body.endswith(b" ."):
        return None
    parts = body[:-2].split(b" ", 2)
    if len(parts) < 3:
        return None
    rest = parts[2]
    if rest.startswith(b'"'):  # a literal: the graph, if any, follows its last quote and suffix
        end = rest.rfind(b'"')
        if end == 0:
            return None
        tail = rest[end + 1 :]
        tokens = tail.split(b" ")
        if tokens[0]:  # ^^<datatype> or @lang
            if not tokens[0].startswith((b"^^<", b"@")):
                return None
        tokens = tokens[1:]
    elif rest.startswith((b"<", b"_:")):
        tokens = rest.split(b" ")[1:]
    else:
        return None
    if not tokens:
        return b""
    if len(tokens) == 1 and tokens[0].startswith(b"<") and tokens[0].endswith(b">"):
        return tokens[0]
    return None


def parsed_graph(line: bytes, dump: Path, number: int) -> bytes | None:
    """The graph term of a line :func:`graph_of` did not take, by parsing it (``None``: no quad on it)."""
    import pyoxigraph as ox

    try:
        quads = list(ox.parse(line, format=ox.RdfFormat.N_QUADS))
    except SyntaxError as e:
        raise LodpubError(f"{dump}: line {number} is not valid N-Quads: {e}") from None
    if not quads:
        return None
    g = quads[0].graph_name
    if isinstance(g, ox.NamedNode):
        return f"<{g.value}>".encode("utf-8")
    if isinstance(g, ox.DefaultGraph):
        return b""
    raise LodpubError(f"{dump}: line {number}: a graph named by a blank node cannot be pushed")


def split_dump(dump: Path, folder: Path) -> tuple[dict[str, tuple[Path, int]], int, int]:
    """Each named graph of the dump as ``folder/gNNNNNN.nq.gz``, its lines as they stand in the
    dump: ``{graph: (file, triples)}``, the quads of the default graph (not written) and the bytes
    written. The dump is streamed, at most HELD_BYTES of lines held; each write appends a gzip
    member to the graph's file."""
    files: dict[bytes, list] = {}  # graph term -> [file, triples]
    held: dict[bytes, list[bytes]] = {}
    size = default = 0

    def write_held() -> None:
        for graph, lines in held.items():
            with gzip.open(files[graph][0], "ab", compresslevel=1) as out:
                out.write(b"".join(lines))
            files[graph][1] += len(lines)
        held.clear()

    opener = gzip.open if dump.suffix == ".gz" else open
    try:
        with opener(dump, "rb") as f:
            for number, line in enumerate(f, 1):
                graph = graph_of(line)
                if graph is None:
                    graph = parsed_graph(line, dump, number)
                    if graph is None:
                        continue
                if not graph:
                    default += 1
                    continue
                lines = held.get(graph)
                if lines is None:
                    lines = held[graph] = []
                    if graph not in files:
                        files[graph] = [folder / f"g{len(files) + 1:06d}.nq.gz", 0]
                lines.append(line if line.endswith(b"\n") else line + b"\n")
                size += len(line)
                if size > HELD_BYTES:
                    write_held()
                    size = 0
            write_held()
    except (OSError, EOFError, zlib.error) as e:
        raise LodpubError(f"{dump}: cannot read the dump or write {folder}: {e}") from e
    out = {g[1:-1].decode("utf-8"): (path, n) for g, (path, n) in files.items()}
    return out, default, sum(p.stat().st_size for p, _ in out.values())
