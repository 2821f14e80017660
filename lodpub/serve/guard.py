"""What the endpoint checks in a query's text before a worker runs it: no ``SERVICE`` (a federated
query makes the *server* fetch a URL: server-side request forgery) unless the operator allowed
that endpoint; no nesting deeper than ``max_depth`` brackets (pyoxigraph's parser recurses, and
a query nested a few thousand deep overflows its stack and kills the worker).

The check is a small SPARQL tokenizer, not a regular expression over the text: it skips strings
(short and long, with escapes), IRIs and comments, so ``"SERVICE"`` in a literal or ``ex:service``
passes while ``service``, ``SeRvIcE`` or ``SERVICE SILENT`` after a comment and line breaks are
caught. It errs on the refusing side: a ``SERVICE`` whose target is a variable, or anything but
an IRI or a declared prefixed name, is refused even when endpoints are allowed.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import urljoin

from ..errors import LodpubError


MAX_DEPTH = 128  # brackets ({ ( [) inside each other; real queries stay under 20


class QueryRefused(LodpubError):
    """The query is refused before it runs (answered 400 with the message)."""


_TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
                  |'(?:[^'\\\r\n]|\\.)*'?|"(?:[^"\\\r\n]|\\.)*"?)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*(?:\\[uU][0-9A-Fa-f]+[^<>"{}|^`\\\x00-\x20]*)*>)
      | (?P<var>[?$][\w\u00b7]+)
      | (?P<name>[\w:](?:[\w:.\-%\u00b7]|\\[^\s])*)  # `\#` `\'` escapes belong to a local name
      | (?P<space>\s+)
      | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    def one(m):
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _UCHAR.sub(one, text)


def tokens(query: str):
    """Yield ``(kind, text)`` for every token but spaces and comments."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        text = m.group(kind)
        if kind == "name":
            text = text.rstrip(".")
        yield kind, text


def check_query(query: str, *, allow_service: Iterable[str] = (), max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`QueryRefused` when ``query`` would make the server fetch a URL (``SERVICE``)
    other than one of ``allow_service`` (exact IRIs), or nests brackets deeper than ``max_depth``."""
    allowed = set(allow_service)
    prefixes: dict[str, str] = {}
    base = ""
    toks = list(tokens(query))
    depth = 0
    for kind, text in toks:
        if kind == "punct":
            if text in "{([":
                depth += 1
                if depth > max_depth:
                    raise QueryRefused(f"query nested too deep: over {max_depth} brackets inside each other")
            elif text in "})]":
                depth -= 1
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        word = text.upper() if kind == "name" and ":" not in text else None
        if kind == "name" and _hides_service(text):
            # pyoxigraph reads `1SERVICE`, `trueSERVICE`, `1.5.SERVICE` as a literal followed by the
            # keyword: any bare word holding SERVICE counts, with what follows it in the word
            rest = text.upper().split("SERVICE", 1)[1].lstrip(".")
            if rest not in ("", "SILENT"):
                _refuse(None, allowed)
            word = "SERVICE" if rest == "" else "SERVICE SILENT"
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "name" and toks[i + 1][1].endswith(":") and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1][:-1]] = urljoin(base, _unescape(toks[i + 2][1][1:-1]))
            i += 3
            continue
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, _unescape(toks[i + 1][1][1:-1]))
            i += 2
            continue
        if word in ("SERVICE", "SERVICE SILENT"):
            j = i + 1
            if word == "SERVICE" and j < len(toks) and toks[j][0] == "name" and toks[j][1].upper() == "SILENT":
                j += 1
            target = None
            if j < len(toks):
                tkind, ttext = toks[j]
                if tkind == "iri":
                    target = urljoin(base, _unescape(ttext[1:-1]))
                elif tkind == "name" and ":" in ttext:
                    prefix, local = ttext.split(":", 1)
                    if prefix in prefixes and "\\" not in local and "%" not in local:
                        target = prefixes[prefix] + local
            if target is None or target not in allowed:
                _refuse(target, allowed)
            i = j + 1
            continue
        i += 1


_PN_PREFIX = re.compile(r"[^\W\d_][\w.\-\u00b7]*")


def _hides_service(name: str) -> bool:
    """Whether a name token holds the SERVICE keyword: anywhere in a bare word, before the colon
    of something that is not a prefixed name (a prefix starts with a letter), or after the colon
    when the local part cannot start there (`ex:.SERVICE` is `ex:` `.` `SERVICE`)."""
    head, colon, local = name.partition(":")
    if colon and (head == "" or _PN_PREFIX.fullmatch(head)):
        return bool(local) and not re.match(r"[\w:%\\]", local) and "SERVICE" in local.upper()
    return "SERVICE" in head.upper()


def _refuse(target, allowed) -> None:
    shown = f"<{target}>" if target is not None else "a target that is not a fixed IRI"
    if allowed:
        raise QueryRefused(f"SERVICE {shown} is not allowed: this endpoint allows SERVICE only to " + ", ".join(f"<{a}>" for a in sorted(allowed)))
    raise QueryRefused(f"SERVICE {shown} is not allowed: this endpoint does not make requests to other servers (federated queries are off)")
