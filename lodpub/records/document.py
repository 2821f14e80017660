"""A document's records: who published it, for which year and phase, and every table read by the
reader of its layout family."""

from __future__ import annotations

import re
from collections import Counter

from ..media import DOCX, XLS, XLSX
from ..model import ExtractedDocument, Line, RecognisedTable
from ..recognise import Recognition
from ..recognise.kinds import is_ordinal_only, title_core
from ..recognise.text import CODE, is_amount, normalise
from .forms import read_overall_targets, read_project_form
from .codes import CodeResolver
from .grid import learn_codes, read_grid
from .divisions import locate
from .identity import check_placeholders, file_title, identify, org_key
from .model import DEPT, DocumentRecords, Organisation, SkippedCell, SourcePart, TableRecord, UnreadTableRecord
from .narrative import read_narrative
from .passages import read_passages
from .projects import read_project_targets, read_projects
from .reader import TableReader, cell, key_name, unit_key_by_name
from .two_sided import read_two_sided

TOTALS = ("合计", "总计", "小计")
# a note under a table that prints no figure saying why (本部门无政府性基金预算收入…, 注：本部门无相关收支项目,
# 2026年没有使用财政拨款收入和支出)
EMPTY_TABLE = re.compile(r"(本表无数据|故本表为空|本表为空表|(无|没有)[^。；]{0,20}(收入|支出|收支|数据|项目|预算|经费))")
# a remark beside a table's entry in the contents that says it has no figures (西安: 表11 | …上年结转资金支出表 | 是 | 不涉及)
EMPTY_ENTRY = re.compile(r"^(不涉及|空表|为空表?|无数据|本表无数据|无此项|无)$")


def reader_for(table: RecognisedTable):
    """The reader of a table's layout family."""
    if table.layout == "two-sided":
        return read_two_sided
    if table.layout == "overall-targets":
        return read_overall_targets
    if table.layout in ("project-form", "form"):
        return read_project_form
    keys = {key_name(c) for c in table.columns if c.role == "key"}
    if table.spec.kind == "project-performance-targets" and any(c.category for c in table.columns):
        return read_project_targets  # one (三级指标, 指标值) pair of columns per indicator category
    if keys & {"project_name", "project_code"}:
        return read_projects
    return read_grid


_KIND_OF_DOCUMENT = re.compile(r"(预算|决算)")
_KIND_WORD = re.compile(r"(?:部门|单位)?(?:综合)?(?:预算|决算)")
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d+[-—–－\s]*$")
_BODY_STARTS = re.compile(r"^(目\s*录$|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")


def _cover_title(lines: list[Line]) -> str | None:
    """The title on the cover: the first page's one-cell lines up to the one that names the kind of
    document (预算, 决算), before the contents or the body begins. A word the layout wrapped over two
    lines (部门预 | 算, 部 | 门预算) or a line of one or two characters (治安管理 | 支队) is joined without a
    blank; lines of their own (the organisation, then 2024 年度部门预算) with one."""
    first_page = lines[0].page if lines else 0
    title = ""
    for line in lines[:8]:
        text = line.text.strip()
        if line.page != first_page or line.is_row or _BODY_STARTS.match(text):
            break
        if not text or _PAGE_NUMBER.match(text):
            continue
        wrapped = any(m.start() < len(title) < m.end() for m in _KIND_WORD.finditer(title + text))
        title = title + text if not title or wrapped or len(text) <= 2 else f"{title} {text}"
        if _KIND_OF_DOCUMENT.search(title):
            return title
    return None


def _document_title(lines: list[Line]) -> str:
    cover = _cover_title(lines)
    if cover:
        return cover
    head = [line.text.strip() for line in lines[:6] if not line.is_row]
    title = next((t for t in head if _KIND_OF_DOCUMENT.search(t)), head[0] if head else "")
    org = head[0] if head and not _KIND_OF_DOCUMENT.search(head[0]) else ""
    return f"{org} {title}".strip() if org and org not in title else title


def _units(doc: DocumentRecords, recognition: Recognition) -> dict[str, str]:
    """The budget units the tables list with their codes (name → code); they become organisations."""
    units_by_name: dict[str, str] = {}
    for table in recognition.tables:
        cols = {key_name(c): c.index for c in table.columns if c.role == "key"}
        if "unit_name" in cols and "unit_code" not in cols and table.layout == "grid":
            for line in table.rows:  # units named without codes (广州, 深圳): a key made from the name
                name = cell(line, cols["unit_name"])
                glued = _CODE_BEFORE_NAME.match(name)
                if glued and CODE.match(glued.group(1)):  # the unit's code printed in front of its name (长春: 105001长春市信访局)
                    _coded_unit(doc, units_by_name, glued.group(1), glued.group(2), printed=name)
                    continue
                if name and normalise(name) not in TOTALS and normalise(name) not in units_by_name:
                    key = unit_key_by_name(name)
                    units_by_name[normalise(name)] = key[len("/unit/") :]
                    doc.organisations.append(Organisation(key, None, re.sub(r"\s+", "", name)))
            continue
        if "unit_code" not in cols or table.layout != "grid":
            continue
        name_col = cols.get("unit_name", cols.get("name"))
        for line in table.rows:
            code, name = cell(line, cols.get("unit_code")), cell(line, name_col)
            if code and CODE.match(code) and name:
                _coded_unit(doc, units_by_name, code, name)
    return units_by_name


