"""How printed text is compared: normalised titles, header terms, figures and codes."""

from __future__ import annotations

import re
from functools import lru_cache

_BLANKS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u201c": "“", "\u201d": "”", '"': "“", "「": "“", "」": "”", "'": "“"})
_WIDE = str.maketrans({"(": "（", ")": "）", ":": "：", "﹙": "（", "﹚": "）", "[": "［", "]": "］", "≧": "≥", "≦": "≤"})
# a leading ordinal: 一、 （一） (1) 1. 1、 表1 表1： 附表1
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|表\s*\d+(?:[-—－]\d+)?[、.．:：]?|附表\s*\d*[、.．:：]?)"
)
# a figure: 4,212.99; -20,442.30; 0; 32,365.090089; 120258,600 (上海: one separator, before the last three digits)
AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+(?:,\d{3})?)(?:\.\d+)?$")
CODE = re.compile(r"^\d{3,}$")
# a code printed with its name in one cell: 2010801-行政运行, [201]一般公共服务支出, 2010801 行政运行,
# 11000022T000000460216-《北京审计》杂志办刊经费 (a project), [292]国家信访局 (a department)
_BRACKETED_CODE = re.compile(r"^[\[［【]\s*([0-9A-Z]{2,})\s*[\]］】]\s*(\S.*)$")
_CODE_DASH_NAME = re.compile(r"^([0-9]{2,}|[0-9A-Z]{8,}|[A-Z])\s*[-—－_]\s*(\D.*)$")
_CODE_SPACE_NAME = re.compile(r"^(\d{3,7})\s+([^\d\s].*)$")
# a function or economic code printed by its parts with blanks between (201 03 01, 301 01), alone or before its name
_SPACED_CODE = re.compile(r"^(\d{3}[ \u3000]+\d{2}(?:[ \u3000]+\d{2})?)$")
_SPACED_CODE_NAME = re.compile(r"^(\d{3}[ \u3000]+\d{2}(?:[ \u3000]+\d{2})?)[ \u3000]+([^\d\s].*)$")
# How the name of an organisation ends (西安市交通运输局, 广州市胸科医院, …)
ORG_ENDINGS = "局|委员会|委|办公室|办公厅|厅|院|部|中心|站|所|队|支队|会|处|政府|办事处|馆|社|团|室|署|府|联合会|协会|学校|大学|医院|台|园|场|公司|集团"
ORG_END = re.compile(f"({ORG_ENDINGS})$")
# printed for “nothing”: a dash
NIL = frozenset({"-", "—", "--", "－", "——", "―", "/", "／", "*", "**", "***"})


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Text as compared with labels: no blanks, one kind of quote, no leading ordinal, no trailing colon."""
    text = _BLANKS.sub("", text).translate(_QUOTES)
    # straight quotes were mapped to “; make a closing quote after the word for “三公”
    text = re.sub(r"“([^“”]*)“", r"“\1”", text)
    return _ORDINAL.sub("", text).rstrip(":：")


@lru_cache(maxsize=1 << 16)
def term(text: str) -> str:
    """Text as compared with the terms of a vocabulary (titles, headers, row labels): `normalise`d,
    with full-width brackets and colons."""
    return normalise(text).translate(_WIDE)


# a negative figure as accounting formats print it: (12.00) and △12.00 for -12.00; bracketed only with its
# decimals, as (1) is a number of a note or a column
_UNSIGNED = r"(?:\d{1,3}(?:,\d{3})+|\d+)"  # the digits of a figure before its point: 4,212 or 4212
_NEGATIVE = re.compile(rf"^(?:[(（]({_UNSIGNED}\.\d+)[)）]|△({_UNSIGNED}(?:\.\d+)?))$")


def signed(figure: str) -> str:
    """A figure with its minus sign where it prints a negative as (12.00) or △12.00; other text as given."""
    m = _NEGATIVE.match(figure)
    return "-" + (m.group(1) or m.group(2)) if m else figure


def is_amount(cell: str) -> bool:
    """Is the cell a figure as tables print them (4,212.99; -20,442.30; 0; 32,365.090089; (12.00))?"""
    return bool(AMOUNT.match(signed(cell.replace(" ", ""))))


@lru_cache(maxsize=1 << 16)
def split_code(cell: str) -> tuple[str, str] | None:
    """(code, name) of a cell that prints a code and its name together, else None."""
    text = cell.strip()
    for pattern in (_BRACKETED_CODE, _CODE_DASH_NAME, _SPACED_CODE_NAME, _CODE_SPACE_NAME):
        m = pattern.match(text)
        if m:
            return _BLANKS.sub("", m.group(1)), m.group(2).strip()
    return None


def joined_code(cell: str) -> str:
    """A code cell as one code: 201 03 01 (the 类, 款 and 项 printed with blanks between) is 2010301;
    any other text as it is."""
    m = _SPACED_CODE.match(cell.strip())
    return _BLANKS.sub("", m.group(1)) if m else cell


# The national classifications' codes: a class (类) of three digits, then two for each level below (款, 项),
# and the first digit tells the classification: 2xx the functions (功能分类), 3xx the department's economic
# classes (部门预算支出经济分类), 5xx the government's (政府预算支出经济分类)
CLASSIFICATION_CODE_LENGTHS = (3, 5, 7)
_CLASSIFICATION_DIGITS = "|".join(rf"\d{{{n}}}" for n in CLASSIFICATION_CODE_LENGTHS)
CLASSIFICATION_CODE = re.compile(rf"^(?:{_CLASSIFICATION_DIGITS})$")
FIRST_DIGIT_OF_AXIS = {"function": "2", "economic-dept": "3", "economic-gov": "5"}
UNIT_CODE_LENGTHS = (3, 6, 9)  # a budget unit's code: the department's three digits, a unit's six or nine

# a code run into its name in a column that prints both (2010301行政运行, 30101基本工资): a class, 款 or 项
# of the function or economic classification, then a CJK character, a bracket or a quote
_GLUED_CODE_NAME = re.compile(rf"^({_CLASSIFICATION_DIGITS})([\u4e00-\u9fff（(“].*)$")


@lru_cache(maxsize=1 << 16)
def split_glued_code(cell: str) -> tuple[str, str] | None:
    """(code, name) of a cell of a code-and-name column that prints the code run into the name
    (2010301行政运行), else None. Only where the column says it holds both: elsewhere 100人 is no code."""
    m = _GLUED_CODE_NAME.match(cell.strip())
    return (m.group(1), m.group(2).strip()) if m else None


def is_nil(cell: str) -> bool:
    """A cell that prints a dash for nothing."""
    return cell.strip() in NIL


_ORDINAL_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+\s*[、.．]"),  # 一、
    re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]"),  # （一）
    re.compile(r"^\d+\s*[.、．]"),  # 1.  1、
    re.compile(r"^[（(]\s*\d+\s*[)）]"),  # （1）
)


def ordinal_level(label: str) -> int:
    """How deep a label's printed ordinal numbers it: 0 without one, 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）."""
    text = label.strip()
    return next((n for n, pattern in enumerate(_ORDINAL_LEVELS, start=1) if pattern.match(text)), 0)
