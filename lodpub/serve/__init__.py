"""A read-only SPARQL 1.1 Protocol server over a built publication folder.

``make_app(store_dir, ...)`` returns a WSGI application; ``serve(store_dir, ...)`` runs it on
waitress (HTTP/1.1, persistent connections, pipelining) with a thread for every connection it
accepts, so that every waiting query reaches the fair pool (no web framework).

What the application serves:

* ``/sparql`` — SPARQL 1.1 Protocol queries (GET ``?query=``, POST form, POST
  ``application/sparql-query``), ``default-graph-uri`` / ``named-graph-uri`` honoured. Without
  them (and without FROM in the query) the default graph is the union of all named graphs.
  SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or
  RDF/XML, chosen by the ``Accept`` header (q-values honoured) or a ``format=`` parameter.
  Updates are refused with 403; other HTTP methods with 405. ``SERVICE`` (unless allowed), a
  query over the size limit or nested too deep get 400 (`guard`); an answer over the size limit 413.
* ``/`` — a small query page (``lodpub/static/``) with the example queries preloaded.
* ``/resource?uri=IRI`` and every other path ``/P`` (read as the IRI ``BASE + P``) — the
  description of one resource as Turtle, JSON-LD, N-Triples or an HTML page. A named graph's IRI
  (``BASE graph/{name}``) answers a VoID description of the graph (`graphs`): its triple count,
  the document it was read from, the dumps that hold it. JSON-LD, here and on ``/sparql``, is
  written as the dump is: compacted with the publication's context (``/context.jsonld``), inline.
* ``/index.html`` (the landing page), ``/lodpub.nq.gz`` and the other dumps, ``/catalog.ttl``,
  ``/budget-lines.csv`` … — the publication's files, by the names of `publish.manifest`, when
  present (`files`).

Query execution: pyoxigraph cannot cancel a running query, so queries run in a small pool of
worker *processes*, each holding the store open read-only. A query that exceeds the timeout has
its worker killed (and replaced) and the client gets 503. Each worker may allocate a set amount
beyond what it holds at rest (``RLIMIT_DATA``, `query_memory`): a query that needs more stops its
worker, which is replaced, and the client gets 503 with a message. A persistent pool costs well under a
millisecond per query; starting a fresh interpreter per query would cost ~50 ms. Clients take
turns for the workers (the client is the peer's address, or X-Forwarded-For's last address when
the peer is a proxy on this machine); queries that have run long may hold all but one worker,
and when slow queries hold them all an extra worker is started for the quick ones (`pool`).

Given a publication folder, the server serves a snapshot of it (hard links beside it) and switches
to a new snapshot whole when a build replaces the folder (`snapshot`).

Modules: `http` (responses, parameters, the body), `graphs` (the named graphs' descriptions), `files` (the publication's files), `snapshot` (a consistent view while it is rebuilt), `negotiation` (Accept headers and format names), `results` (the result serialisers),
`worker` (what a query process runs), `pool` (the processes and who gets them), `pages` (the HTML pages), `app`
(the WSGI application and its routes) and `server` (the HTTP/1.1 server, waitress, and its limits).
"""

from .app import DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_QUERY_BYTES, DEFAULT_MAX_RESULTS, DEFAULT_QUERY_MEMORY, DEFAULT_TIMEOUT, SparqlApp, make_app
from .negotiation import negotiate, parse_accept
from .pool import QueryPool, QueryTimeout, ServerBusy
from .results import serialize_boolean, serialize_solutions, serialize_triples
from .server import make_http_server, published_base, serve

__all__ = [
    "make_app",
    "make_http_server",
    "serve",
    "published_base",
    "negotiate",
    "parse_accept",
    "serialize_solutions",
    "serialize_boolean",
    "serialize_triples",
    "SparqlApp",
    "QueryPool",
    "QueryTimeout",
    "ServerBusy",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RESULTS",
    "DEFAULT_MAX_QUERY_BYTES",
    "DEFAULT_MAX_ANSWER_BYTES",
    "DEFAULT_QUERY_MEMORY",
]
