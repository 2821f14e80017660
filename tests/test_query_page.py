"""The query page of `lodpub serve`: YASGUI (installed by scripts/setup into node_modules/, served from
there, nothing fetched from elsewhere) with the example queries as tabs and a share link; the plain
page when YASGUI is not installed."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
import requests

from conftest import BASE
from headless import BROWSER, SKIP_REASON, browser
from lodpub.resources import YASGUI_FILES, example_queries, yasgui_folder
from lodpub.serve import make_app
from test_serve import running

EXAMPLES = example_queries()
INSTALLED = yasgui_folder()
needs_yasgui = pytest.mark.skipif(INSTALLED is None, reason="YASGUI not installed: scripts/setup installs it with npm (npm ci) into node_modules/")


def _embedded(page: str, element: str):
    start = page.index(f'id="{element}" type="application/json">') + len(f'id="{element}" type="application/json">')
    return json.loads(page[start : page.index("</script>", start)])


def _no_address_elsewhere(page: str) -> None:
    """Every script and style sheet comes from this server."""
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources


@pytest.fixture(scope="module")
def served(example_build):
    _, out = example_build
    with running(make_app(out, base=BASE, examples=EXAMPLES, workers=1)) as u:
        yield u


@needs_yasgui
def test_the_query_page_is_yasgui_when_installed(served):
    page = requests.get(served + "/", timeout=30).text
    assert '<script src="/static/yasgui/yasgui.min.js">' in page and '<div id="yasgui">' in page
    assert '<script src="/static/yasgui-page.js">' in page and "query.js" not in page
    _no_address_elsewhere(page)
    assert [(d["title"], d["query"]) for d in _embedded(page, "examples-data")] == EXAMPLES  # one tab each
    assert _embedded(page, "config-data")["prefixes"]["lp"] == "https://w3id.org/lodpub/ontology#"
    for name in YASGUI_FILES:  # served from where scripts/setup installed it
        r = requests.get(f"{served}/static/yasgui/{name}", timeout=30)
        assert r.status_code == 200 and r.content == (INSTALLED / name).read_bytes(), name
    assert requests.get(served + "/static/yasgui/yasgui.min.js", timeout=30).headers["Content-Type"].startswith("text/javascript")
    script = requests.get(served + "/static/yasgui-page.js", timeout=30).text
    assert 'window.location.origin + "/sparql"' in script and "addTab" in script
    for path in ("/static/yasgui/package.json", "/static/yasgui/..%2F..%2Fpackage.json", "/static/yasgui/yasgui.esm.js"):
        assert requests.get(served + path, timeout=30).status_code == 404, path


def test_the_plain_page_without_yasgui(example_build, monkeypatch, tmp_path):
    monkeypatch.setenv("LODPUB_YASGUI", str(tmp_path / "no-yasgui-here"))
    assert yasgui_folder() is None
    _, out = example_build
    with running(make_app(out, base=BASE, examples=EXAMPLES, workers=1)) as u:
        page = requests.get(u + "/", timeout=30).text
        assert '<script src="/static/query.js">' in page and "yasgui" not in page.lower()
        _no_address_elsewhere(page)
        assert [(d["title"], d["query"]) for d in _embedded(page, "examples-data")] == EXAMPLES
        assert requests.get(u + "/static/yasgui/yasgui.min.js", timeout=30).status_code == 404
        assert requests.get(u + "/static/query.js", timeout=30).status_code == 200


def test_lodpub_yasgui_names_a_folder(monkeypatch, tmp_path):
    for name in YASGUI_FILES:
        (tmp_path / name).write_text("/* */", encoding="utf-8")
    monkeypatch.setenv("LODPUB_YASGUI", str(tmp_path))
    assert yasgui_folder() == tmp_path


@needs_yasgui
@pytest.mark.skipif(BROWSER is None, reason=SKIP_REASON)
def test_a_share_link_opens_and_runs_its_query_in_a_browser(served, tmp_path):
    """In headless Chromium (which reaches nothing but this server), YASGUI draws a tab per example,
    and a share link (#query=…) opens its query in a tab of its own and shows the answer."""
    query = "SELECT ?amount WHERE { ?line <https://w3id.org/lodpub/ontology#amount> ?amount } ORDER BY DESC(?amount) LIMIT 3"
    link = f"{served}/#query={quote(query)}&tabTitle=shared"
    dom = browser("--dump-dom", "--window-size=1280,1000", "--virtual-time-budget=15000", link, user_data=tmp_path / "profile").stdout.decode()
    tabs = re.findall(r'<a[^>]*role="tab"[^>]*>.*?<span>([^<]*)</span>', dom, re.S) or re.findall(
        r'class="tab[^"]*"[^>]*>\s*<a[^>]*>\s*<span>([^<]*)</span>', dom
    )
    assert "shared" in tabs and len(tabs) == len(EXAMPLES) + 1, tabs
    assert re.search(r"3 results? in [\d.]+ seconds", re.sub(r"<[^>]+>", "", dom)), "no answer shown"
    assert "yasr_results" in dom or "dataTable" in dom
