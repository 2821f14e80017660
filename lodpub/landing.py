"""The landing page of a publication: one self-contained `index.html`.

What the dataset is, the documents it came from, the downloads (from the catalogue: file, size,
SHA-256), the validation summary and charts of where the money goes. Everything is inline: the
CSS, and the charts as SVG drawn here in Python from sums of the rows of budget-lines.csv (taken
as the data package is written, so that the page costs no pass over the store); no script, no
font or style from elsewhere. The same publication gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import html
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .datapackage import COLUMN_NAMES, CSV_NAME
from .namespaces import sparql_prefixes

LP = "https://w3id.org/lodpub/ontology#"

PREFIXES = sparql_prefixes("lp", "qb", "skos", "dcterms", "dcat", "spdx", "void", "sh")

DISTRIBUTIONS_QUERY = PREFIXES + """
SELECT ?dist ?title ?url ?media ?size ?sha ?compress WHERE {
  ?dataset dcat:distribution ?dist .
  ?dist dcat:downloadURL ?url .
  OPTIONAL { ?dist dcterms:title ?title }
  OPTIONAL { ?dist dcat:mediaType ?media }
  OPTIONAL { ?dist dcat:byteSize ?size }
  OPTIONAL { ?dist dcat:compressFormat ?compress }
  OPTIONAL { ?dist spdx:checksum/spdx:checksumValue ?sha }
}
ORDER BY ?url
"""

CATALOGUE_QUERY = PREFIXES + """
SELECT ?title ?description ?issued ?license ?triples ?endpoint WHERE {
  ?dataset a dcat:Dataset .
  OPTIONAL { ?dataset dcterms:title ?title FILTER(LANG(?title) = "zh") }
  OPTIONAL { ?dataset dcterms:description ?description FILTER(LANG(?description) = "zh") }
  OPTIONAL { ?dataset dcterms:issued ?issued }
  OPTIONAL { ?dataset dcterms:license ?license }
  OPTIONAL { ?dataset void:triples ?triples }
  OPTIONAL { ?dataset void:sparqlEndpoint ?endpoint }
}
"""

DOCUMENTS_QUERY = PREFIXES + """
SELECT ?doc ?title ?sha ?source WHERE {
  ?dataset <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc lp:sha256 ?sha }
  OPTIONAL { ?doc dcterms:source ?source }
}
"""

# Files of the publication beside the dumps, listed when present.
OTHER_FILES = [
    ("budget-lines.csv", "预算数据行（CSV，每个金额单元格一行）/ budget lines, tidy CSV"),
    ("datapackage.json", "财政数据包描述 / Fiscal Data Package descriptor"),
    ("catalog.ttl", "DCAT / VoID 目录 / catalogue"),
    ("validation-report.ttl", "SHACL 校验报告 / validation report"),
    ("accounting.csv", "逐表核对：单元格数 = 入图数 + 跳过数 / row accounting"),
    ("skipped.csv", "未入图的单元格及原因 / cells not in the graph"),
    ("summary.json", "每份文件的摘要 / summary per document"),
    ("context.jsonld", "JSON-LD 上下文 / JSON-LD context"),
]

# Departments drawn on the page: beyond this, the largest (by the sum of their function chart)
MAX_CHARTED_DEPARTMENTS = 30
# Documents listed on the page: beyond this, those that failed and those with the most findings
MAX_LISTED_DOCUMENTS = 300

PHASES = {"budget": "预算", "adjusted-budget": "调整预算", "final-accounts": "决算"}
PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#84cc16", "#ec4899"]
SEVERITY = {"http://www.w3.org/ns/shacl#Violation": "违规 Violation", "http://www.w3.org/ns/shacl#Warning": "警告 Warning",
            "http://www.w3.org/ns/shacl#Info": "提示 Info"}

CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb; --bg: #f8fafc; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.55;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { background: linear-gradient(135deg, #1e3a8a, #2563eb); color: #fff; padding: 36px 0 30px; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 28px; }
header h1 { margin: 0 0 6px; font-size: 30px; font-weight: 700; letter-spacing: .02em; }
header .en { opacity: .85; font-size: 16px; margin: 0 0 14px; }
header p.lead { max-width: 820px; margin: 0; opacity: .95; }
.stats { display: grid; grid-template-columns: repeat(5, 1fr); gap: 14px; margin: -22px auto 0; }
.stat { background: #fff; border-radius: 10px; padding: 14px 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.stat b { display: block; font-size: 24px; color: #1e3a8a; font-variant-numeric: tabular-nums; }
.stat span { color: var(--muted); font-size: 13px; }
section { background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); margin: 22px 0; padding: 22px 26px; }
h2 { margin: 0 0 4px; font-size: 21px; }
h2 small { color: var(--muted); font-weight: 400; font-size: 14px; margin-left: 8px; }
h3 { margin: 22px 0 6px; font-size: 17px; }
p.note { color: var(--muted); font-size: 13px; margin: 2px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 13px; background: #f9fafb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .hash { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", ui-monospace, monospace; font-size: 12px; }
.hash { color: var(--muted); word-break: break-all; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.charts { display: grid; grid-template-columns: 1fr; gap: 8px; }
figure { margin: 10px 0 6px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption small { font-weight: 400; color: var(--muted); margin-left: 10px; }
svg text { font-family: inherit; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 13px; color: var(--muted); margin: 2px 0 6px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 13px; font-weight: 600; }
.ok { background: #dcfce7; color: #166534; } .warn { background: #fef3c7; color: #92400e; } .bad { background: #fee2e2; color: #991b1b; }
ul.findings { margin: 6px 0 0; padding-left: 20px; font-size: 14px; }
ul.findings li { margin: 3px 0; }
ul.findings ul { padding-left: 18px; color: #374151; }
footer { color: var(--muted); font-size: 13px; padding: 8px 0 40px; }
pre { background: #0f172a; color: #e2e8f0; border-radius: 8px; padding: 12px 14px; overflow-x: auto; font-size: 12.5px; }
"""


