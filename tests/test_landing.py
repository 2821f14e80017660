"""The landing page, rendered in a real headless browser: content in the DOM, a screenshot that is not blank."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BASE, EXAMPLE
from headless import BROWSER, browser
from lodpub.publish.landing import write_landing_page

needs_browser = pytest.mark.skipif(BROWSER is None, reason="no headless browser: apt-get install -y chromium")
WIDTH, HEIGHT = 1280, 2000


def publish_page(out: Path, folder: Path) -> Path:
    """A copy of a publication with the landing page written into it again."""
    shutil.copytree(out, folder)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    write_landing_page(folder, summary, folder / "catalog.ttl")
    return folder / "index.html"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def text_of(dom: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


@pytest.fixture(scope="module")
def page(example_build, tmp_path_factory):
    _, out = example_build
    return publish_page(out, tmp_path_factory.mktemp("landing") / "pub")


@pytest.fixture(scope="module")
def dom(page, tmp_path_factory):
    if BROWSER is None:
        pytest.skip("no headless browser: apt-get install -y chromium")
    result = browser("--dump-dom", page.as_uri(), user_data=tmp_path_factory.mktemp("browser-profile"))
    return result.stdout.decode("utf-8")


@needs_browser
def test_dom_has_the_figures_by_function_class(dom):
    text = text_of(dom)
    figure = dom[dom.index('data-chart="function"') :]
    figure = figure[: figure.index("</figure>")]
    groups = {m.group(1): text_of(m.group(2)) for m in re.finditer(r'<g class="bars" data-category="([^"]+)">(.*?)</g>', figure, re.S)}
    assert groups.keys() == {"一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"}
    for name, amount in [("一般公共服务支出", "3,385.51"), ("社会保障和就业支出", "512.35"), ("卫生健康支出", "128.70"), ("住房保障支出", "186.43")]:
        assert name in groups[name] and f"{amount} 万元" in groups[name], name
    assert "2024 年预算 合计 4,212.99 万元" in text
    assert dom.count('data-chart="function"') == 1


@needs_browser
def test_dom_has_units_and_basic_versus_project(dom):
    text = text_of(dom)
    assert "001005 漯河市人民政府驻北京联络处" in text
    assert "基本支出 2,754.10 万元" in text and "项目支出 1,458.89 万元" in text
    assert 'data-chart="unit"' in dom and 'data-chart="kind"' in dom


@needs_browser
def test_dom_has_the_documents_and_their_checksums(dom, example_records):
    text = text_of(dom)
    assert example_records.title in text
    assert example_records.sha256 in text
    assert "漯河市人民政府办公室" in text


@needs_browser
def test_dom_has_every_download_of_the_catalogue(dom, page):
    import pyoxigraph as ox

    from lodpub.publish.manifest import FORMATS

    parser = Links()
    parser.feed(dom)
    hrefs = {a.get("href") for a in parser.links if "download" in (a.get("class") or "")}
    catalogue = ox.Store()
    catalogue.load((page.parent / "catalog.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    answer = catalogue.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sha WHERE { ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sha }""")
    distributions = [(u.value, s.value, h.value) for u, s, h in answer]
    assert len(distributions) == len(FORMATS)  # every data file
    for url, size, sha in distributions:
        name = url.rsplit("/", 1)[-1]
        assert name in hrefs
        assert (page.parent / name).stat().st_size == int(size)
        assert f'data-bytes="{size}"' in dom and sha in dom
    assert {"budget-lines.csv", "datapackage.json", "catalog.ttl"} <= hrefs
    for href in hrefs:  # every link to a file of the publication resolves
        assert (page.parent / href).is_file(), href


@needs_browser
def test_dom_has_the_validation_counts_and_top_findings(dom, example_build):
    from collections import Counter

    result, _ = example_build
    violations = sum(1 for f in result.validation.findings if f.severity == "Violation")
    warnings = sum(1 for f in result.validation.findings if f.severity == "Warning")
    text = text_of(dom)
    assert f"{violations} 违规 violations" in text and f"{warnings} 警告 warnings" in text
    assert re.search(rf'class="[^"]*violations">{violations} 违规<', dom)
    assert re.search(rf'class="[^"]*warnings">{warnings} 警告<', dom)
    if result.validation.findings:  # the most frequent kind of the worst severity is listed first, with its count
        worst = min(result.validation.findings, key=lambda f: {"Violation": 0, "Warning": 1}.get(f.severity, 2)).severity
        counts = Counter(f.shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for f in result.validation.findings if f.severity == worst)
        shape, n = sorted(counts.items(), key=lambda c: (-c[1], c[0]))[0]
        assert re.search(rf"{re.escape(shape)} × {n}\b", text)
        first = re.search(r'<ul class="findings"><li><b>[^<]*</b> · <code>([^<]+)</code> × (\d+)', dom)
        assert first and (first.group(1), int(first.group(2))) == (shape, n)


