"""The columns of budget-lines.csv and where each comes from in the graph.

A budget line's row is made in two halves that meet by IRI (see `lines` and `codefacts`): these
tables say which column is read from which predicate.
"""

from __future__ import annotations

from ..namespaces import PREFIXES

# Code-list dimensions of a budget line: (column prefix, property, with the top level of the hierarchy).
CODED = [
    ("phase", "lp:budgetPhase", False),
    ("direction", "lp:direction", False),
    ("function", "lp:functionalClassification", True),
    ("economic_dept", "lp:economicClassification", True),
    ("economic_gov", "lp:governmentEconomicClassification", True),
    ("funding", "lp:fundingSource", False),
    ("kind", "lp:expenditureKind", False),
    ("project_type", "lp:projectType", False),
    ("row_role", "lp:rowRole", False),
]


def _coded(name: str, zh: str, en: str, fdp: str | None, name_zh: str | None = None) -> list[tuple]:
    """The two columns of a coded thing: its code and its name."""
    return [
        (f"{name}_code", "string", fdp and f"{fdp}:code", f"{zh}编码 / {en} code"),
        (f"{name}_name", "string", fdp and f"{fdp}:label", f"{name_zh or zh} / {en}"),
    ]


def _classification(name: str, zh: str, en: str, fdp: str | None, note: str = "") -> list[tuple]:
    """The four columns of a classification: the class (its first level) and the code, each by code and name."""
    return [
        (f"{name}_class_code", "string", fdp and f"{fdp}:level1:code", f"{zh}类编码 / {en} class code{note}"),
        (f"{name}_class_name", "string", fdp and f"{fdp}:level1:label", f"{zh}类名称 / {en} class name{note}"),
        (f"{name}_code", "string", fdp and f"{fdp}:code", f"{zh}编码 / {en} code{note}"),
        (f"{name}_name", "string", fdp and f"{fdp}:label", f"{zh}名称 / {en} name{note}"),
    ]


# Columns of budget-lines.csv: (name, type, FDP column type, title).
COLUMNS = [
    ("budget_line", "string", "budget-line-id", "预算数据行 IRI / budget line IRI"),
    ("document_id", "string", None, "文件编号（SHA-256 前 16 位）/ document id"),
    ("document_title", "string", None, "文件标题 / document title"),
    ("department_code", "string", "administrative-classification:generic:level1:code", "部门编码 / department code"),
    ("department", "string", "administrative-classification:generic:level1:label", "部门 / department"),
    ("organisation_code", "string", "administrative-classification:generic:level2:code", "单位编码 / unit code"),
    ("organisation_name", "string", "administrative-classification:generic:level2:label", "单位名称 / unit name"),
    ("fiscal_year", "integer", "date:fiscal-year", "年度 / fiscal year"),
    ("phase", "string", "phase:id", "阶段 / budget phase"),
    ("phase_name", "string", "phase:label", "阶段名称 / budget phase name"),
    ("table_number", "integer", None, "表序号 / table number in the document"),
    ("table_kind", "string", None, "表类型 / table kind"),
    ("table_title", "string", None, "表名 / table title"),
    ("direction", "string", "direction", "收支 / direction"),
    ("direction_name", "string", None, "收支名称 / direction name"),
    *_classification("function", "功能分类", "function", "functional-classification:generic"),
    *_classification("economic_dept", "部门预算经济分类", "economic", "economic-classification:generic", " (department budget)"),
    *_classification("economic_gov", "政府预算经济分类", "economic", None, " (government budget)"),
    *_coded("funding", "资金来源", "funding source", "fin-source:generic"),
    *_coded("kind", "支出类型", "expenditure kind", "expenditure-type"),
    *_coded("project", "项目", "project", "activity:generic:project", name_zh="项目名称"),
    *_coded("project_type", "项目类型", "project type", None),
    ("row_role", "string", None, "行角色（明细/小计/合计）/ row role"),
    ("row_label", "string", None, "行标签 / row label as printed"),
    ("column_label", "string", None, "列标签 / column label as printed"),
    ("amount", "number", "value", "金额（元）/ amount in yuan"),
    ("printed_value", "string", None, "原文数值 / value as printed"),
    ("printed_unit", "string", None, "原文单位 / unit as printed"),
    ("source_page", "integer", None, "原文页码 / source page"),
    ("source_line", "integer", None, "原文行号 / source line"),
    ("source_row", "integer", None, "表内行 / row in the table"),
    ("source_column", "integer", None, "表内列 / column in the table"),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]

# Facts of one budget line the worker reads from the document's own graph: CSV column → predicate
# path from the line (MIN of the string values when there are several, as the query does).
LP = PREFIXES["lp"]
QB = PREFIXES["qb"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
RDFS_LABEL = PREFIXES["rdfs"] + "label"
LINE_LITERALS = {
    "printed_value": LP + "printedValue",
    "printed_unit": LP + "printedUnit",
    "source_page": LP + "sourcePage",
    "source_line": LP + "sourceLine",
    "source_row": LP + "sourceRow",
    "source_column": LP + "sourceColumn",
    "column_label": LP + "columnLabel",
    "row_label": LP + "rowLabel",
    "fiscal_year": LP + "fiscalYear",
}
CODED_PREDICATES = {prefix: prop.replace("lp:", LP) for prefix, prop, _ in CODED}
HIERARCHY = {prefix for prefix, _, hierarchy in CODED if hierarchy}


def tail(iri: str) -> str:
    """The last segment of an IRI's path (a docid, a table number, a table kind)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def int_key(text: str) -> tuple:
    """A sort key ordering numbers as numbers, before text."""
    return (0, int(text)) if text and text.lstrip("-").isdigit() else (1, text or "")