def _rows(store: ox.Store, query: str) -> list[dict]:
    answer = store.query(query)
    names = [v.value for v in answer.variables]
    return [{n: (None if t is None else t.value) for n, t in zip(names, row)} for row in answer]


def wanyuan(yuan: Decimal | str) -> str:
    """元 → “3,385.51”（万元, two decimals, thousands separated）."""
    value = (Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def _size(n: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _series_label(year: str, phase: str) -> str:
    return f"{year} 年{phase or ''}"


def bar_chart(categories: list[tuple[str, str]], series: list[str], values: dict[tuple[str, str], Decimal],
              title: str, colours: list[str] | None = None, width: int = 1000) -> str:
    """Horizontal bars: one group per category (key, label), one bar per series (years side by side)."""
    colours = colours or PALETTE
    label_w = min(max([_text_width(label, 15) for _, label in categories] + [120]) + 24, 460)
    value_w, bar_h, gap, group_gap, top = 130, 22, 4, 14, 8
    plot_w = width - label_w - value_w
    biggest = max([v for v in values.values()] + [Decimal(1)])
    group_h = len(series) * bar_h + (len(series) - 1) * gap
    height = top + len(categories) * (group_h + group_gap) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{e(title)}" width="100%" '
             f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">']
    parts.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 4}" stroke="#9ca3af" stroke-width="1"/>')
    for i, (key, label) in enumerate(categories):
        y0 = top + i * (group_h + group_gap)
        parts.append(f'<g class="bars" data-category="{e(label)}">')
        parts.append(f'<text x="{label_w - 10}" y="{y0 + group_h / 2 + 5:.1f}" text-anchor="end" font-size="15" fill="#1f2937">{e(label)}</text>')
        for j, s in enumerate(series):
            v = values.get((key, s))
            if v is None:
                continue
            y = y0 + j * (bar_h + gap)
            w = max(float(v / biggest) * plot_w, 1.5 if v > 0 else 0)
            colour = colours[j % len(colours)]
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
                         f'<title>{e(label)} {e(s)}: {wanyuan(v)} 万元</title></rect>')
            parts.append(f'<text x="{label_w + w + 8:.1f}" y="{y + bar_h / 2 + 5:.1f}" font-size="14" fill="#374151">{wanyuan(v)} 万元</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(rows: list[tuple[str, list[tuple[str, Decimal]]]], title: str, colours: list[str],
                width: int = 1000) -> str:
    """One stacked horizontal bar per row (label, [(part label, value)]), the parts' shares written in them."""
    label_w, bar_h, gap, top = 160, 34, 12, 6
    plot_w = width - label_w - 20
    height = top + len(rows) * (bar_h + gap)
    biggest = max([sum(v for _, v in parts) for _, parts in rows] + [Decimal(1)])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{e(title)}" width="100%" '
           f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">']
    for i, (label, parts) in enumerate(rows):
        y = top + i * (bar_h + gap)
        total = sum(v for _, v in parts) or Decimal(1)
        out.append(f'<text x="{label_w - 10}" y="{y + bar_h / 2 + 5:.1f}" text-anchor="end" font-size="15" fill="#1f2937">{e(label)}</text>')
        x = float(label_w)
        for j, (name, v) in enumerate(parts):
            w = float(v / biggest) * plot_w
            share = float(v / total * 100)
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colours[j % len(colours)]}">'
                       f'<title>{e(label)} {e(name)}: {wanyuan(v)} 万元 ({share:.1f}%)</title></rect>')
            if w > 150:
                out.append(f'<text x="{x + 10:.1f}" y="{y + bar_h / 2 + 5:.1f}" font-size="14" fill="#fff">'
                           f'{e(name)} {wanyuan(v)} 万元 · {share:.1f}%</text>')
            x += w
    out.append("</svg>")
    return "".join(out)


