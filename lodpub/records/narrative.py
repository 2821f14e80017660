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
from .codes import function_class_by_name
from .model import TOTAL, UNIT_FACTORS, Definition, DocumentRecords, Statement, parse_amount


@lru_cache(maxsize=None)
def narrative_patterns() -> list[tuple[str, re.Pattern, dict]]:
    data = load_yaml(MAPPINGS / "narrative.yaml")
    return [(p["figure"], re.compile(p["pattern"]), p) for p in data["figures"]]


@lru_cache(maxsize=None)
def glossary_concepts() -> dict[str, str]:
    data = load_yaml(MAPPINGS / "narrative.yaml")
    return {normalise(k): v for k, v in data["glossary"].items()}


GLOSSARY_HEADING = re.compile(r"^(第[一二三四五]部分)?\s*名词解释$")
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


def _runs(lines: list[Line]) -> list[_Run]:
    """The running texts of the narrative: consecutive lines outside the glossary, joined without blanks."""
    runs: list[_Run] = []
    parts: list[str] = []
    starts: list[int] = []
    kept: list[Line] = []
    previous: int | None = None
    in_glossary = False

    def flush():
        if kept:
            runs.append(_Run("".join(parts), list(starts), list(kept)))
        parts.clear(), starts.clear(), kept.clear()

    for line in lines:
        text = line.text.strip()
        if GLOSSARY_HEADING.match(text):
            in_glossary = True
            flush()
            continue
        if in_glossary:  # the glossary ends at 附件…, 第…部分 (as read_narrative) or a heading “…编制说明”
            if GLOSSARY_END.match(text):
                in_glossary = False
            elif not re.match(r"^\s*[一二三四五六七八九十]+、", text) and text.startswith(("附件", "第")):
                in_glossary = False
            continue
        if previous is not None and line.number != previous + 1:
            flush()  # a table (or the glossary) lies between: a new running text
        previous = line.number
        compact = re.sub(r"\s+", "", text)
        starts.append(sum(len(x) for x in parts))
        parts.append(compact)
        kept.append(line)
    flush()
    return runs


def _name_key(name: str) -> str:
    return normalise(name).translate(str.maketrans("()", "（）"))


def resolve_function_code(doc: DocumentRecords, class_name: str, section_name: str | None, item_name: str | None,
                          printed_code: str | None = None) -> str | None:
    """The code of a 类 (or of a 项 under it) a sentence names, found among the document's own function lines.

    The 类 by its name (function_class_by_name); the 项 by its printed name among the budget lines with a
    7-digit code under that 类, narrowed by the 款 name when the name alone is not enough. None when the
    document's tables do not print exactly one such line.
    """
    lines: dict[str, set[str]] = {}  # code → printed row labels
    preferred = {t.ordinal for t in doc.tables if t.kind == "general-public-budget-expenditure"}
    for o in doc.observations:
        code = o.dims.get("lp:functionalClassification")
        if code and code != TOTAL and code.isdigit():
            lines.setdefault(code, set()).add(_name_key(o.row_label))
            if o.table in preferred:
                lines[code].add("\0preferred")
    class_code = function_class_by_name(class_name)
    if printed_code and class_code and not printed_code.startswith(class_code):
        class_code = None  # the printed digits and the name disagree: not resolved
    if class_code is None:
        return None
    if item_name is None:
        return class_code if class_code in lines else None
    item = _name_key(item_name)
    candidates = sorted(c for c, names in lines.items() if len(c) == 7 and c.startswith(class_code) and item in names)
    if len(candidates) > 1 and section_name:
        section = _name_key(section_name)
        candidates = [c for c in candidates if section in lines.get(c[:5], set())]
    if len(candidates) > 1 and printed_code:
        candidates = [c for c in candidates if c == printed_code]
    if len(candidates) != 1:
        return None
    if printed_code and len(printed_code) == 7 and candidates[0] != printed_code:
        return None
    return candidates[0]


def read_narrative(doc: DocumentRecords, lines: list[Line], more: list[Line] | None = None) -> None:
    """Glossary entries (名词解释) of `lines`, and the figures stated in `lines` and `more` (prose after tables).

    The figures are read on running text: consecutive lines joined with their blanks removed, so that
    a sentence wrapped across lines is read whole; each figure keeps the line where its match starts.
    """
    in_glossary = False
    glossary_entry = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(.+?)[：:]\s*(.+)$")
    for line in lines:
        text = line.text.strip()
        if GLOSSARY_HEADING.match(text):
            in_glossary = True
            continue
        if in_glossary:
            m = glossary_entry.match(text)
            if m:
                term = m.group(1).strip()
                doc.definitions.append(Definition(len(doc.definitions) + 1, line.number, term, m.group(2).strip(),
                                                  glossary_concepts().get(normalise(term))))
                continue
            if text.startswith(("附件", "第")):
                in_glossary = False
            continue
    found: list[tuple[int, int, int, Statement]] = []
    for run in _runs(list(lines)) + _runs(list(more or [])):
        for p, (figure, pattern, options) in enumerate(narrative_patterns()):
            for m in pattern.finditer(run.text):
                first, last = run.line_at(m.start()), run.line_at(max(m.start(), m.end() - 1))
                sentence = "".join(l.text.strip() for l in run.lines[first:last + 1])
                st = _statement(doc, m, figure, options, run.lines[first].number, sentence)
                if st is not None:
                    found.append((st.line, p, m.start(), st))
    for _, _, _, st in sorted(found, key=lambda f: f[:3]):  # by line, then pattern, then place
        st.k = len(doc.statements) + 1
        doc.statements.append(st)


def _statement(doc: DocumentRecords, m: re.Match, figure: str, options: dict, line: int, sentence: str) -> Statement | None:
    groups = m.groupdict()
    unit = options.get("unit", "万元")
    st = Statement(k=0, line=line, figure=figure, sentence=sentence, printed=m.group(0), unit=unit)
    if groups.get("amount") is not None:
        if unit in UNIT_FACTORS:
            st.amount = parse_amount(groups["amount"], unit)
        else:
            st.quantity = Decimal(groups["amount"].replace(",", ""))
    if groups.get("share") is not None:
        st.share = Decimal(groups["share"])
    sign = -1 if groups.get("direction") in ("减少", "下降") else 1
    if groups.get("change") is not None:
        st.change = sign * parse_amount(groups["change"], unit)
    elif groups.get("direction") == "持平":  # “与2024年预算持平”: a change of 0
        st.change = Decimal(0)
    if groups.get("change_share") is not None:
        st.change_share = sign * Decimal(groups["change_share"])
    if groups.get("year") is not None:
        st.compared_year = groups["year"]
    if groups.get("fclass") is not None:
        printed = "".join(groups.get(k) or "" for k in ("fclass_code", "fsection_code", "fitem_code")) or None
        st.function_code = resolve_function_code(doc, groups["fclass"], groups.get("fsection"), groups.get("fitem"), printed)
    return st


# --- the document --------------------------------------------------------------------------
