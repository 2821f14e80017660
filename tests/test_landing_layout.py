"""What a reader of the landing page sees: a phone's width without sideways scrolling, labels that fit,
units named, documents told apart, and a warning while the base is a placeholder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE
from headless import BROWSER, SKIP_REASON, measure
from lodpub.publish.landing import write_landing_page


@pytest.fixture(scope="module")
def publication(example_build, tmp_path_factory) -> Path:
    """A copy of the example's publication (base: the placeholder of the tests)."""
    _, out = example_build
    folder = tmp_path_factory.mktemp("layout") / "pub"
    shutil.copytree(out, folder, ignore=shutil.ignore_patterns("store"))
    return folder


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(BROWSER is None, reason=SKIP_REASON)
@pytest.mark.parametrize("width", [420, 1280])
def test_nothing_overflows_the_page_sideways(publication, width, tmp_path):
    """At a phone's width and a desktop's the page is no wider than the window: the charts scale and
    the tables scroll inside their own boxes."""
    measured = measure(publication / "index.html", width, 900, tmp_path / "profile")
    assert measured["clientWidth"] == width
    assert measured["scrollWidth"] <= width, measured


@pytest.mark.skipif(BROWSER is None, reason=SKIP_REASON)
def test_the_measure_sees_an_overflow(tmp_path):
    """The measure itself: a page with a box wider than the window is reported wider."""
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><html><body><div style="width: 700px">wide</div></body></html>', encoding="utf-8")
    assert measure(page, 420, 600, tmp_path / "profile")["scrollWidth"] > 420


def test_stacked_bar_labels_are_never_cut_off():
    """A part too narrow for its text shows its share only if that fits, and every part's name,
    amount and share is written under the bar, inside the drawing."""
    from decimal import Decimal

    from lodpub.publish.charts import _text_width, stacked_bar

    rows = [("2024 年预算", [("基本支出", Decimal("27541000")), ("项目支出", Decimal("300000"))])]
    for width, narrow in ((1000, False), (480, True)):
        svg = stacked_bar(rows, "t", ["#1e40af", "#f59e0b"], width=width, narrow=narrow)
        bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="30"', svg)
        inside = re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="14" fill="#fff">([^<]+)</text>', svg)
        for x, text in inside:  # a share written in a bar fits in that bar
            bar = next((float(bx), float(bw)) for bx, bw in bars if float(bx) <= float(x) - 1 < float(bx) + float(bw))
            assert float(x) + _text_width(text, 14) <= bar[0] + bar[1], text
        assert len(inside) == 1  # the small part is too narrow for its share
        captions = re.findall(r'<text class="part" x="([\d.]+)"[^>]*>([^<]+)</text>', svg)
        assert [c[1] for c in captions] == ["基本支出 2,754.10 万元 · 98.9%", "项目支出 30.00 万元 · 1.1%"]
        for x, text in captions:  # inside the drawing's width
            assert float(x) + _text_width(text, 14) <= width, text


def test_a_unit_printed_with_a_code_that_is_no_code_is_charted_by_its_name(tmp_path):
    from lodpub.build import build
    from lodpub.publish.charts import ChartTotals, charts_html

    text = EXAMPLE.read_text(encoding="utf-8").replace("\n001006\t", "\n00100X\t", 1)
    assert "00100X" in text
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    build([str(tmp_path / "doc.txt")], tmp_path / "out", issued="2024-03-01", jobs=1)
    html = charts_html(ChartTotals.from_csv(tmp_path / "out" / "budget-lines.csv"))
    figure = html[html.index('data-chart="unit"') :]
    figure = figure[: figure.index("</figure>")]
    labels = set(re.findall(r'data-category="([^"]+)"', figure))
    assert "漯河市人民政府驻郑州联络中心" in labels  # the name as printed, its line break joined
    assert "001005 漯河市人民政府驻北京联络处" in labels
    assert not any(re.fullmatch(r"[0-9A-Z]+( [0-9A-Z]+)?", label) for label in labels)  # never a code alone
    assert "364.10 万元" in figure


def test_documents_of_one_title_are_told_apart(publication, tmp_path):
    """Two documents printing the same title: the validation table and the list of documents name
    each by its file name and docid too."""
    for name in ("catalog.ttl", "budget-lines.csv", "validation-report.ttl"):
        shutil.copy(publication / name, tmp_path / name)
    summary = _summary(publication)
    first = summary["documents"][0]
    second = dict(first, docid="0123456789abcdef", location="inputs/putuo-2025-b.pdf")
    first = dict(first, location="inputs/putuo-2025-a.pdf")
    summary["documents"] = [dict(d, title="上海市普陀区2025年区级部门预算") for d in (first, second)]
    write_landing_page(tmp_path, summary, tmp_path / "catalog.ttl")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    validation = html[html.index('<section id="validation">') : html.index('<section id="query">')]
    rows = re.findall(r'<tr class="validation"[^>]*><td>(.*?)</td>', validation)
    assert len(rows) == 2 and len(set(rows)) == 2
    assert any("putuo-2025-a.pdf" in r and first["docid"] in r for r in rows)
    assert any("putuo-2025-b.pdf" in r and "0123456789abcdef" in r for r in rows)
    documents = html[html.index('<section id="documents">') : html.index('<section id="downloads">')]
    assert "putuo-2025-a.pdf" in documents and "putuo-2025-b.pdf" in documents


def test_a_placeholder_base_is_warned_of(publication, tmp_path):
    from lodpub.uris import DEFAULT_BASE

    for name in ("catalog.ttl", "budget-lines.csv", "validation-report.ttl"):
        shutil.copy(publication / name, tmp_path / name)
    summary = _summary(publication)
    for base, warned in ((DEFAULT_BASE, True), ("https://data.budget.example.gov.cn/lodpub/", False), ("https://lodpub.test/", True)):
        write_landing_page(tmp_path, dict(summary, base=base), tmp_path / "catalog.ttl")
        html = (tmp_path / "index.html").read_text(encoding="utf-8")
        assert ('id="placeholder-base"' in html) is warned, base
        if warned:
            assert f"<code>{base}</code> 是占位地址" in html


def test_lodpub_build_warns_of_a_placeholder_base(tmp_path):
    from click.testing import CliRunner

    from lodpub.cli import main

    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(tmp_path / "a"), "--issued", "2024-03-01", "-j", "1"])
    assert run.exit_code == 0, run.output
    warnings = [line for line in run.output.splitlines() if "placeholder" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: the base https://data.example.org/lodpub/ is a placeholder")
    run = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "--out", str(tmp_path / "b"), "--issued", "2024-03-01", "-j", "1", "--base", "https://budget.gov.cn/lod/"]
    )
    assert run.exit_code == 0, run.output
    assert "placeholder" not in run.output