def _text_width(text: str, size: float) -> float:
    """Rough width in px of text at a font size: CJK characters are square, the rest about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in text)


def _legend(series: list[str], colours: list[str] | None = None) -> str:
    colours = colours or PALETTE
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colours[j % len(colours)]}"></i>{e(s)}</span>' for j, s in enumerate(series)) + "</div>"


class ChartTotals:
    """The sums the charts draw, taken from the rows of budget-lines.csv as they stream past (`add`
    during the build, or `from_csv` on a publication), so that memory holds one sum per department,
    year, phase and category however many lines there are.

    - by function class: item rows of each 部门支出预算表 (expenditure-by-function) at the total over
      expenditure kinds (kind _T), summed by function class (类), as example query 01 does;
    - by budget unit: item rows of each 部门收入预算表 (income-by-unit) at the total over funding sources;
    - basic against project: item rows of each 部门支出预算表 in the 基本支出 and 项目支出 columns
      whose economic classification and project type are at their totals (the 小计 columns).
    """

    def __init__(self):
        self.functions: dict[str, dict] = defaultdict(_department_series)
        self.units: dict[str, dict] = defaultdict(_department_series)
        self.kinds: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))

    def add(self, rows: Iterable[list[str]]) -> None:
        """Rows of budget-lines.csv as lists in its column order (datapackage.COLUMNS)."""
        for r in rows:
            if r[_ROLE] != "item" or not r[_DEPARTMENT] or not r[_AMOUNT]:
                continue
            kind, table = r[_KIND], r[_TABLE_KIND]
            if table == "expenditure-by-function":
                if kind == "_T" and r[_CLASS]:
                    _count(self.functions[r[_DEPARTMENT]], r, r[_CLASS], r[_CLASS_NAME])
                elif kind in ("basic", "project") and r[_ECONOMIC] in ("", "_T") and r[_PROJECT_TYPE] in ("", "_T"):
                    self.kinds[r[_DEPARTMENT]][_series_label(r[_YEAR], r[_PHASE])][kind] += Decimal(r[_AMOUNT])
            elif table == "income-by-unit" and r[_FUNDING] == "_T" and r[_UNIT]:
                _count(self.units[r[_DEPARTMENT]], r, r[_UNIT], r[_UNIT_NAME])

    @classmethod
    def from_csv(cls, path: Path) -> "ChartTotals":
        """The totals of a publication's budget-lines.csv, read as a stream."""
        totals = cls()
        with Path(path).open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != COLUMN_NAMES:
                raise ValueError(f"{path}: not a budget-lines.csv of this lodpub (its columns differ)")
            totals.add(reader)
        return totals


