"""Who published a document, for which year and phase: from the tables' lines naming the department,
the cover, the running titles and the file's name, in that order of trust."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse

from ..errors import LodpubError
from ..model import Line
from ..recognise.lines import DEPARTMENT
from ..recognise.text import ORG_END, ORG_ENDINGS, term

_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
_SCOPE = r"(?P<scope>部门|单位|预算单位)?(?:综合)?"
_PHASE = r"(?P<phase>调整预算|预算|决算)"
# 2026年度福州市公安局治安管理支队单位预算 | 杭州市公安局2026年度部门预算 | 西安市气象局2022年部门综合预算
_YEAR_FIRST = re.compile(_YEAR + r"(?P<org>[^，。：:；;\d]{2,40}?)" + _SCOPE + _PHASE)
_ORG_FIRST = re.compile(r"(?P<org>[^，。：:；;\d]{2,40}?)" + _YEAR + _SCOPE + _PHASE)
_QUALIFIER = re.compile(r"[（(](?:本级|汇总|部门|单位|合并)[）)]$")
PLACEHOLDER = re.compile(r"(?:[XＸ×╳*＊]{2,}|某某)")
_CONTENTS = re.compile(r"^目\s*录$")


@dataclass
class Identity:
    """Who, when, what: the organisation, the fiscal year, the phase and whether it is a unit's budget."""

    department: str | None = None
    fiscal_year: str | None = None
    phase: str | None = None  # budget | final-account | adjusted-budget
    scope: str | None = None  # 部门 | 单位: a department's budget or one unit's
    source: str = ""  # where the name was read: tables | cover | file name


def clean_org(name: str) -> str:
    """An organisation's name as printed, without blanks and a trailing (本级) / (汇总)."""
    name = re.sub(r"\s+", "", name).strip("：:，,")
    name = re.split(r"[_＿]+", name)[-1]  # 气象局_北京市气象局 (a file name's prefix)
    name = re.sub(r"^(?:附件\d*[：:]?|关于)", "", name)
    while _QUALIFIER.search(name):
        name = _QUALIFIER.sub("", name)
    return name


# an organ's full name and the short name documents print for it alike: 中国共产党江苏省委员会办公厅, 中共江苏省委办公厅
# and 江苏省委办公厅; 中国人民政治协商会议…委员会 and …政协; …人民代表大会常务委员会 and …人大常委会; …纪律检查委员会
# and …纪委; …人民政府办公厅 and …政府办公厅
_SHORT_NAMES = (
    (re.compile(r"纪律检查委员会"), "纪委"),
    (re.compile(r"^(?:中国共产党|中共)(.+?)委员会"), r"\1委"),
    (re.compile(r"^中共(.+?委)"), r"\1"),
    (re.compile(r"^中国人民政治协商会议(.+?)委员会"), r"\1政协"),
    (re.compile(r"人民代表大会常务委员会"), "人大常委会"),
    (re.compile(r"人民政府(?=办公厅|办公室)"), "政府"),
)


def org_key(name: str) -> str:
    """The name an organisation is known by whichever of its names is printed: the tables of a disclosure
    may name 中国共产党江苏省委员会办公厅 where its 情况说明 says 江苏省委办公厅."""
    key = clean_org(name)
    for pattern, short in _SHORT_NAMES:
        key = pattern.sub(short, key)
    return key


def _phase(word: str | None) -> str | None:
    return {"预算": "budget", "决算": "final-account", "调整预算": "adjusted-budget"}.get(word or "")


