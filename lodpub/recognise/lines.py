"""What a line near a table is: a table's title (possibly wrapped), the department or unit of money
between the title and the header, a header row, a data row, a form's label/value row, a page number
or a running head printed on many pages."""

from __future__ import annotations

import re

from ..model import Line
from .columns import header_cell, is_numbering_row, lexicon
from .kinds import SENTENCE, TABLE_NUMBER, candidate_kinds, is_ordinal_only, strip_ordinal, title_core
from .text import CODE, is_amount, normalise, ordinal_level, split_code, term

# 单位：万元, 金额单位:元, 单位：人民币元, 单位（元）: the unit of money of what follows
UNIT_OF_MONEY = re.compile(r"(?:金额)?单位\s*(?:[:：]|[（(](?=\s*(?:人民币)?\s*(?:万元|元|千元|亿元)\s*[）)]))\s*(?:人民币)?\s*(万元|元|千元|亿元)")
DEPARTMENT = re.compile(r"(?:部门名称|编制部门|编制单位|预算单位|单位名称|部门（单位）|部门\(单位\)|部门（单位）名称|主管部门|部门)\s*[:：]\s*(\S.*)$")
PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d+(?:\s*\d)*\s*(?:页)?[-—–－\s]*$")
TOTAL_LABELS = ("合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计")
FORM_LABELS = ("项目名称", "转移支付名称", "主管部门", "主管部门及代码", "实施单位", "部门（单位）名称", "单位名称", "项目类别")
LOOKAHEAD = 10
# a heading of the document's parts (第三部分 2026年部门预算情况说明, 第四部分 名词解释) or of its glossary
PART_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|名词解释\s*$)")
# a chapter of the document's explanation (八、其他重要事项说明): no line of a form's cells starts so
CHAPTER_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、\s*[\u4e00-\u9fff“”（）()]{2,30}\s*$")


def single_text(line: Line) -> str | None:
    """The text of a line with one non-empty cell (a one-cell line, or a row spanned by one cell)."""
    cells = [c for c in line.cells if c.strip()]
    return cells[0].strip() if len(cells) == 1 else None


def title_at(lines: list[Line], i: int) -> tuple[str, str] | None:
    """(printed title, title core) when line i prints a table title, possibly wrapped from the line before."""
    text = single_text(lines[i])
    if text is None:
        return None
    core = title_core(text)
    if core is not None and candidate_kinds(core):
        wrapped = _wrapped_before(lines, i, text)
        if wrapped is not None:  # the title's first line, wrapped at the page's width (福建: 单位编码_单位_项目…绩效目标表)
            before, opens = wrapped
            joined = title_core(before + text)
            # the kind the rest alone names, unless the first line surely opens the title: the whole title names it
            # (公开09表：一般公共预算“三公”经费、会议费、培训费 | 支出预算表 is no table of expenditure by function)
            if joined is not None and candidate_kinds(joined) and (opens or candidate_kinds(joined) == candidate_kinds(core)):
                return before + text, joined
        return text, core
    before = _text_above(lines, i)
    if before and not title_core(before) and not is_ordinal_only(before) and not SENTENCE.search(term(before)) and len(before) + len(text) <= 70:
        joined = title_core(before + text)
        if joined is not None and candidate_kinds(joined):
            return before + text, joined
    return (text, core) if core is not None else None


def _text_above(lines: list[Line], i: int) -> str | None:
    """The text of the line right above line i, both lines of text (not table rows): on the same page, or the
    last line of the page before when line i opens its page (a title's two lines a page break parts, its page
    number between them)."""
    if i == 0 or lines[i].is_row:
        return None
    k = i - 1
    if lines[k].page != lines[i].page:
        while k > 0 and PAGE_NUMBER.match(lines[k].text.strip()):
            k -= 1
        if lines[k].page != lines[i].page - 1 or PAGE_NUMBER.match(lines[k].text.strip()):
            return None
    return None if lines[k].is_row else single_text(lines[k])


def _wrapped_before(lines: list[Line], i: int, text: str) -> tuple[str, bool] | None:
    """The line before a title, when it is the title's first part wrapped onto two lines: right above on the
    same page, a line of text that is no title, unit, department or sentence, at least as long as the rest (a
    title wraps at the page's width; a heading over a title is shorter), the rest not opening with a number of
    its own; and whether it surely opens the title: it prints a table's number (表13 …, 公开 09 表：…) or breaks
    off inside a list (…“三公”经费、). A line that does neither has no number (一、 heads a section of the text)
    and is no heading of the document (a year and 预算 or 决算)."""
    before = _text_above(lines, i)
    if not before or len(before) < 15 or len(before) < len(text) or title_core(before) is not None:
        return None
    if strip_ordinal(term(text)) != term(text) or SENTENCE.search(term(before)):
        return None
    if is_metadata(lines[i - 1]) or before.endswith(("：", ":", "。", "；")):
        return None
    opens = bool(_TABLE_NUMBER.match(term(before))) or before.endswith(_BREAKS_OFF)
    if not opens and strip_ordinal(term(before)) != term(before):
        return None
    if not opens and _DOCUMENT_HEADING.search(before):  # 上海市某局2024年度部门决算 over the first table's title
        return None
    return before, opens