(_ROLE, _DEPARTMENT, _AMOUNT, _KIND, _TABLE_KIND, _CLASS, _CLASS_NAME, _ECONOMIC, _PROJECT_TYPE, _YEAR, _PHASE,
 _FUNDING, _UNIT, _UNIT_NAME) = (COLUMN_NAMES.index(c) for c in (
    "row_role", "department", "amount", "kind_code", "table_kind", "function_class_code", "function_class_name",
    "economic_dept_code", "project_type_code", "fiscal_year", "phase_name", "funding_code", "organisation_code",
    "organisation_name"))


def _department_series() -> dict:
    return {"categories": {}, "series": set(), "values": defaultdict(Decimal)}


def _count(d: dict, row: list[str], key: str, label: str) -> None:
    """Add a row's amount to its category (key, shown with the smallest label seen) in its series."""
    s = _series_label(row[_YEAR], row[_PHASE])
    known = d["categories"].get(key)
    if known is None or (label and (known == key or label < known)):
        d["categories"][key] = label or key
    d["series"].add((row[_YEAR], s))
    d["values"][(key, s)] += Decimal(row[_AMOUNT])


def charts_html(totals: ChartTotals) -> str:
    functions, units, kinds = totals.functions, totals.units, totals.kinds
    departments = sorted(set(functions) | set(units) | set(kinds))
    if not departments:
        return '<p class="note">没有可绘制的支出数据（未找到部门支出预算表或部门收入预算表）。</p>'
    parts = []
    if len(departments) > MAX_CHARTED_DEPARTMENTS:  # a national corpus: the largest departments only
        size = {d: sum(functions.get(d, {}).get("values", {}).values(), Decimal(0)) for d in departments}
        shown = set(sorted(departments, key=lambda d: (-size[d], d))[:MAX_CHARTED_DEPARTMENTS])
        parts.append(f'<p class="note" id="charted-departments">{len(departments):,} 个部门中支出最多的 {len(shown)} 个；'
                     f'其余见 budget-lines.csv 或用 SPARQL 查询。/ The {len(shown)} largest of {len(departments):,} departments.</p>')
        departments = [d for d in departments if d in shown]
    for department in departments:
        parts.append(f"<h3>{e(department)}</h3>")
        f = functions.get(department)
        if f:
            series = [s for _, s in sorted(f["series"])]
            cats = sorted(f["categories"].items(), key=lambda c: c[0])
            totals = "；".join(f"{s} 合计 {wanyuan(sum(v for (_, s2), v in f['values'].items() if s2 == s))} 万元" for s in series)
            parts.append(f'<figure class="chart" data-chart="function"><figcaption>按支出功能分类（类）· 万元 <small class="total">{e(totals)}</small></figcaption>')
            parts.append('<p class="note">部门支出预算表的明细行按“类”汇总（与示例查询 01 相同）。</p>')
            parts.append(_legend(series) + bar_chart(cats, series, f["values"], f"{department} 按功能分类") + "</figure>")
        u = units.get(department)
        if u:
            series = [s for _, s in sorted(u["series"])]
            cats = sorted(u["categories"].items(), key=lambda c: c[0])
            parts.append('<figure class="chart" data-chart="unit"><figcaption>按预算单位 · 万元</figcaption>')
            parts.append('<p class="note">部门收入预算表中各预算单位的总计（收支平衡：即各单位的预算规模）。</p>')
            parts.append(_legend(series)
                         + bar_chart([(k, f"{k} {v}") for k, v in cats], series, u["values"], f"{department} 按预算单位")
                         + "</figure>")
        k = kinds.get(department)
        if k:
            names = {"basic": "基本支出", "project": "项目支出"}
            rows = [(s, [(names[kind], k[s][kind]) for kind in ("basic", "project") if kind in k[s]]) for s in sorted(k)]
            colours = ["#1e40af", "#f59e0b"]
            parts.append('<figure class="chart" data-chart="kind"><figcaption>基本支出与项目支出 · 万元</figcaption>')
            parts.append('<p class="note">部门支出预算表合计行中“基本支出”“项目支出”两列的小计。</p>')
            parts.append(_legend(list(names.values()), colours) + stacked_bar(rows, f"{department} 基本支出与项目支出", colours) + "</figure>")
    return "\n".join(parts)