_CODE_BEFORE_NAME = re.compile(r"^(\d{3,})\s*([^\d\s].*)$")


def _coded_unit(doc: DocumentRecords, units_by_name: dict[str, str], code: str, name: str, printed: str | None = None) -> None:
    """A unit a table lists with its code: an organisation (the department's code when it has three digits),
    found by its name (and by the text printed, when the code is printed in front of the name)."""
    if printed:
        units_by_name.setdefault(normalise(printed), code)
    if any(o.code == code for o in doc.organisations):
        return
    # a unit named like its department (“…办公室本级”) is the unit a project names
    known = units_by_name.get(normalise(name))
    if known is None or len(code) > len(known):
        units_by_name[normalise(name)] = code
    if len(code) <= 3:
        doc.organisations[0].code = doc.organisations[0].code or code
    else:
        doc.organisations.append(Organisation(f"/unit/{code}", code, re.sub(r"\s+", "", name)))


def _suffix(source) -> str:
    return {"application/pdf": ".pdf", "text/plain": ".txt", "text/csv": ".csv", DOCX: ".docx", XLSX: ".xlsx", XLS: ".xls"}.get(source.media_type, "")


def build_records(recognition: Recognition) -> DocumentRecords:
    document: ExtractedDocument = recognition.document
    source = document.source
    title = _document_title(document.lines)
    locations = [p.location for p in document.parts] or [source.location]
    ident = identify([t.organisation_name for t in recognition.tables], document.lines, locations, title)
    check_placeholders(ident, document.lines, source.location)
    year = re.search(r"(20\d{2})\s*年", title) or re.search(r"(20\d{2})", title)
    phase = "final-account" if "决算" in title else ("adjusted-budget" if "调整预算" in title else None)
    department = ident.department or (title.split()[0] if title else source.location)
    if not title or title_core(title) or is_ordinal_only(title):  # a table's title, not the document's
        words = {"final-account": "决算", "adjusted-budget": "调整预算"}.get(ident.phase or "", "预算")
        title = f"{department}{ident.fiscal_year or ''}{'年度' if ident.fiscal_year else ''}{ident.scope or '部门'}{words}"
    doc = DocumentRecords(
        docid=source.docid,
        sha256=source.sha256,
        location=source.location,
        media_type=source.media_type,
        title=title,
        department=department,
        fiscal_year=year.group(1) if year else ident.fiscal_year,
        phase=phase or ident.phase or "budget",
        retrieved=source.retrieved,
        url=source.url,
        extractor=document.extractor,
        image_pages=list(document.image_pages),
        unreadable_pages=list(document.unreadable_pages),
    )
    if len(document.parts) > 1:
        doc.parts = [
            SourcePart(
                str(k + 1),
                p.location,
                p.sha256,
                p.media_type,
                file_title(p.location) + _suffix(p),
                p.url,
                p.retrieved,
                list(document.part_image_pages[k]),
                list(document.part_unreadable_pages[k]),
            )
            for k, p in enumerate(document.parts)
        ]
    doc.organisations.append(Organisation(DEPT, None, department))
    units_by_name = _units(doc, recognition)
    empty_in_contents: dict[str, str] = {}  # a listed table's title (its core) → the remark saying it has no figures
    for title_text, spec, line in recognition.listed_titles:
        doc.listed_tables.append((title_text, spec.kind, line.number))
        remark = next((c.strip() for c in line.cells[1:] if EMPTY_ENTRY.match(normalise(c))), None)
        core = title_core(title_text)
        if remark and core:
            empty_in_contents[core] = f"目录：{title_text.strip()}，{remark}"
    units = Counter(t.unit for t in recognition.tables if t.unit)
    default_unit = units.most_common(1)[0][0] if units else "万元"
    resolver = CodeResolver()
    for table in recognition.tables:
        if table.layout == "grid":
            learn_codes(table, resolver)
    for table in recognition.tables:
        reader = TableReader(doc, table, units_by_name, default_unit, resolver)
        notes = [n.text.strip() for n in table.notes]
        before = len(doc.observations)
        reader_for(table)(reader)
        _of_its_organisation(doc, reader, before)
        _report_unsplit_rows(doc, table)
        has_figures = len(doc.observations) > before
        empty_note = next((n for n in notes if EMPTY_TABLE.search(n)), None) or empty_in_contents.get(title_core(table.title) or "")
        if has_figures:  # a table with figures is declared empty only by a note that says so of the table
            empty_note = next((n for n in notes if re.search(r"本表(无数据|为空)", n)), None)
        doc.tables.append(
            TableRecord(
                ordinal=table.ordinal,
                kind=table.spec.kind,
                title=table.title,
                line=table.title_line.number,
                # what the note declares, even when the table prints figures (the validation reports that)
                page=table.page,
                unit=table.unit,
                declared_empty=bool(empty_note),
                empty_reason=empty_note,
                rows=len(table.rows),
                notes=notes,
                source_file=str(table.title_line.file + 1) if doc.parts else None,
            )
        )
    for unread in recognition.unread:
        figures = unread.figures()
        where = f"“{unread.title}”" if unread.title else "without a title"
        for r, line, j in figures:
            doc.skipped.append(
                SkippedCell(0, r, j + 1, line.number, line.cells[j].strip(), f"in a table lodpub does not read ({where}, page {line.page}): {unread.reason}")
            )
        doc.unread.append(UnreadTableRecord(unread.title, unread.page, unread.line, len(unread.rows), len(figures), unread.reason))
    division, level = locate(department)  # the department's place and level; its units share them
    for org in doc.organisations:
        org.division, org.level = (division.code if division else None), level
    # the narrative before the tables, and the prose printed after them (其他相关情况说明, 决算情况说明)
    read_narrative(doc, recognition.narrative, [n for t in recognition.tables for n in t.notes])
    doc.passages = read_passages(recognition, parts=bool(doc.parts))
    printed = Counter(o.table for o in doc.observations) + Counter(s.table for s in doc.skipped)
    for table_record in doc.tables:  # every figure is a budget line or a skipped cell: none is a table that prints none
        table_record.amount_cells = printed[table_record.ordinal]
    doc.__dict__.pop("_project_index", None)  # records.projects' lookup while reading: not part of the records
    return doc


