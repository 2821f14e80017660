"""The HTML pages of the server: a resource's description, and the query page (its template and
script are lodpub/static/)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urlencode

from ..namespaces import PREFIXES
from ..resources import YASGUI_FILES, static_bytes
from .results import XSD_STRING


def head(title: str, stylesheets: Sequence[str] = ("/static/style.css",)) -> str:
    """The head of every page of the server (lodpub/static/head.html): its title and stylesheets."""
    links = "".join(f'<link rel="stylesheet" href="{html.escape(href)}">\n' for href in stylesheets)
    return static_bytes("head.html").decode("utf-8").replace("{{TITLE}}", html.escape(title)).replace("{{STYLESHEETS}}", links)


def page(title: str, body: str) -> str:
    """A page of the server's own style (lodpub/static/style.css)."""
    return head(title) + f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"


def qname(iri: str) -> str:
    """An IRI as prefix:local where a published prefix fits."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def render_term(prim, labels: dict, href: Callable[[str], str]) -> str:
    """A term of a description as HTML, an IRI as a link to its own description."""
    kind = prim[0]
    if kind == "uri":
        iri = prim[1]
        label = labels.get(iri)
        text = html.escape(label) if label else html.escape(qname(iri))
        return f'<a href="{html.escape(href(iri))}" title="{html.escape(iri)}">{text}</a> <a class="ext" href="{html.escape(iri)}" title="the IRI itself">↗</a>'
    if kind == "bnode":
        return f"<span class='bnode'>_:{html.escape(prim[1])}</span>"
    if kind == "literal":
        value, dt, lang = prim[1], prim[2], prim[3]
        extra = f"@{lang}" if lang else ("" if dt == XSD_STRING else qname(dt))
        return f"<span class='lit'>{html.escape(value)}</span>" + (f" <small>{html.escape(extra)}</small>" if extra else "")
    return html.escape(prim[1])


def render_rows(rows, labels: dict, href: Callable[[str], str]) -> str:
    """A description's (property, value, nested rows) as a table, blank nodes nested."""
    out = ["<table class='props'>"]
    for p, o, children in rows:
        cell = render_term(o, labels, href)
        if children:
            cell += render_rows(children, labels, href)
        out.append(f"<tr><th>{render_term(p, labels, href)}</th><td>{cell}</td></tr>")
    out.append("</table>")
    return "".join(out)


def resource_page(iri: str, result: dict, href: Callable[[str], str]) -> str:
    """The HTML description of a resource (what the worker's `resource` job found)."""
    labels = result["labels"]
    title = labels.get(iri) or qname(iri)
    link = href(iri)
    sep = "&" if "?" in link else "?"
    fmts = " · ".join(
        f'<a href="{html.escape(link + sep + "format=" + f)}">{n}</a>' for f, n in (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))
    )
    parts = [f"<p class='iri'><code>{html.escape(iri)}</code></p>", f"<p class='formats'>Also as {fmts} · <a href='/'>query</a></p>"]
    if result["graphs"]:
        parts.append("<p class='graphs'>In graph " + ", ".join(render_term(("uri", g), labels, href) for g in result["graphs"]) + "</p>")
    parts.append(render_rows(result["outgoing"], labels, href))
    if result["incoming"]:
        parts.append("<h2>Referenced by</h2><table class='props'>")
        for s, p in result["incoming"]:
            parts.append(f"<tr><td>{render_term(s, labels, href)}</td><th>{render_term(p, labels, href)}</th></tr>")
        parts.append("</table>")
        if result["more_incoming"]:
            q = f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}"
            parts.append(f"<p>… and more: <a href='/?{html.escape(urlencode({'query': q}))}'>query them all</a></p>")
    return page(title, "".join(parts))


def query_page(title: str, examples: Sequence[tuple[str, str]], base: str, max_results: int, timeout: float, yasgui: bool = False) -> str:
    """The query page: the head and lodpub/static/yasgui.html (YASGUI, its examples as tabs) when YASGUI
    is installed, else the plain page lodpub/static/index.html; the example queries and the limits
    filled in."""
    stylesheets = ("/static/yasgui/yasgui.min.css", "/static/style.css") if yasgui else ("/static/style.css",)
    template = head(title, stylesheets) + static_bytes("yasgui.html" if yasgui else "index.html").decode("utf-8")
    items = "".join(
        f'<li><button type="button" class="example" data-index="{i}">{html.escape(t)}</button><pre class=\'example-query\' hidden>{html.escape(q)}</pre></li>'
        for i, (t, q) in enumerate(examples)
    )
    data = json.dumps([{"title": t, "query": q} for t, q in examples], ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")
    config = json.dumps({"base": base, "maxResults": max_results, "timeout": timeout, "prefixes": PREFIXES}).replace("</", "<\\/")
    body = (
        template.replace("{{TITLE}}", html.escape(title))
        .replace("{{LIMITS}}", html.escape(f"Answers are cut at {max_results:,} rows; a query stops after {timeout:g} s."))
        .replace("{{EXAMPLE_LIST}}", items)
        .replace("{{EXAMPLES_JSON}}", data)
        .replace("{{CONFIG_JSON}}", config)
    )
    return body


STATIC_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "html": "text/html; charset=utf-8"}


def static_file(name: str, yasgui: Path | None) -> tuple[bytes, str] | None:
    """A file under /static/: lodpub/static/NAME, or yasgui/NAME from YASGUI's build; its bytes and
    media type, None when there is no such file."""
    folder = None
    if name.startswith("yasgui/") and yasgui is not None:
        folder, name = yasgui, name[len("yasgui/") :]
        if name not in YASGUI_FILES:
            return None
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
        return None
    try:
        data = (folder / name).read_bytes() if folder else static_bytes(name)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return data, STATIC_TYPES.get(name.rsplit(".", 1)[-1], "text/plain; charset=utf-8")