def _catalogue(catalog_ttl: Path) -> ox.Store:
    store = ox.Store()
    if Path(catalog_ttl).exists():
        store.load(Path(catalog_ttl).read_bytes(), format=ox.RdfFormat.TURTLE)
    return store


def _sha256_of_file(path: Path) -> str:
    """The SHA-256 of a file of any size, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _downloads_html(catalogue: ox.Store, out_dir: Path) -> str:
    rows = []
    listed = set()
    for d in _rows(catalogue, DISTRIBUTIONS_QUERY):
        name = d["url"].rstrip("/").rsplit("/", 1)[-1]
        listed.add(name)
        media = (d.get("media") or "").replace("https://www.iana.org/assignments/media-types/", "")
        if d.get("compress"):
            media += " (gzip)"
        size = int(d["size"]) if d.get("size") else None
        rows.append(f'<tr><td><a class="download" href="{e(name)}" data-url="{e(d["url"])}">{e(name)}</a>'
                    f'<div class="hash">{e(d["url"])}</div></td><td>{e(d.get("title") or "")}<div class="hash">{e(media)}</div></td>'
                    f'<td class="num" data-bytes="{size or ""}">{_size(size) if size is not None else ""}'
                    f'<div class="hash">{size if size is not None else ""} B</div></td>'
                    f'<td class="hash sha256">{e(d.get("sha") or "")}</td></tr>')
    more = []
    for name, title in OTHER_FILES:
        path = Path(out_dir) / name
        if name in listed or not path.is_file():
            continue
        size = path.stat().st_size
        sha256 = _sha256_of_file(path)
        more.append(f'<tr><td><a class="download" href="{e(name)}">{e(name)}</a></td><td>{e(title)}</td>'
                    f'<td class="num" data-bytes="{size}">{_size(size)}<div class="hash">{size} B</div></td>'
                    f'<td class="hash sha256">{sha256}</td></tr>')
    head = '<tr><th>文件 File</th><th>格式 Format</th><th class="num">大小 Size</th><th>SHA-256</th></tr>'
    out = f'<table class="downloads"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    if more:
        out += ('<h3>其他文件 <small>Other files of the publication</small></h3>'
                f'<table class="files"><thead>{head}</thead><tbody>{"".join(more)}</tbody></table>')
    return out


def _top_findings_by_document(out_dir: Path) -> dict[str, str]:
    """The top findings (`_top_findings`) of each document of validation-report.ttl (beside the page).

    The report is read as a stream (at national scale it holds hundreds of thousands of results):
    lodpub writes each result's statements together and the results by document, so a result is
    complete when the next subject begins, and a document's list when the next document begins."""
    path = Path(out_dir) / "validation-report.ttl"
    out: dict[str, str] = {}
    if not path.exists():
        return out
    sh, rdf_type = "http://www.w3.org/ns/shacl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    fields = {sh + "resultSeverity": "severity", sh + "sourceShape": "shape", sh + "focusNode": "focus",
              LP + "document": "doc"}
    current, result, is_result = None, {}, False
    document, findings = None, []

    def flush() -> None:
        nonlocal document, findings
        if not (is_result and "severity" in result):
            return
        docid = (result.get("doc") or "").rstrip("/").rsplit("/", 1)[-1]
        if docid != document:
            if findings:
                out[document] = out.get(document, "") + _top_findings(findings)
            document, findings = docid, []
        findings.append(result)

    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if t.subject != current:
            flush()
            current, result, is_result = t.subject, {}, False
        p, o = t.predicate.value, t.object
        if p == rdf_type:
            is_result = is_result or o.value == sh + "ValidationResult"
        elif p in fields:
            result[fields[p]] = o.value
        elif p == sh + "resultMessage" and isinstance(o, ox.Literal) and o.language in (None, "zh"):
            result["message"] = min(result.get("message", o.value), o.value)
    flush()
    if findings:
        out[document] = out.get(document, "") + _top_findings(findings)
    return out