_DOCUMENT_HEADING = re.compile(r"\d{4}\s*年.*(?:预算|决算)")
# a table's own number in front of a line (表13, 公开09表, 预算表12), and how a line cut inside a list ends
_TABLE_NUMBER = re.compile(TABLE_NUMBER)
_BREAKS_OFF = ("、", "及", "与", "“")


def is_metadata(line: Line) -> bool:
    """A line between a title and its header: the department, the unit of money, the table's number,
    the year, a page number."""
    text = line.text.strip()
    return bool(
        UNIT_OF_MONEY.search(text)
        or DEPARTMENT.search(text)
        or is_ordinal_only(text)
        or PAGE_NUMBER.match(text)
        or re.fullmatch(r"[（(]?\s*\d{4}\s*[）)]?\s*年度?\s*[）)]?", text)
    )


def starts_table(lines: list[Line], i: int, titles: set[int]) -> bool:
    """Whether the title on line i is followed by its table (not a line of the contents)."""
    for k in range(i + 1, min(len(lines), i + 1 + LOOKAHEAD)):
        if k in titles:
            return False
        line = lines[k]
        if line.is_row and sum(1 for c in line.cells if c.strip()) >= 2:
            return True
        if line.is_row and single_text(line) is not None and not title_at(lines, k):
            return True
        if UNIT_OF_MONEY.search(line.text) or DEPARTMENT.search(line.text):
            return True
    return False


def split_code_header(line: Line) -> int:
    """How many leading cells of a row print the code-column headers 类 / 款 / 项 (0 if not so)."""
    n = 0
    while n < len(line.cells) and n < 3 and normalise(line.cells[n]) == ("类", "款", "项")[n]:
        n += 1
    return n if n >= 2 else 0


def is_data_row(line: Line) -> bool:
    """A row that holds figures or a code, or a total row (合计 with its figures left blank)."""
    cells = [c.strip() for c in line.cells if c.strip()]
    if is_numbering_row(line):
        return False
    if any(is_amount(c) or CODE.match(c) or split_code(c) for c in cells):
        return True
    # a total row whose figures are left blank: the label alone
    return len(cells) == 1 and normalise(cells[0]) in TOTAL_LABELS


def is_numbered_row(line: Line) -> bool:
    """A row without figures whose every cell is an item of a numbered list (一、部门预算 | 一、部门预算;
    22、其他支出; （二）上年结转): a heading among a table's rows, whose figures are printed on the rows
    below it or left blank. Headers over columns are not numbered so."""
    cells = [c for c in line.cells if c.strip()]
    return line.is_row and bool(cells) and all(ordinal_level(c) for c in cells) and not is_data_row(line)


def is_form(rows: list[Line], amount_labels: frozenset[str] = frozenset()) -> bool:
    """Label/value rows (项目名称 | X, 主管部门 | Y; or, where the title names the project, 资金总额： | 57.00)
    rather than a header over figures."""
    lex = lexicon()
    for line in rows[:3]:
        cells = [c.strip() for c in line.cells if c.strip()]
        if header_terms(cells) >= 3:
            continue  # a header over columns (单位名称 | 项目名称 | 年度资金总额(万元) | 一级指标 | 二级指标 …), not label/value pairs
        for a, b in zip(cells, cells[1:]):
            if term(a) in FORM_LABELS and term(b) not in FORM_LABELS and term(b) not in lex:
                return True
            if term(a) in amount_labels and is_amount(b):
                return True
    return False


def header_terms(cells) -> int:
    """How many of a row's cells are column headers the lexicon knows."""
    lex = lexicon()
    return sum(1 for c in cells if header_cell(c).key in lex)


def is_header_row(line: Line) -> bool:
    """A row of column headers that prints the unit in one of them (项目 | 预算数（单位：万元） | 绩效目标)."""
    cells = [c for c in line.cells if c.strip()]
    return line.is_row and len(cells) >= 2 and header_terms(cells) >= 2


def header_key(cells) -> tuple[str, ...]:
    """A header row as recognised when repeated on a continuation page: its printed cells in order,
    wherever that page's rules put them."""
    return tuple(normalise(c) for c in cells if c.strip())


def running_heads(lines: list[Line]) -> set[str]:
    """Texts printed at the top or foot of many pages (苏州市审计局2026年度部门预算公开): neither a title
    nor prose, so that a table going on over the page break is not ended by them."""
    edges: dict[int, list[str]] = {}
    for line in lines:
        if not line.is_row and line.text.strip():
            edges.setdefault(line.page, []).append(line.text.strip() if not is_metadata(line) else "")
    counts: dict[str, int] = {}
    for texts in edges.values():
        for text in {texts[0], texts[-1]}:
            counts[text] = counts.get(text, 0) + 1
    pages = len({line.page for line in lines})
    return {text for text, n in counts.items() if text and n >= 3 and n * 4 >= pages and not PAGE_NUMBER.match(text) and title_core(text) is None}