@needs_browser
def test_screenshot_is_the_page_and_not_blank(page, tmp_path):
    from PIL import Image

    png = tmp_path / "landing.png"
    browser(f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri(), user_data=tmp_path / "profile")
    assert png.is_file()
    image = Image.open(png).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    non_white = sum(1 for p in pixels if min(p) < 240)
    assert non_white > 0.10 * len(pixels)
    assert len(set(pixels)) > 200  # text antialiasing, header gradient, chart colours
    # the bars of the charts: the series colour #2563eb and the project colour #f59e0b fill real areas
    assert sum(1 for p in pixels if p == (0x25, 0x63, 0xEB)) > 5000
    assert sum(1 for p in pixels if p == (0xF5, 0x9E, 0x0B)) > 2000


def _has_cjk_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


@needs_browser
@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font: apt-get install -y fonts-noto-cjk")
def test_chinese_renders_with_a_cjk_font(tmp_path):
    """The page's font stack finds a CJK font: eight different characters give eight different glyphs."""
    from PIL import Image

    probe = tmp_path / "probe.html"
    style = (Path(__file__).resolve().parents[1] / "lodpub" / "static" / "landing.css").read_text(encoding="utf-8")
    family = re.search(r'font-family: ("Noto Sans CJK SC".*?);', style, re.S).group(1)
    probe.write_text(
        f'<html><head><meta charset="utf-8"><style>body {{ margin: 0; background: #fff; font: 40px {family}; }}</style></head>'
        "<body>一般公共服务支出</body></html>",
        encoding="utf-8",
    )
    png = tmp_path / "probe.png"
    browser(f"--screenshot={png}", "--window-size=800,400", probe.as_uri(), user_data=tmp_path / "profile")
    image = Image.open(png).convert("L").point(lambda v: 255 if v > 160 else 0)
    # CJK glyphs advance by the font size: eight cells of 40 px from the left edge, each inked and all different
    # (a missing font gives the same empty box eight times)
    cells = [image.crop((i * 40, 0, (i + 1) * 40, 64)) for i in range(8)]
    assert all(cell.getextrema()[0] == 0 for cell in cells), "a character drew no ink"
    assert len({cell.tobytes() for cell in cells}) == 8, "the characters render as identical boxes: no CJK font"


def test_years_side_by_side(tmp_path):
    """Two years of one department: one bar per year in each class, a legend with both years."""
    from lodpub.build import build

    earlier = tmp_path / "luohe-2023-budget.txt"
    earlier.write_text(EXAMPLE.read_text(encoding="utf-8").replace("2024", "2023"), encoding="utf-8")
    out = tmp_path / "out"
    build([str(EXAMPLE), str(earlier)], out, base=BASE, issued="2024-03-01")
    index = publish_page(out, tmp_path / "pub")
    html = index.read_text(encoding="utf-8")
    figure = html[html.index('data-chart="function"') :]
    figure = figure[: figure.index("</figure>")]
    assert "2023 年预算" in figure and "2024 年预算" in figure
    assert figure.count("<rect") == 16  # 4 classes × 2 years, drawn wide and narrow (for a phone)
    assert html.count('class="document"') == 2
    assert "2023 年预算 合计 4,212.99 万元" in html


def test_same_publication_same_page(page, tmp_path):
    summary = json.loads((page.parent / "summary.json").read_text(encoding="utf-8"))
    shutil.copytree(page.parent, tmp_path / "again")
    os.remove(tmp_path / "again" / "index.html")
    write_landing_page(tmp_path / "again", summary, tmp_path / "again" / "catalog.ttl")
    assert (tmp_path / "again" / "index.html").read_bytes() == page.read_bytes()


def test_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.search(r'<link[^>]+rel="stylesheet"', html)
    assert not re.search(r'(src|href)="(https?:)?//[^"]+\.(css|js|woff2?|ttf)"', html)
    assert "url(" not in html