def _top_findings(findings: list[dict], limit: int = 5) -> str:
    """The most frequent kinds of finding (by shape), worst first, each with one example message."""
    order = {"http://www.w3.org/ns/shacl#Violation": 0, "http://www.w3.org/ns/shacl#Warning": 1}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        groups[(f["severity"], f.get("shape") or "")].append(f)
    ranked = sorted(groups.items(), key=lambda g: (order.get(g[0][0], 2), -len(g[1]),
                                                   g[0][1].rsplit("#", 1)[-1].rsplit("/", 1)[-1], g[0][1]))
    items = []
    for (severity, shape), group in ranked[:limit]:
        messages = sorted({f.get("message") or "" for f in group})
        shape_name = shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        more = f"<li>… 另 {len(messages) - 3} 条</li>" if len(messages) > 3 else ""
        items.append(f'<li><b>{e(SEVERITY.get(severity, severity))}</b> · <code>{e(shape_name)}</code> × {len(group)}'
                     f'<ul>{"".join(f"<li>{e(m)}</li>" for m in messages[:3])}{more}</ul></li>')
    if len(ranked) > limit:
        items.append(f"<li>… 另有 {len(ranked) - limit} 类，见 validation-report.ttl</li>")
    return f'<ul class="findings">{"".join(items)}</ul>' if items else ""


