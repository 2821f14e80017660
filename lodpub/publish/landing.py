"""The landing page of a publication: one self-contained `index.html`.

What the dataset is, the documents it came from, the downloads (from the catalogue: file, size,
SHA-256), the validation summary and charts of where the money goes. Everything is inline: the
CSS (lodpub/static/landing.css), and the charts as SVG (`charts`); no script, no font or style
from elsewhere. The same publication gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from .. import uris
from ..codelists import labels
from ..namespaces import sparql_prefixes
from ..resources import static_text
from .charts import ChartTotals, charts_html, e
from .manifest import CSV_NAME, LANDING_PAGE, OTHER_FILES, REPORT

LP = uris.ONTOLOGY

PREFIXES = sparql_prefixes("lp", "qb", "skos", "dcterms", "dcat", "spdx", "void", "sh")

DISTRIBUTIONS_QUERY = (
    PREFIXES
    + """
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
)

CATALOGUE_QUERY = (
    PREFIXES
    + """
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
)

DOCUMENTS_QUERY = (
    PREFIXES
    + """
SELECT ?doc ?title ?sha ?source WHERE {
  ?dataset <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc lp:sha256 ?sha }
  OPTIONAL { ?doc dcterms:source ?source }
}
"""
)

# Documents listed on the page: beyond this, those that failed and those with the most findings
MAX_LISTED_DOCUMENTS = 300

SEVERITY = {
    "http://www.w3.org/ns/shacl#Violation": "违规 Violation",
    "http://www.w3.org/ns/shacl#Warning": "警告 Warning",
    "http://www.w3.org/ns/shacl#Info": "提示 Info",
}


def _rows(store: ox.Store, query: str) -> list[dict]:
    answer = store.query(query)
    names = [v.value for v in answer.variables]
    return [{n: (None if t is None else t.value) for n, t in zip(names, row)} for row in answer]


def _size(n: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _file_name(location: str | None) -> str:
    """The file name of a document's location (a path or URL)."""
    return (location or "").rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]


def _scroll(table: str) -> str:
    """A table in a box of its own that scrolls sideways on a narrow screen (the page does not)."""
    return f'<div class="scroll">{table}</div>'


def _placeholder_warning(base: str) -> str:
    if not uris.is_placeholder(base):
        return ""
    return (
        f'<p class="placeholder" id="placeholder-base" role="alert"><b>注意</b> 本发布的基址 <code>{e(base)}</code> 是占位地址，'
        "页面与数据中的链接都指向无法访问的地址；请用 <code>lodpub build --base</code> 指定数据实际发布的地址后重新构建。"
        f"<br><b>Warning</b> this publication was built with the placeholder base <code>{e(base)}</code>: its links "
        "lead nowhere. Rebuild it with <code>lodpub build --base</code> set to where the data will be served.</p>"
    )


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
        rows.append(
            f'<tr><td><a class="download" href="{e(name)}" data-url="{e(d["url"])}">{e(name)}</a>'
            f'<div class="hash">{e(d["url"])}</div></td><td>{e(d.get("title") or "")}<div class="hash">{e(media)}</div></td>'
            f'<td class="num" data-bytes="{size or ""}">{_size(size) if size is not None else ""}'
            f'<div class="hash">{size if size is not None else ""} B</div></td>'
            f'<td class="hash sha256">{e(d.get("sha") or "")}</td></tr>'
        )
    more = []
    for name, title in OTHER_FILES:
        path = Path(out_dir) / name
        if name in listed or not path.is_file():
            continue
        size = path.stat().st_size
        sha256 = _sha256_of_file(path)
        more.append(
            f'<tr><td><a class="download" href="{e(name)}">{e(name)}</a></td><td>{e(title)}</td>'
            f'<td class="num" data-bytes="{size}">{_size(size)}<div class="hash">{size} B</div></td>'
            f'<td class="hash sha256">{sha256}</td></tr>'
        )
    head = '<tr><th>文件 File</th><th>格式 Format</th><th class="num">大小 Size</th><th>SHA-256</th></tr>'
    out = _scroll(f'<table class="downloads"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>')
    if more:
        out += "<h3>其他文件 <small>Other files of the publication</small></h3>" + _scroll(
            f'<table class="files"><thead>{head}</thead><tbody>{"".join(more)}</tbody></table>'
        )
    return out


