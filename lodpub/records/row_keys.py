"""What identifies a row of a grid, as printed: codes in one column, in 类/款/项 columns or with their
name (completed from the rows above where a part is left blank), a name, a budget unit, a procurement
category, and the year a 年度 column gives the row."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Column, Line
from ..recognise.columns import header_cell, lexicon
from ..recognise.text import FIRST_DIGIT_OF_AXIS, ORG_END, is_amount, joined_code, normalise, split_code, split_glued_code
from .codes import load_labels
from .reader import cell

FUNCTION_PARTS = ("class", "item", "subitem")
ECON_PARTS = ("econ_class", "econ_item")
ECON_GOV_PARTS = ("econ_gov_class", "econ_gov_item")
NAME_KEYS = ("name", "econ_dept_name", "econ_gov_name", "label", "project_name")


def _code_part(text: str, two_digits: bool) -> str:
    """A printed code cell; a 款 or 项 printed with one digit (“7” for 07) is the two-digit code it stands for."""
    return text.zfill(2) if two_digits and len(text) == 1 and text.isdigit() else text


class _Codes:
    """The codes of a row, from whichever columns print them; parts left blank (a 款 row printing
    only “03”) are completed from the rows above. A part may print the whole code down to it (款
    20103, 项 2010301, as some regions fill the 类/款/项 columns): its digits are the parts above too."""

    def __init__(self):
        self.last: dict[str, str] = {}

    def parts(self, line: Line, keys: dict[str, int], names: tuple[str, ...]) -> str:
        printed = [_code_part(cell(line, keys.get(k)), n > 0) for n, k in enumerate(names)]
        present = [n for n, p in enumerate(printed) if p]
        if not present:
            return ""
        if not all(printed[n].isdigit() for n in present):
            return "".join(printed)  # “合计” printed across the code columns: not a code
        for n in present:
            whole = printed[n]
            if n > 0 and len(whole) == 3 + 2 * n:  # a 款 printed as 20103, a 项 as 2010301: the whole code, its parts above in it
                printed[: n + 1] = [whole[:3]] + [whole[1 + 2 * m : 3 + 2 * m] for m in range(1, n + 1)]
        present = [n for n, p in enumerate(printed) if p]
        for n in range(present[0]):  # the parts above, from the rows before
            printed[n] = self.last.get(names[n], "")
        for n in present:
            self.last[names[n]] = printed[n]
        for k in names[present[-1] + 1 :]:
            self.last.pop(k, None)
        return "".join(printed[: present[-1] + 1])


@dataclass
class RowKeys:
    """What identifies a row of a grid, as printed: codes (completed from the rows above), a name."""

    name: str = ""
    sublabel: str = ""  # the text of a header-less column beside the label (一般公共预算资金 | 小计)
    function: str = ""
    econ_dept: str = ""
    econ_gov: str = ""
    unit_code: str = ""
    unit_name: str = ""
    procurement: str = ""  # goods | works | services
    service: str = ""  # the deepest code of the catalogue of purchased services


# what may print around a category's word: an ordinal, its catalogue letter, 类
_CATEGORY_DECOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])|[ABC]|[-－—_、:：\s]|类$")


def procurement_category(text: str) -> str:
    """goods, works or services for a printed category (A-货物, 一、货物A, 服务, 货物类, C); never for a name
    that merely contains the word (苏州市便民服务中心, a unit printed in the category's column)."""
    categories = load_labels().get("procurement_categories") or {}
    split = split_code(text)
    if split and split[0] in categories:
        return categories[split[0]]
    key = normalise(text)
    if key in categories:
        return categories[key]
    bare = _CATEGORY_DECOR.sub("", key)
    for word, notation in categories.items():
        if len(word) > 1 and bare == word:
            return notation
    return ""


# the first digit of every code of a classification: function 2xx, economic (department) 3xx, (government) 5xx
_FIRST_DIGIT = {"function": FIRST_DIGIT_OF_AXIS["function"], "econ_dept": FIRST_DIGIT_OF_AXIS["economic-dept"], "econ_gov": FIRST_DIGIT_OF_AXIS["economic-gov"]}


class KeyReader:
    """Reads the key cells of the rows of one group of columns, in order (parts of codes printed in
    类/款/项 columns are completed from the rows above)."""

    def __init__(self, keys: dict[str, int], columns: list[Column] | None = None):
        self.keys = keys
        cols = columns or []
        self.procurement_cols = [c.index for c in cols if c.role == "key" and c.axis == "procurement"]
        self.service_cols = [c.index for c in cols if c.role == "key" and c.axis == "purchased-service" and c.key == "codename"]
        self.function_parts, self.econ_parts, self.econ_gov_parts = _Codes(), _Codes(), _Codes()
        self.inherited: dict[str, str] = {}
        self.last_function = ""  # the last function code read in full: the class a 款 printed by two digits is of
        # columns without a header right of a label column: sub-labels (一般公共预算资金 | 小计, then
        # “ | 公共财政拨款资金” under it), the label of a row whose label column is blank
        label = keys.get("label")
        self.sublabel_cols = [c.index for c in cols if label is not None and c.index > label and c.role == "none" and not any(h.strip() for h in c.header)]

    def _codename(self, line: Line, key: str, name: str) -> tuple[str, str]:
        text = cell(line, self.keys.get(key))
        split = split_code(text) or split_glued_code(text)  # (a column of code and name: 2010301行政运行 is both)
        return (split[0], name or split[1]) if split else (text, name)

    def _parts_over_name(self, line: Line, names: tuple, parts: "_Codes", printed: str, name: str) -> tuple[str, str]:
        """The code the 类/款/项 columns print, where the code-and-name column printed a name only (烟台: 科目编码
        类 | 款 beside 部门预算支出经济分类科目); that name stays the row's name."""
        code = parts.parts(line, self.keys, names)
        if not code:
            return printed, name
        return code, name or printed

    def _function_code(self, k: RowKeys) -> str:
        """西安 (2019): one code column prints a unit's code over its lines (125001 西安市安全生产监督管理局: the
        unit's, `_unit_in_code_column`), each class in full (208) and each 款 by its own two digits (05 行政事业单位
        离退休, then 2080505 …): two digits after a class (or after a 项 of that class) are a 款 of the class.
        Two digits after a 款 are left as printed: a sibling 款 or a 项, who can say."""
        code = k.function
        if _unit_in_code_column(k, code):
            self.last_function = ""
            return ""
        if len(code) == 2 and len(self.last_function) in (3, 7):
            code = self.last_function[:3] + code
        if len(code) in (3, 5, 7):
            self.last_function = code
        return code

    def read(self, line: Line) -> RowKeys:
        keys = self.keys
        k = RowKeys()
        k.name = next((cell(line, keys.get(n)) for n in NAME_KEYS if cell(line, keys.get(n))), "")
        if self.sublabel_cols:
            k.sublabel = next((cell(line, j) for j in self.sublabel_cols if cell(line, j) and not is_amount(cell(line, j))), "")
            if not k.name:
                k.name = k.sublabel
        k.unit_code = cell(line, keys.get("unit_code"))
        k.unit_name = cell(line, keys.get("unit_name"))
        k.function = joined_code(cell(line, keys.get("function_code")))
        if not k.function and "function_codename" in keys:
            k.function, k.name = self._codename(line, "function_codename", k.name)
        if not k.function.isdigit() and any(n in keys for n in FUNCTION_PARTS):  # a codename column may hold the name only
            k.function, k.name = self._parts_over_name(line, FUNCTION_PARTS, self.function_parts, k.function, k.name)
        k.econ_dept = joined_code(cell(line, keys.get("econ_dept")))
        if not k.econ_dept and "econ_dept_codename" in keys:
            k.econ_dept, k.name = self._codename(line, "econ_dept_codename", k.name)
        if not k.econ_dept.isdigit() and any(n in keys for n in ECON_PARTS):  # a codename column may hold the name only
            k.econ_dept, k.name = self._parts_over_name(line, ECON_PARTS, self.econ_parts, k.econ_dept, k.name)
        k.econ_gov = joined_code(cell(line, keys.get("econ_gov")))
        if not k.econ_gov and "econ_gov_codename" in keys:
            k.econ_gov, _ = self._codename(line, "econ_gov_codename", "")
        if not k.econ_gov.isdigit() and any(n in keys for n in ECON_GOV_PARTS):  # a codename column may hold the name only
            k.econ_gov, k.name = self._parts_over_name(line, ECON_GOV_PARTS, self.econ_gov_parts, k.econ_gov, k.name)
        if k.name and not (k.function or k.econ_dept or k.econ_gov):
            axis = "econ_dept" if "econ_dept_name" in keys or "econ_dept" in keys else "econ_gov" if "econ_gov_name" in keys else "function"
            split = split_code(k.name)  # “[201]一般公共服务支出” printed in the name column
            if split is None:  # 2010301行政运行: a code of the table's classification run into its name
                split = split_glued_code(k.name)
                split = split if split and split[0][0] == _FIRST_DIGIT[axis] else None
            if split and split[0].isdigit() and len(split[0]) >= 3:
                code, k.name = split
                setattr(k, axis, code)
        if k.function and not k.function.isdigit():  # “合计” printed in the code columns
            k.name, k.function = k.name or k.function, ""
        if "function_code" in keys:
            k.function = self._function_code(k)
        if "econ_dept" in keys and _unit_in_code_column(k, k.econ_dept):
            k.econ_dept = ""
        if k.econ_dept and not k.econ_dept.isdigit():
            k.name, k.econ_dept = k.name or k.econ_dept, ""
        if k.econ_gov and not k.econ_gov.isdigit():
            k.name, k.econ_gov = k.name or k.econ_gov, ""
        if "econ_dept" in keys and not k.econ_dept and k.econ_gov:
            k.econ_dept = self.inherited.get("econ_dept", "")  # a code cell merged over two rows
        if k.econ_dept:
            self.inherited["econ_dept"] = k.econ_dept
        if not k.name and k.unit_name and not k.unit_code:
            k.name = k.unit_name
        for j in self.procurement_cols:
            k.procurement = k.procurement or procurement_category(cell(line, j))
        for j in self.service_cols:  # 01-公共服务 | 0115-公共信息与宣传服务: the deepest code
            split = split_code(cell(line, j))
            if split and split[0].isdigit():
                k.service = split[0]
        return k


def _unit_in_code_column(k: RowKeys, code: str) -> bool:
    """西安 (2019): a six-digit code in a column of function or economic codes, beside an organisation's name, is
    the unit's (125001 西安市安全生产监督管理局 over its lines): it becomes the row's unit code."""
    if len(code) != 6 or k.unit_code or not ORG_END.search(k.name or ""):
        return False
    k.unit_code, k.unit_name = code, k.unit_name or k.name
    return True


_YEAR_CELL = re.compile(r"^(\d{4})年?度?$")


def year_of_row(printed: str) -> tuple[str | None, str | None]:
    """The year a row's 年度 cell prints (2025年), or why its figures are no budget figures (增减变化金额:
    a change between two printed figures), or None for a blank cell."""
    text = normalise(printed)
    if not text:
        return None, None
    m = _YEAR_CELL.match(text)
    if m:
        return m.group(1), None
    meaning = lexicon().get(header_cell(printed).key)
    if meaning is not None and meaning.ignore:
        return None, f"not a budget figure: {meaning.ignore} (the row's 年度 cell “{printed}”)"
    return None, f"the row's 年度 cell “{printed}” names no year"