def write_landing_page(out_dir: Path, summary: dict, catalog_ttl: Path, totals: ChartTotals | None = None) -> None:
    """Write out_dir/index.html for the publication whose summary and catalogue are given; the charts
    are drawn from `totals`, else from out_dir/budget-lines.csv."""
    out_dir = Path(out_dir)
    if totals is None:
        csv_path = out_dir / CSV_NAME
        totals = ChartTotals.from_csv(csv_path) if csv_path.exists() else ChartTotals()
    charts = charts_html(totals)
    catalogue = _catalogue(catalog_ttl)
    info = (_rows(catalogue, CATALOGUE_QUERY) or [{}])[0]
    doc_meta = {}
    for d in _rows(catalogue, DOCUMENTS_QUERY):
        doc_meta[d["doc"].rstrip("/").rsplit("/", 1)[-1]] = d
    documents = summary.get("documents", [])
    ok = [d for d in documents if not d.get("error")]
    top_findings = _top_findings_by_document(out_dir)
    base = summary.get("base", "")

    total_lines = sum(d.get("budget_lines", 0) for d in ok)
    total_tables = sum(d.get("tables", 0) for d in ok)
    total_projects = sum(d.get("projects", 0) for d in ok)
    stats = [(len(ok), "份文件 documents"), (total_tables, "张表 tables"), (total_lines, "条预算数据 budget lines"),
             (total_projects, "个项目 projects"), (int(info["triples"]) if str(info.get("triples") or "").isdigit() else "", "个三元组 triples")]

    listed_documents, listed_ok = documents, ok
    documents_note = validation_note = ""
    if len(documents) > MAX_LISTED_DOCUMENTS:  # a national corpus: the page stays small, the files list everything
        listed_documents = ([d for d in documents if d.get("error")] + ok)[:MAX_LISTED_DOCUMENTS]
        documents_note = (f'<p class="note" id="listed-documents">共 {len(documents):,} 份文件，列出 {len(listed_documents)} 份'
                          f'（无法读取的在前）；全部见 summary.json 与 catalog.ttl。/ {len(listed_documents)} of '
                          f'{len(documents):,} documents; all of them are in summary.json and catalog.ttl.</p>')
    if len(ok) > MAX_LISTED_DOCUMENTS:
        listed_ok = sorted(ok, key=lambda d: (-d.get("violations", 0), -d.get("warnings", 0)))[:MAX_LISTED_DOCUMENTS]
        validation_note = (f'<p class="note" id="listed-validation">问题最多的 {len(listed_ok)} 份文件；全部见 validation-report.ttl'
                           f' 与 summary.json。/ The {len(listed_ok)} documents with the most findings; all of them are in '
                           f'validation-report.ttl and summary.json.</p>')

    duplicates = summary.get("duplicates") or []
    if duplicates:  # the same bytes under two names: read, published and counted once
        shown = "；".join(f'{e(d["location"])} = {e(d["same_as"])}' for d in duplicates[:MAX_LISTED_DOCUMENTS])
        documents_note += (f'<p class="note" id="duplicates">另有 {len(duplicates):,} 份文件与上列文件内容相同（同一 SHA-256），'
                           f'只读取和计数一次 / {len(duplicates):,} more file(s) hold the same bytes as a document '
                           f'listed here and were read and counted once: {shown}</p>')
    doc_rows = []
    for d in sorted(listed_documents, key=lambda d: (d.get("department") or "", d.get("fiscal_year") or "", d.get("docid") or d.get("location", ""))):
        if d.get("error"):
            doc_rows.append(f'<tr><td colspan="6"><span class="badge bad">无法读取</span> {e(d.get("location"))}：{e(d["error"])}</td></tr>')
            continue
        meta = doc_meta.get(d["docid"], {})
        iri = meta.get("doc") or f"{base}doc/{d['docid']}"
        source = meta.get("source")
        link = f'<a href="{e(iri)}">{e(d["docid"])}</a>' + (f' · <a href="{e(source)}">原文 source</a>' if source else "")
        doc_rows.append(
            f'<tr class="document"><td>{e(d.get("title"))}<div class="hash">{link}</div></td><td>{e(d.get("department"))}</td>'
            f'<td class="num">{e(d.get("fiscal_year"))}</td><td>{e(PHASES.get(d.get("phase"), d.get("phase")))}</td>'
            f'<td class="num">{d.get("tables", 0)} 表 · {d.get("budget_lines", 0)} 行</td>'
            f'<td class="hash sha256">{e(meta.get("sha") or "")}</td></tr>')

    validation_rows = []
    for d in sorted(listed_ok, key=lambda d: (d.get("department") or "", d.get("fiscal_year") or "", d["docid"])):
        v, w = d.get("violations", 0), d.get("warnings", 0)
        badge = "bad" if v else ("warn" if w else "ok")
        validation_rows.append(
            f'<tr class="validation" data-doc="{e(d["docid"])}"><td>{e(d.get("title"))}</td>'
            f'<td class="num"><span class="badge {"bad" if v else "ok"} violations">{v} 违规</span></td>'
            f'<td class="num"><span class="badge {"warn" if w else "ok"} warnings">{w} 警告</span></td>'
            f'<td class="num">{d.get("skipped_cells", 0)} / {d.get("amount_cells", 0)}</td></tr>'
            f'<tr><td colspan="4" class="{badge}-findings">{top_findings.get(d["docid"], "")}</td></tr>')
    failed = [d for d in documents if d.get("error")]
    total_v = sum(d.get("violations", 0) for d in ok)
    total_w = sum(d.get("warnings", 0) for d in ok)

    endpoint = info.get("endpoint")
    title = info.get("title") or "部门预算公开数据"
    description = info.get("description") or ""
    license_iri = info.get("license") or ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · lodpub</title>