def _of_its_organisation(doc: DocumentRecords, reader: TableReader, first: int) -> None:
    """The figures of a table that names one of the department's budget units (单位名称：…联络处 over a
    unit budget a 部门预算 prints after its own tables) are that unit's, not the department's: the lines
    the table gives to the department (its rows of no unit, its 合计) go to the unit. Only a unit the
    tables of units list by its code: a name they do not list stays the department's, and the
    validation reports it (lps:OtherOrganisationNamed: most often another department's text kept)."""
    name = reader.table.organisation_name
    if not name or org_key(name) == org_key(doc.department or ""):
        return
    code = reader.unit_code(name)
    if code is None or len(code) <= 3:
        return  # not a unit of the department's; or the department's own code, under another of its names
    for observation in doc.observations[first:]:
        if observation.dims.get("lp:organisation") == DEPT:
            observation.dims["lp:organisation"] = f"/unit/{code}"


# prose, not a row: a sentence's punctuation, or a table's number (表 14)
_PROSE = re.compile(r"[，。；：:、！？]|^表\s*\d+$")
# a figure whose unit opens the next line is a sentence's (…基本支出预算 13,979.92 / 万元。其中：)
_UNIT_FIRST = re.compile(r"^\s*(?:万元|元|亿元|千元|%|％)")


UNSPLIT_TEXT = "a line of the table whose cells are not apart (no tab or ruled cell between them): not read as a row; give lodpub the PDF, or text with tabs between the cells"
UNSPLIT_PDF = (
    "a line of a table printed without rules whose columns cannot be told apart (headings over several levels, "
    "a figure out of its column, or too few rows): not read as a row"
)


def _report_unsplit_rows(doc: DocumentRecords, table: RecognisedTable) -> None:
    """A line of the table printed as one piece of text, its cells not apart (text without tabs, such as
    `pdftotext -layout` gives; a table without rules in a PDF: 北京 “公安行政管理 161,796.229761 …”).
    Its figures (those after its first words) are not read, and are reported with why, never dropped
    unseen."""
    lines = table.metadata + table.notes
    for n, line in enumerate(lines):
        text = line.text.strip()
        tokens = text.split()
        if len(tokens) < 2 or _PROSE.search(text) or (n + 1 < len(lines) and _UNIT_FIRST.match(lines[n + 1].text)):
            continue
        figures = []
        for token in reversed(tokens):
            if not is_amount(token):
                break
            figures.append(token)
        if figures and len(figures) < len(tokens):
            reason = UNSPLIT_PDF if doc.extractor in ("pypdfium2", "pdfplumber") else UNSPLIT_TEXT
            for k, figure in enumerate(reversed(figures)):
                doc.skipped.append(SkippedCell(table.ordinal, 0, len(tokens) - len(figures) + k + 1, line.number, figure, reason))
