"""The files a publication holds, by name: the one list the build, the catalogue, the landing page,
the CLI and `lodpub serve` read (nobody else spells a file name of the publication).

A publication is a folder: the dumps and the other data files (each described in the catalogue as a
distribution, `FORMATS`), the files that help read them (listed on the landing page), the landing
page itself and the store.
"""

from __future__ import annotations

from pathlib import Path

# The dumps: name → (media type, title). The catalogue describes each as a dcat:Distribution.
DUMPS = {
    "lodpub.nq.gz": ("application/n-quads", "N-Quads, gzip"),
    "lodpub.nt.gz": ("application/n-triples", "N-Triples, gzip"),
    "lodpub.ttl": ("text/turtle", "Turtle"),
    "lodpub.jsonld": ("application/ld+json", "JSON-LD"),
}
NQUADS, NTRIPLES, TURTLE, JSONLD = DUMPS

CSV_NAME = "budget-lines.csv"
XLSX_NAME = "budget-lines.xlsx"  # the same rows as a workbook, typed (lodpub/publish/workbook.py)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESCRIPTOR_NAME = "datapackage.json"
CATALOGUE = "catalog.ttl"
REPORT = "validation-report.ttl"
ACCOUNTING = "accounting.csv"
SKIPPED = "skipped.csv"
SUMMARY = "summary.json"
# Every CSV file of a publication starts with the UTF-8 byte-order mark, so that Excel (on a Chinese
# Windows, say) opens it as UTF-8; Python writes and reads such a file as "utf-8-sig".
BOM = b"\xef\xbb\xbf"
CSV_ENCODING = "utf-8-sig"
CONTEXT = "context.jsonld"
LANDING_PAGE = "index.html"
STORE = "store"  # a folder: the Oxigraph store `lodpub query` and `lodpub serve` open

# Files of the publication beside the dumps, listed on the landing page when present: name → title.
OTHER_FILES = [
    (CSV_NAME, "预算数据行（CSV，每个金额单元格一行）/ budget lines, tidy CSV"),
    (XLSX_NAME, "预算数据行（Excel 工作簿：编码为文本，金额为数值）/ budget lines, Excel workbook"),
    (DESCRIPTOR_NAME, "财政数据包描述 / Fiscal Data Package descriptor"),
    (CATALOGUE, "DCAT / VoID 目录 / catalogue"),
    (REPORT, "SHACL 校验报告 / validation report"),
    (ACCOUNTING, "逐表核对：单元格数 = 入图数 + 跳过数 / row accounting"),
    (SKIPPED, "未入图的单元格及原因 / cells not in the graph"),
    (SUMMARY, "每份文件的摘要 / summary per document"),
    (CONTEXT, "JSON-LD 上下文 / JSON-LD context"),
]


# The files the catalogue describes as distributions: name → (IANA media type, the short name of its
# format that portals show, as CKAN's list of formats spells it). Not the catalogue itself (it
# cannot state its own digest), the landing page (made from the catalogue), the summary, the
# JSON-LD context (a part of the JSON-LD dump) or the store.
FORMATS = {
    NQUADS: (DUMPS[NQUADS][0], "N-Quads"),
    NTRIPLES: (DUMPS[NTRIPLES][0], "N-Triples"),
    TURTLE: (DUMPS[TURTLE][0], "Turtle"),
    JSONLD: (DUMPS[JSONLD][0], "JSON-LD"),
    CSV_NAME: ("text/csv", "CSV"),
    XLSX_NAME: (XLSX, "XLSX"),
    DESCRIPTOR_NAME: ("application/json", "JSON"),
    REPORT: ("text/turtle", "Turtle"),
    ACCOUNTING: ("text/csv", "CSV"),
    SKIPPED: ("text/csv", "CSV"),
}


def title(name: str) -> str:
    """The title of a file of the publication (a dump's, else the landing page's words for it)."""
    return DUMPS[name][1] if name in DUMPS else dict(OTHER_FILES).get(name, name)


def store_folder(folder: Path) -> Path:
    """The store of a publication folder (or `folder` itself when it is a store)."""
    folder = Path(folder)
    return folder / STORE if (folder / STORE).is_dir() else folder
