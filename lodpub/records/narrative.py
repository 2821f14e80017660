"""The narrative: figures stated in the text (mappings/narrative.yaml) and the glossary (名词解释)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..model import Line
from ..namespaces import MAPPINGS
from ..specs import load_yaml
from ..recognise.text import normalise
from .function_names import ORDINAL, FunctionNames, printed_name, resolve_function_code
from .model import UNIT_FACTORS, Definition, DocumentRecords, Statement, parse_amount


@lru_cache(maxsize=None)
def narrative_spec() -> dict:
    """mappings/narrative.yaml with its {pieces} put into the patterns."""
    data = load_yaml(MAPPINGS / "narrative.yaml")
    pieces = data.get("pieces", {})

    def expand(pattern: str) -> str:
        for _ in range(10):  # pieces may name pieces
            done = re.sub(r"\{([a-z_]+)\}", lambda m: f"(?:{pieces[m.group(1)]})" if m.group(1) in pieces else m.group(0), pattern)
            if done == pattern:
                return done
            pattern = done
        raise ValueError(f"mappings/narrative.yaml: pieces nested too deep in {pattern!r}")

    items = data["function_items"]
    return {
        "figures": [(p["figure"], re.compile(expand(p["pattern"])), p) for p in data["figures"]],
        "after_figure": [re.compile(expand(c)) for c in data.get("after_figure", [])],
        "heads": [re.compile(expand(h)) for h in items["heads"]],
        "ends": re.compile(expand(items["ends"])),
        "longest": int(items["longest"]),
        "clauses": [re.compile(expand(c)) for c in items["clauses"]],
        "glossary": {normalise(k): v for k, v in data["glossary"].items()},
    }


def narrative_patterns() -> list[tuple[str, re.Pattern, dict]]:
    return narrative_spec()["figures"]


def glossary_concepts() -> dict[str, str]:
    return narrative_spec()["glossary"]


GLOSSARY_HEADING = re.compile(r"^(第[一二三四五]部分)?\s*名词解释$")
PAGE_NUMBER = re.compile(r"^[-—－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—－\s]*$")
# a line that closes a document rather than continuing a definition: a date, a department signing it
_SIGNATURE = re.compile(r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\S{2,30}(?:局|委员会|办公室|厅|部|院|中心|政府))\s*$")
GLOSSARY_END = re.compile(r"^(\d{4}\s*年)?\s*(部门|单位)?(预算|决算)\s*(编制|情况)?说明$")  # the heading after a glossary


@dataclass
class _Run:
    """Consecutive narrative lines read as one running text (blanks removed), with where each line starts."""

    text: str
    starts: list[int]  # offset in `text` where each line starts
    lines: list[Line]

    def line_at(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line starting at or before offset
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _glossary_marked(lines: list[Line]):
    """Each line with its text and where it stands: "heading" (名词解释), "glossary" (a line of the glossary), "end"
    (the line that ends it: 附件…, 第…部分 or a heading “…说明”), None outside the glossary."""
    in_glossary = False
    for line in lines:
        text = line.text.strip()
        if GLOSSARY_HEADING.match(text):
            in_glossary = True
            yield line, text, "heading"
        elif not in_glossary:
            yield line, text, None
        elif text.startswith(("附件", "第")) or GLOSSARY_END.match(text):
            in_glossary = False
            yield line, text, "end"
        else:
            yield line, text, "glossary"


def _runs(lines: list[Line]) -> list[_Run]:
    """The running texts of the narrative: consecutive lines outside the glossary, joined without blanks."""
    runs: list[_Run] = []
    parts: list[str] = []
    starts: list[int] = []
    kept: list[Line] = []
    previous: int | None = None
    previous_page = 0

    def flush():
        if kept:
            runs.append(_Run("".join(parts), list(starts), list(kept)))
        parts.clear(), starts.clear(), kept.clear()

    for line, text, where in _glossary_marked(lines):
        if where == "heading":
            flush()
        if where:
            continue
        if PAGE_NUMBER.match(text):
            continue  # a page number printed in the text (“- 12 -”) does not break a sentence
        if previous is not None and line.number != previous + 1 and not (line.page > previous_page and line.number - previous <= 3):
            flush()  # a table (or the glossary) lies between: a new running text; a page break
            # with its running head and page number left out of the narrative does not end a sentence
        previous, previous_page = line.number, line.page
        compact = re.sub(r"\s+", "", text)
        starts.append(sum(len(x) for x in parts))
        parts.append(compact)
        kept.append(line)
    flush()
    return runs


_GLOSSARY_ENTRY = re.compile(r"^\s*[一二三四五六七八九十]+、")
_GLOSSARY_TERM = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(.+?)[：:]\s*(.+)$", re.S)


def _read_glossary(doc: DocumentRecords, lines: list[Line]) -> None:
    """The entries of the glossary (名词解释: 一、term：explanation …), each with the lines it runs on in a PDF (the
    term itself may wrap before its colon: 八、一般公共服务支出(类)政府办公厅（室）及相关机构事 | 务(款)行政运行(项)：…).
    The glossary ends at 附件…, 第…部分 or a heading “…说明”; page numbers and a closing signature or date are
    not part of an explanation."""
    entries: list[tuple[int, list[str]]] = []
    for line, text, where in _glossary_marked(lines):
        if where != "glossary":
            continue
        if _GLOSSARY_ENTRY.match(text):
            entries.append((line.number, [text]))
        elif entries and text and not PAGE_NUMBER.match(text) and not _SIGNATURE.match(text):
            entries[-1][1].append(re.sub(r"\s+", "", text))
    for number, parts in entries:
        m = _GLOSSARY_TERM.match("".join(parts))
        if m:
            term = m.group(1).strip()
            doc.definitions.append(Definition(len(doc.definitions) + 1, number, term, m.group(2).strip(), glossary_concepts().get(normalise(term))))


def read_narrative(doc: DocumentRecords, lines: list[Line], more: list[Line] | None = None) -> None:
    """Glossary entries (名词解释) of `lines`, and the figures stated in `lines` and `more` (prose after tables).

    The figures are read on running text: consecutive lines joined with their blanks removed, so that
    a sentence wrapped across lines is read whole; each figure keeps the line where its match starts.
    A figure is written once: a passage the text repeats (a PDF's text layer printing it twice) and two
    patterns reading one place give one statement.
    """
    everything = list(lines) + list(more or [])
    _read_glossary(doc, everything)  # the glossary may follow the tables (长春: 第四部分 名词解释)
    spec = narrative_spec()
    names = FunctionNames(doc)
    sections = _fund_sections(everything)
    context: dict[str, str] = {}
    found: list[tuple[int, int, int, int, Statement]] = []  # (line, pattern, start, end, statement)
    for run in _runs(list(lines)) + _runs(list(more or [])):
        here: list[tuple[int, int, int, int, Statement]] = []
        for p, (figure, pattern, options) in enumerate(spec["figures"]):
            for m in pattern.finditer(run.text):
                values = {k: v for k, v in m.groupdict().items() if v is not None}
                end = m.end()
                if "direction" not in values:
                    for clause in spec["after_figure"]:
                        c = clause.match(run.text, end)
                        if c:
                            values.update({k: v for k, v in c.groupdict().items() if v is not None and k not in values})
                            end = c.end()
                            break
                st = _statement(doc, run, m.start(), end, figure, options.get("unit"), values)
                here.append((st.line, p, m.start(), end, st))
        item_pattern = len(spec["figures"])
        items = [
            (start, end, _statement(doc, run, start, end, figure, None, values, names)) for start, end, figure, values in _function_items(run, spec, context)
        ]
        # under the heading of the government-fund or state-capital budget (杭州 （八）政府性基金预算支出情况说明), a class's
        # figure and share are of that budget, which the general-public-budget table the item figures are read against does not hold
        items = [item for item in items if _section_at(sections, item[2].line) is None]
        # a figure pattern matching inside an item's explanation (“检察（款）：2018年预算支出合计…”) reads the item's figure
        here = [f for f in here if not any(f[2] < end and start < f[3] for start, end, _ in items)]
        here.extend((st.line, item_pattern, start, end, st) for start, end, st in items)
        found.extend(_merged(here))
    seen: set[tuple] = set()
    for _, _, _, _, st in sorted(found, key=lambda f: f[:3]):  # by line, then pattern, then place
        key = _said(st) + (st.sentence,)
        if key in seen:  # the same sentence stating the same again: a repeated passage
            continue
        seen.add(key)
        st.k = len(doc.statements) + 1
        doc.statements.append(st)


_FIELDS = (
    "amount",
    "quantity",
    "share",
    "change",
    "change_share",
    "compared_year",
    "function_code",
    "compared_amount",
    "restated_amount",
    "comparison",
    "completion_rate",
)


def _said(st: Statement) -> tuple:
    return (st.figure,) + tuple(getattr(st, f) for f in _FIELDS)


def _merged(found: list[tuple[int, int, int, int, Statement]]) -> list[tuple[int, int, int, int, Statement]]:
    """Statements of one running text, those of one figure read by two patterns at overlapping places
    made one (what either reads, the earlier pattern's reading first) unless they state different values."""
    out: list[tuple[int, int, int, int, Statement]] = []
    for entry in sorted(found, key=lambda f: (f[2], f[1])):
        _, _, start, end, st = entry
        for i, (line0, p0, start0, end0, st0) in enumerate(out):
            if st0.figure != st.figure or start >= end0 or start0 >= end:
                continue
            if any(getattr(st0, f) is not None and getattr(st, f) is not None and getattr(st0, f) != getattr(st, f) for f in _FIELDS):
                continue
            for f in st.__dataclass_fields__:
                if getattr(st0, f) is None and getattr(st, f) is not None:
                    setattr(st0, f, getattr(st, f))
            if end > end0:
                st0.printed = st0.printed + st.printed[end0 - start :] if start <= end0 else st0.printed
            out[i] = (line0, p0, start0, max(end0, end), st0)
            break
        else:
            out.append(entry)
    return out


_SECTION = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+\s*[、.．])")
_OTHER_FUND = re.compile(r"政府性基金|国有资本经营")


def _fund_sections(lines: list[Line]) -> list[tuple[int, str | None]]:
    """(line, fund) of each numbered heading: the budget other than the general public one it is about, or None."""
    out = []
    for line in lines:
        text = line.text.strip()
        if len(text) <= 40 and _SECTION.match(text) and not re.search(r"\d[\d,.]*\s*万?元", text):
            out.append((line.number, "other" if _OTHER_FUND.search(text) else None))
    return out


def _section_at(sections: list[tuple[int, str | None]], number: int) -> str | None:
    """The fund of the numbered heading a line is under (the last one at or before it)."""
    fund = None
    for line, kind in sections:
        if line > number:
            break
        fund = kind
    return fund


def _function_items(run: _Run, spec: dict, context: dict[str, str]):
    """(start, end, figure, groups) of each item-by-item explanation of the function classification in
    a running text (mappings/narrative.yaml function_items). `context`: the names (and printed digits)
    of the 类 and 款 of the last heading, which a head without them belongs to; updated, and carried
    from one running text to the next (a list of items goes on after a page break)."""
    text = run.text
    heads: list[re.Match] = []
    for pattern in spec["heads"]:
        heads.extend(m for m in pattern.finditer(text) if m.end() > m.start())
    heads.sort(key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match] = []
    for m in heads:  # the longest head at a place; heads do not overlap
        if not kept or m.start() >= kept[-1].end():
            kept.append(m)
    for i, head in enumerate(kept):
        groups = {k: v for k, v in head.groupdict().items() if v is not None}
        for level in ("fclass", "fsection", "fitem"):
            if level in groups:
                groups[level] = printed_name(groups[level]) or ""
        if groups.get("fclass"):
            context.clear()
            context.update({k: v for k, v in groups.items() if k in ("fclass", "fclass_code", "fsection", "fsection_code")})
        elif groups.get("fsection"):
            for k in ("fsection", "fsection_code"):
                context.pop(k, None)
            context.update({k: v for k, v in groups.items() if k in ("fsection", "fsection_code")})
        if "fcode" not in groups:
            for k, v in context.items():
                groups.setdefault(k, v)
        limit = min(kept[i + 1].start() if i + 1 < len(kept) else len(text), head.end() + spec["longest"])
        cut = spec["ends"].search(text, head.end(), limit)
        body_end = cut.start() if cut else limit
        body = text[head.end() : body_end]
        values: dict[str, str] = {}
        end = head.end()
        for clause in spec["clauses"]:
            m = clause.search(body)
            if not m:
                continue
            new = {k: v for k, v in m.groupdict().items() if v is not None and k not in values}
            if new:
                values.update(new)
                end = max(end, head.end() + m.end())
        if "amount" not in values:
            continue  # a heading (the class of the items below it), or names in a reason
        values.update(groups)
        figure = "function-line" if groups.get("fitem") or groups.get("fcode") else ("function-section" if groups.get("fsection") else "function-class")
        # the statement starts at its head, or where its 款/项 names start when the 类 is on a heading line before them
        start = head.start()
        own = [head.start(g) for g in ("fsection", "fitem") if head.groupdict().get(g) is not None]
        if own and run.line_at(min(own)) != run.line_at(start):
            start = min(own)
        ordinal = ORDINAL.match(text, start)
        start = ordinal.end() if ordinal else start
        yield start, end, figure, values


def _precision(number: str, factor: Decimal) -> Decimal:
    """One unit of the last printed digit of `number`, times `factor` (元 per printed unit; 1 for percent)."""
    digits = number.replace(",", "")
    places = len(digits.split(".", 1)[1]) if "." in digits else 0
    return factor / Decimal(10) ** places


def _statement(
    doc: DocumentRecords, run: _Run, start: int, end: int, figure: str, unit: str | None, groups: dict, names: FunctionNames | None = None
) -> Statement:
    first, last = run.line_at(start), run.line_at(max(start, end - 1))
    sentence = "".join(l.text.strip() for l in run.lines[first : last + 1])
    unit = groups.get("amount_unit") or unit or "万元"
    st = Statement(k=0, line=run.lines[first].number, figure=figure, sentence=sentence, printed=run.text[start:end], unit=unit)
    if groups.get("amount") is not None:
        if unit in UNIT_FACTORS:
            st.amount = parse_amount(groups["amount"], unit)
            st.amount_precision = _precision(groups["amount"], UNIT_FACTORS[unit])
        else:
            st.quantity = Decimal(groups["amount"].replace(",", ""))
    for name in ("compared_amount", "restated_amount"):
        if groups.get(name) is not None:
            factor = UNIT_FACTORS[groups.get(f"{name}_unit") or unit]
            setattr(st, name, parse_amount(groups[name], groups.get(f"{name}_unit") or unit))
            setattr(st, f"{name}_precision", _precision(groups[name], factor))
    if groups.get("compared_amount") is not None and groups.get("compared_budget") is not None:
        st.compared_phase = "budget"  # 年初预算数 of the document's own year
    if groups.get("share") is not None:
        st.share = Decimal(groups["share"])
    direction = groups.get("direction")
    sign = -1 if direction in ("减少", "下降") else 1
    if groups.get("change") is not None:
        change_unit = groups.get("change_unit") or unit
        st.change = sign * parse_amount(groups["change"], change_unit)
        st.change_precision = _precision(groups["change"], UNIT_FACTORS[change_unit])
    elif direction in ("持平", "相同"):  # “与2024年预算持平”: a change of 0
        st.change = Decimal(0)
    if groups.get("change_share") is not None:
        st.change_share = sign * Decimal(groups["change_share"])
        st.change_share_precision = _precision(groups["change_share"], Decimal(1))
    if groups.get("completion_rate") is not None:
        st.completion_rate = Decimal(groups["completion_rate"])
        st.completion_rate_precision = _precision(groups["completion_rate"], Decimal(1))
    comparison = groups.get("comparison")
    if comparison:
        st.comparison = "等于" if "持平" in comparison else comparison
    if groups.get("year") is not None:
        st.compared_year = groups["year"]
    elif direction and doc.fiscal_year and doc.fiscal_year.isdigit():  # 比上年…, 与上年相比…
        st.compared_year = str(int(doc.fiscal_year) - 1)
    if any(groups.get(k) for k in ("fclass", "fsection", "fitem", "fcode")):
        st.class_name, st.section_name, st.subsection_name = (groups.get(k) or None for k in ("fclass", "fsection", "fitem"))
        printed = groups.get("fcode") or "".join(groups.get(k) or "" for k in ("fclass_code", "fsection_code", "fitem_code")) or None
        st.function_code = resolve_function_code(doc, st.class_name, st.section_name, st.subsection_name, printed, names)
    return st