<meta name="description" content="{e(description)}">
<link rel="alternate" type="text/turtle" href="catalog.ttl" title="DCAT catalogue">
<style>{CSS}</style>
</head>
<body>
<header><div class="wrap">
<h1>{e(title)}</h1>
<p class="en">Department budget disclosures as linked open data</p>
<p class="lead">{e(description)}每个金额单元格都以 RDF（W3C Data Cube、SKOS、DCAT）发布，附带来源文件（SHA-256）、表、行与列；\
表格承诺的算术关系用 SHACL 校验。可下载全部数据，也可用 SPARQL 查询。</p>
</div></header>
<div class="wrap">
<div class="stats">{"".join(f'<div class="stat"><b>{e(f"{n:,}" if isinstance(n, int) else n)}</b><span>{e(t)}</span></div>' for n, t in stats)}</div>

<section id="charts">
<h2>钱花在哪里 <small>Where the money goes</small></h2>
<p class="note">金额单位：万元。数据取自 budget-lines.csv 的明细行（与示例查询 01 的求和相同）。</p>
{charts}
</section>

<section id="documents">
<h2>来源文件 <small>Source documents</small></h2>
<table><thead><tr><th>标题 Title</th><th>部门 Department</th><th class="num">年度 Year</th><th>阶段 Phase</th>
<th class="num">内容 Content</th><th>SHA-256</th></tr></thead>
<tbody>{"".join(doc_rows)}</tbody></table>{documents_note}
</section>

<section id="downloads">
<h2>下载 <small>Downloads</small></h2>
<p class="note">发布于 {e(info.get("issued") or "")} · 许可 <a href="{e(license_iri)}">{e(license_iri)}</a> ·
目录 <a href="catalog.ttl">catalog.ttl</a>（DCAT-AP）</p>
{_downloads_html(catalogue, out_dir)}
</section>

<section id="validation">
<h2>校验 <small>Validation</small></h2>
<p class="note">合计 <span class="badge {"bad" if total_v else "ok"}" id="total-violations">{total_v} 违规 violations</span>
<span class="badge {"warn" if total_w else "ok"}" id="total-warnings">{total_w} 警告 warnings</span>
{f'<span class="badge bad">{len(failed)} 份文件无法读取</span>' if failed else ""}</p>
<table><thead><tr><th>文件 Document</th><th class="num">违规 Violations</th><th class="num">警告 Warnings</th>
<th class="num">跳过 / 金额单元格</th></tr></thead>
<tbody>{"".join(validation_rows)}</tbody></table>{validation_note}
</section>

<section id="query">
<h2>查询 <small>Query</small></h2>
<p class="note">SPARQL 端点 endpoint: {f'<a href="{e(endpoint)}">{e(endpoint)}</a>' if endpoint else "—"}</p>
<pre>PREFIX lp: &lt;https://w3id.org/lodpub/ontology#&gt;
SELECT ?line ?amount WHERE {{ ?line a lp:BudgetLine ; lp:amount ?amount }} LIMIT 10</pre>
</section>
<footer>lodpub · {e(base)}</footer>
</div>
</body>
</html>
"""
    (out_dir / "index.html").write_bytes(page.encode("utf-8"))