def _top_findings_by_document(out_dir: Path) -> dict[str, str]:
    """The top findings (`_top_findings`) of each document of validation-report.ttl (beside the page).

    The report is read as a stream (at national scale it holds hundreds of thousands of results):
    lodpub writes each result's statements together and the results by document, so a result is
    complete when the next subject begins, and a document's list when the next document begins."""
    path = Path(out_dir) / REPORT
    out: dict[str, str] = {}
    if not path.exists():
        return out
    sh, rdf_type = "http://www.w3.org/ns/shacl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    fields = {sh + "resultSeverity": "severity", sh + "sourceShape": "shape", sh + "focusNode": "focus", LP + "document": "doc"}
    current, result, is_result = None, {}, False
    document, findings = None, []

    def flush() -> None:
        nonlocal document, findings
        if not (is_result and "severity" in result):
            return
        docid = uris.docid_of(result.get("doc") or "")
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
    ranked = sorted(groups.items(), key=lambda g: (order.get(g[0][0], 2), -len(g[1]), g[0][1].rsplit("#", 1)[-1].rsplit("/", 1)[-1], g[0][1]))
    items = []
    for (severity, shape), group in ranked[:limit]:
        messages = sorted({f.get("message") or "" for f in group})
        shape_name = shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        more = f"<li>… 另 {len(messages) - 3} 条</li>" if len(messages) > 3 else ""
        items.append(
            f"<li><b>{e(SEVERITY.get(severity, severity))}</b> · <code>{e(shape_name)}</code> × {len(group)}"
            f"<ul>{''.join(f'<li>{e(m)}</li>' for m in messages[:3])}{more}</ul></li>"
        )
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
        doc_meta[uris.docid_of(d["doc"])] = d
    documents = summary.get("documents", [])
    ok = [d for d in documents if not d.get("error")]
    top_findings = _top_findings_by_document(out_dir)
    base = summary.get("base", "")

    total_lines = sum(d.get("budget_lines", 0) for d in ok)
    total_tables = sum(d.get("tables", 0) for d in ok)
    total_projects = sum(d.get("projects", 0) for d in ok)
    stats = [
        (len(ok), "份文件 documents"),
        (total_tables, "张表 tables"),
        (total_lines, "条预算数据 budget lines"),
        (total_projects, "个项目 projects"),
        (int(info["triples"]) if str(info.get("triples") or "").isdigit() else "", "个三元组 triples"),
    ]

    listed_documents, listed_ok = documents, ok
    documents_note = validation_note = ""
    if len(documents) > MAX_LISTED_DOCUMENTS:  # a national corpus: the page stays small, the files list everything
        listed_documents = ([d for d in documents if d.get("error")] + ok)[:MAX_LISTED_DOCUMENTS]
        documents_note = (
            f'<p class="note" id="listed-documents">共 {len(documents):,} 份文件，列出 {len(listed_documents)} 份'
            f"（无法读取的在前）；全部见 summary.json 与 catalog.ttl。/ {len(listed_documents)} of "
            f"{len(documents):,} documents; all of them are in summary.json and catalog.ttl.</p>"
        )
    if len(ok) > MAX_LISTED_DOCUMENTS:
        listed_ok = sorted(ok, key=lambda d: (-d.get("violations", 0), -d.get("warnings", 0)))[:MAX_LISTED_DOCUMENTS]
        validation_note = (
            f'<p class="note" id="listed-validation">问题最多的 {len(listed_ok)} 份文件；全部见 validation-report.ttl'
            f" 与 summary.json。/ The {len(listed_ok)} documents with the most findings; all of them are in "
            f"validation-report.ttl and summary.json.</p>"
        )

    duplicates = summary.get("duplicates") or []
    if duplicates:  # the same bytes under two names: read, published and counted once
        shown = "；".join(f"{e(d['location'])} = {e(d['same_as'])}" for d in duplicates[:MAX_LISTED_DOCUMENTS])
        documents_note += (
            f'<p class="note" id="duplicates">另有 {len(duplicates):,} 份文件与上列文件内容相同（同一 SHA-256），'
            f"只读取和计数一次 / {len(duplicates):,} more file(s) hold the same bytes as a document "
            f"listed here and were read and counted once: {shown}</p>"
        )
    doc_rows = []
    for d in sorted(listed_documents, key=lambda d: (d.get("department") or "", d.get("fiscal_year") or "", d.get("docid") or d.get("location", ""))):
        if d.get("error"):
            doc_rows.append(f'<tr><td colspan="6"><span class="badge bad">无法读取</span> {e(d.get("location"))}：{e(d["error"])}</td></tr>')
            continue
        meta = doc_meta.get(d["docid"], {})
        iri = meta.get("doc") or uris.document(base, d["docid"])
        source = meta.get("source")
        link = f'{e(_file_name(d.get("location")))} · <a href="{e(iri)}">{e(d["docid"])}</a>' + (f' · <a href="{e(source)}">原文 source</a>' if source else "")
        doc_rows.append(
            f'<tr class="document"><td>{e(d.get("title"))}<div class="hash">{link}</div></td><td>{e(d.get("department"))}</td>'
            f'<td class="num">{e(d.get("fiscal_year"))}</td><td>{e(labels("phase").get(d.get("phase") or "", d.get("phase")))}</td>'
            f'<td class="num">{d.get("tables", 0)} 表 · {d.get("budget_lines", 0)} 行</td>'
            f'<td class="hash sha256">{e(meta.get("sha") or "")}</td></tr>'
        )

    validation_rows = []
    for d in sorted(listed_ok, key=lambda d: (d.get("department") or "", d.get("fiscal_year") or "", d["docid"])):
        v, w = d.get("violations", 0), d.get("warnings", 0)
        badge = "bad" if v else ("warn" if w else "ok")
        validation_rows.append(
            f'<tr class="validation" data-doc="{e(d["docid"])}"><td>{e(d.get("title"))}'
            f'<div class="hash">{e(_file_name(d.get("location")))} · {e(d["docid"])}</div></td>'
            f'<td class="num"><span class="badge {"bad" if v else "ok"} violations">{v} 违规</span></td>'
            f'<td class="num"><span class="badge {"warn" if w else "ok"} warnings">{w} 警告</span></td>'
            f'<td class="num">{d.get("skipped_cells", 0)} / {d.get("amount_cells", 0)}</td></tr>'
            f'<tr><td colspan="4" class="{badge}-findings">{top_findings.get(d["docid"], "")}</td></tr>'
        )
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
<style>{static_text("landing.css")}</style>
</head>
<body>
<header><div class="wrap">
<h1>{e(title)}</h1>
<p class="en">Department budget disclosures as linked open data</p>
<p class="lead">{e(description)}每个金额单元格都以 RDF（W3C Data Cube、SKOS、DCAT）发布，附带来源文件（SHA-256）、表、行与列；\
表格承诺的算术关系用 SHACL 校验。可下载全部数据，也可用 SPARQL 查询。</p>
</div></header>
<div class="wrap">
{_placeholder_warning(base)}
<div class="stats">{"".join(f'<div class="stat"><b>{e(f"{n:,}" if isinstance(n, int) else n)}</b><span>{e(t)}</span></div>' for n, t in stats)}</div>

<section id="charts">
<h2>钱花在哪里 <small>Where the money goes</small></h2>
<p class="note">金额单位：万元。数据取自 budget-lines.csv 的明细行（与示例查询 01 的求和相同）。</p>
{charts}
</section>

<section id="documents">
<h2>来源文件 <small>Source documents</small></h2>
<div class="scroll"><table><thead><tr><th>标题 Title</th><th>部门 Department</th><th class="num">年度 Year</th><th>阶段 Phase</th>
<th class="num">内容 Content</th><th>SHA-256</th></tr></thead>
<tbody>{"".join(doc_rows)}</tbody></table></div>{documents_note}
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
<div class="scroll"><table><thead><tr><th>文件 Document</th><th class="num">违规 Violations</th><th class="num">警告 Warnings</th>
<th class="num">跳过 / 金额单元格</th></tr></thead>
<tbody>{"".join(validation_rows)}</tbody></table></div>{validation_note}
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
    (out_dir / LANDING_PAGE).write_bytes(page.encode("utf-8"))