def parse_title(text: str) -> Identity | None:
    """The identity a title states: 2026年度福州市公安局治安管理支队单位预算, 杭州市公安局2026年度部门预算."""
    t = term(text)
    found = [m for m in (_YEAR_FIRST.search(t), _ORG_FIRST.search(t)) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    org = clean_org(m.group("org"))
    org = re.sub(r"^(?:\d+|[一二三四五六七八九十]+)[、.．]", "", org)
    if not ORG_END.search(org) or len(org) < 3:
        org = None
    return Identity(org, m.group("year"), _phase(m.group("phase")), (m.group("scope") or "").replace("预算单位", "单位") or None)


def cover_text(lines: list[Line]) -> str:
    """The cover: the first page's one-cell lines before the contents, joined (a name wrapped over two
    lines is read whole)."""
    out = []
    first_page = lines[0].page if lines else 0
    for line in lines[:12]:
        if line.page != first_page or line.is_row or _CONTENTS.match(line.text.strip()):
            break
        out.append(line.text.strip())
    return "".join(out)


# a year in a file's name printed without 年 (江苏省政协办公厅2018度部门预算公开表, 2026部门预算), or before the targets
# it sets (广州市政务服务和数据管理局2026年项目支出绩效目标表: the year's budget)
_FILE_YEAR = re.compile(r"(?<!\d)(?P<year>20\d{2})(?:年度?|度)?(?=部门|单位|综合|预算|决算|(?:项目支出|整体支出|部门整体)?绩效)")
_FILE_PHASE = re.compile(r"调整预算|决算|预算")


def file_identity(location: str) -> Identity | None:
    """The identity a file's name states: as a title says it (2026年度福州市公安局部门预算), or at
    least its year and phase where the name prints the year without 年 (…2018度部门预算公开表)."""
    name = file_title(location)
    found = parse_title(name)
    if found and found.fiscal_year:
        return found
    year = _FILE_YEAR.search(name)
    if not year:
        return found
    phase = _FILE_PHASE.search(name)
    return Identity(found.department if found else None, year.group("year"), _phase(phase.group(0)) if phase else None)


def file_title(location: str) -> str:
    """The name of a document's file without folders and suffix (URLs decoded)."""
    path = urlparse(location).path if "://" in location else location
    return PurePosixPath(unquote(path).replace("\\", "/")).stem


_NAMED = re.compile(r"(?P<org>[^，。：:；;、\d\s（）()“”]{3,30}?(?:" + ORG_ENDINGS + r"))(?:（[^）]{1,8}）)?" + _YEAR)


_ORG_IN_TEXT = re.compile(
    r"(?:^|[，。：:；;、\s“”])(?P<org>[^，。：:；;、\d\s（）()“”]{2,20}?(?:市|省|区|县|自治区|国家)[^，。：:；;、\d\s（）()“”]{1,20}?(?:"
    + ORG_ENDINGS
    + r"))(?![\u4e00-\u9fff]{0,1}(?:"
    + ORG_ENDINGS
    + r"))"
)
_YEAR_PHASE = re.compile(_YEAR + _SCOPE + _PHASE)


def stated_in_text(lines: list[Line]) -> Identity:
    """The organisation the opening pages name most often (北京市气象局属于…, 北京市气象局政府采购…)
    and the year and phase they state most often (2026年度部门预算)."""
    orgs: Counter = Counter()
    years: Counter = Counter()
    for line in lines[:150]:
        text = term(line.text)
        for m in _ORG_IN_TEXT.finditer(text):
            orgs[clean_org(m.group("org"))] += 1
        for m in _YEAR_PHASE.finditer(text):
            years[(m.group("year"), _phase(m.group("phase")))] += 1
    org = orgs.most_common(1)[0] if orgs else None
    year, phase = years.most_common(1)[0][0] if years else (None, None)
    return Identity(org[0] if org and org[1] >= 2 else None, year, phase)


def identify(table_names: list[str | None], lines: list[Line], locations: list[str], title: str) -> Identity:
    """The document's identity from what its tables, cover, title, text and file names say."""
    cover = parse_title(cover_text(lines)) or Identity()
    from_title = parse_title(title) or Identity()
    from_text = stated_in_text(lines)
    named = [i for i in map(file_identity, locations) if i]
    from_file = next((i for i in named if i.department), None) or next(iter(named), None) or Identity()
    if not from_file.department:  # 江苏省委办公厅__收支预算总表: an organisation's name in the file name
        for loc in locations:
            for part in re.split(r"[_＿\s]+", file_title(loc)):
                part = clean_org(part)
                if len(part) >= 4 and ORG_END.search(part) and not title_core_like(part):
                    from_file = Identity(part, from_file.fiscal_year, from_file.phase, from_file.scope)
                    break
    names = Counter(clean_org(n) for n in table_names if n and clean_org(n))
    ident = Identity()
    if names:
        ident.department, ident.source = names.most_common(1)[0][0], "tables"
    else:
        for candidate, source in ((cover, "cover"), (from_title, "title"), (from_text, "text"), (from_file, "file name")):
            if candidate.department:
                ident.department, ident.source = candidate.department, source
                break
    for candidate in (cover, from_title, from_text, from_file):
        ident.fiscal_year = ident.fiscal_year or candidate.fiscal_year
        ident.phase = ident.phase or candidate.phase
        ident.scope = ident.scope or candidate.scope
    return ident


def title_core_like(text: str) -> bool:
    """A table's title rather than an organisation's name (收支预算总表)."""
    return text.endswith("表")


def check_placeholders(identity: Identity, lines: list[Line], location: str) -> None:
    """Refuse a template: placeholders where the department's name and the figures should be."""
    amounts = sum(1 for line in lines for c in line.cells if re.search(r"[XＸ×]{2,}(?:\.[XＸ×]+)?\s*万?元", c))
    department = identity.department if identity.department and PLACEHOLDER.search(identity.department) else _placeholder_department(lines)
    figures = any(_MONEY.search(c) for line in lines for c in line.cells)
    if amounts >= 3 or (department and (amounts >= 1 or not figures)):
        said = f"{amounts} amounts such as XXX万元" if amounts else "no figure at all"
        raise LodpubError(
            f"{location}: a template, not a disclosure: it prints placeholders "
            f"({'the department as “' + department + '”, ' if department else ''}{said}) where a department's name and figures belong"
        )


# a figure of money anywhere: in a cell, a line of a table printed without rules, a sentence (30.50, 1,234, 12万元);
# not a year, a code or a page number
_MONEY = re.compile(r"\d\.\d|\d,\d{3}|\d\s*(?:万元|元)")


def _placeholder_department(lines: list[Line]) -> str | None:
    """The department a line of the opening pages names as a placeholder (预算主管部门：上海市普陀区XX局), or None."""
    for line in lines[:60]:
        m = DEPARTMENT.search(line.text.strip())
        if m and PLACEHOLDER.search(m.group(1)):
            return m.group(1).strip()
    return None
