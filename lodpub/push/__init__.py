"""Load a build into any SPARQL 1.1 Graph Store Protocol server (Virtuoso, Fuseki, GraphDB, …).

``push(dir, endpoint)`` reads ``DIR/lodpub.nq.gz`` and, for every named graph in it, replaces that
graph on the server (HTTP ``PUT endpoint?graph=IRI`` with N-Triples). Graphs that an earlier push
of the same publication put there and that are no longer in the build (withdrawn documents) are
deleted (``DELETE endpoint?graph=IRI``).

The list of graphs pushed — the *manifest* — is kept **on the server**, as a small named graph
(``<BASE graph/push-manifest>`` by default). The server is the one place that knows what is on the
server: a push from another machine, from a fresh checkout or from a rebuilt ``DIR`` (``lodpub
build`` writes a new folder) still sees what the previous push left, which a file in ``DIR``
would not. The manifest is widened to include every graph about to be written *before* any graph
is written, and narrowed to the build's graphs only after the withdrawn graphs are deleted, so a
push that dies half way never leaves a graph that a later push would not clean up.

Credentials come from the user part of the endpoint URL (``http://user:pw@host/…``), else from the
environment (``LODPUB_PUSH_USER``, ``LODPUB_PUSH_PASSWORD``), else from a netrc file (``~/.netrc``
or ``$NETRC``); the environment or netrc keep a password out of the process list and the shell's
history. Every URL lodpub prints has its password redacted. The scheme (digest or basic) is taken
from the server's 401 challenge unless given.

A request waits at most ``connect_timeout`` for a connection and ``read_timeout`` for the server's
next bytes, and the whole push ends at its ``deadline``: a server that accepts a connection and
never answers costs a bounded time, with a warning at each retry.

Requests that fail with a 5xx status or a connection error are retried with exponential backoff,
a bounded number of times. A graph larger than ``max_request_bytes`` is sent in chunks: ``PUT``
the first, ``POST`` (append) the rest; a 413 answer halves the chunk size and starts the graph
again. Triples that share a blank node are always sent in the same request.

``push_bulk(dir, "[HOST:]PORT", load_dir)`` leaves the same graphs and manifest on a Virtuoso of
this machine by its bulk loader instead (``lodpub.push.bulk``): the graphs written as files into a
folder the server may read, loaded by ``rdf_loader_run()`` through Virtuoso's isql client.
"""

from .bulk import BulkReport, push_bulk
from .http import check_endpoint, credentials_from_environment, redact
from .upload import PushReport, chunk_triples, push, read_dump

__all__ = ["push", "push_bulk", "PushReport", "BulkReport", "read_dump", "chunk_triples", "credentials_from_environment", "redact", "check_endpoint"]