def test_a_national_corpus_charts_its_largest_departments_only(tmp_path, monkeypatch):
    """Past MAX_CHARTED_DEPARTMENTS the page draws the departments that spend most, and says so."""
    from lodpub.build import build
    from lodpub.publish import charts

    text = EXAMPLE.read_text(encoding="utf-8")
    inputs = []
    for i, prefix in enumerate(("", "", "9")):  # the third department spends most on 行政运行
        path = tmp_path / f"dept{i}.txt"
        path.write_text(text.replace("漯河市人民政府办公室", f"测试部门{i}").replace("1,026.27", f"{prefix}1,026.27"), encoding="utf-8")
        inputs.append(str(path))
    build(inputs, tmp_path / "out", base=BASE, issued="2024-03-01", jobs=1)
    monkeypatch.setattr(charts, "MAX_CHARTED_DEPARTMENTS", 2)
    page = charts.charts_html(charts.ChartTotals.from_csv(tmp_path / "out" / "budget-lines.csv"))
    drawn = re.findall(r"<h3>(.*?)</h3>", page)
    assert len(drawn) == 2 and "测试部门2" in drawn
    assert "3 个部门中支出最多的 2 个" in page


def test_chart_sums_are_the_sparql_sums_on_the_store(example_build, example_store):
    """The charts' sums, taken from the CSV rows as the data package is written, are what the
    SPARQL definitions (tests/chart_reference.py) answer on the published store."""
    from chart_reference import sparql_sums, totals_sums
    from lodpub.publish.charts import ChartTotals

    _, out = example_build
    expected = sparql_sums(example_store)
    assert all(expected.values())  # every chart has sums to compare
    assert totals_sums(ChartTotals.from_csv(out / "budget-lines.csv")) == expected


def test_a_csv_of_other_columns_is_refused(tmp_path):
    from lodpub.publish.charts import ChartTotals

    (tmp_path / "budget-lines.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="budget-lines.csv"):
        ChartTotals.from_csv(tmp_path / "budget-lines.csv")


def test_a_national_corpus_lists_the_failed_and_the_worst_documents_only(tmp_path, monkeypatch):
    """Past MAX_LISTED_DOCUMENTS the page lists documents that failed first, and in the validation
    table those with the most findings, and says where the full lists are."""
    from lodpub.build import build
    from lodpub.publish import landing

    text = EXAMPLE.read_text(encoding="utf-8")
    inputs = []
    for i in range(3):
        path = tmp_path / f"dept{i}.txt"
        content = text.replace("漯河市人民政府办公室", f"测试部门{i}")
        if i == 2:  # an item that no longer adds up to its totals: violations
            content = content.replace("1,026.27", "1,126.27", 1)
        path.write_text(content, encoding="utf-8")
        inputs.append(str(path))
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe not a budget")
    inputs.append(str(tmp_path / "broken.txt"))
    build(inputs, tmp_path / "out", base=BASE, issued="2024-03-01")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    worst = max((d for d in summary["documents"] if not d.get("error")), key=lambda d: d["violations"])
    assert worst["violations"] > 0
    monkeypatch.setattr(landing, "MAX_LISTED_DOCUMENTS", 2)
    landing.write_landing_page(tmp_path / "out", summary, tmp_path / "out" / "catalog.ttl")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    documents = html[html.index('<section id="documents">') : html.index('<section id="downloads">')]
    assert "无法读取" in documents and documents.count('class="document"') == 1
    assert "共 4 份文件，列出 2 份" in documents
    validation = html[html.index('<section id="validation">') : html.index('<section id="query">')]
    assert validation.count('class="validation"') == 2 and f'data-doc="{worst["docid"]}"' in validation
    assert "问题最多的 2 份文件" in validation


def test_a_phase_is_named_by_its_code_list(example_build, tmp_path):
    """The page names a document's phase with the label of ontology/codelists.ttl (the final
    account's code is final-account: a dict in the code once spelt it final-accounts)."""
    _, out = example_build
    for name in ("catalog.ttl", "budget-lines.csv", "validation-report.ttl"):
        shutil.copy(out / name, tmp_path / name)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for phase, label in (("final-account", "决算"), ("adjusted-budget", "调整预算"), ("budget", "预算")):
        for d in summary["documents"]:
            d["phase"] = phase
        write_landing_page(tmp_path, summary, tmp_path / "catalog.ttl")
        assert f"<td>{label}</td>" in (tmp_path / "index.html").read_text(encoding="utf-8")
