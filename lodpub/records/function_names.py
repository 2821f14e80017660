"""Which function code (支出功能分类) a sentence of the narrative names: by the digits printed with
the names, else by the names of its 类, 款 and 项, looked up among the document's own lines and then
in the national lists."""

from __future__ import annotations

import re

from .codes import function_class_by_name, generic_item, name_key, national_names
from .model import TOTAL, DocumentRecords


ORDINAL = re.compile(r"(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．）)]|[.．、，,：:）)”“\s])+")


def printed_name(name: str | None) -> str | None:
    """A 类/款/项 name as the sentence prints it, without the ordinal or punctuation before it."""
    if not name:
        return None
    m = ORDINAL.match(name)
    return (name[m.end() :] if m else name).strip() or None


def _name_variants(name: str) -> list[str]:
    """The name as compared with code names, with and without a trailing 支出 (养老保险缴费 / 养老保险缴费支出)."""
    key = name_key(name)
    other = key[:-2] if key.endswith("支出") else key + "支出"
    return [key, other]


class FunctionNames:
    """The names of function codes a document's tables print (code → names), to resolve the names a
    sentence prints before the national lists (mappings/codes/function*.csv) are asked."""

    def __init__(self, doc: DocumentRecords):
        self.names: dict[str, set[str]] = {}
        for o in doc.observations:
            code = o.dims.get("lp:functionalClassification")
            if code and code != TOTAL and code.isdigit() and o.row_label:
                self.names.setdefault(name_key(o.row_label), set()).add(code)

    def code(self, name: str, parent: str, length: int) -> str | None:
        """The one code of `length` digits under `parent` printed with `name`: the document's names
        first, then the national names (with former names); None when none or several."""
        sources = (self.names, national_names().get("function", {}))
        for source in sources:
            found = sorted({c for key in _name_variants(name) for c in source.get(key, ()) if len(c) == length and c.startswith(parent)})
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return None
        if length == 7:  # 行政运行 → the 款 + 01, 其他…支出 → the 款 + 99
            found = generic_item(name_key(name), parent)
            return found if found and found.startswith(parent) else None
        return None


def resolve_function_code(
    doc: DocumentRecords,
    class_name: str | None,
    section_name: str | None,
    item_name: str | None,
    printed_code: str | None = None,
    names: FunctionNames | None = None,
) -> str | None:
    """The code of the 类, 款 or 项 a sentence names (the most specific level it names).

    Digits printed with the names (公共安全支出（204类）司法（06款）…, 行政运行（2014001）) are the code; else the
    类 by its name (function_class_by_name, with former names), the 款 and 项 by their names under it: among the
    document's own function lines first, then in the national lists. None when a level is not found or
    the names leave several codes.
    """
    names = names or FunctionNames(doc)
    printed_code = printed_code or ""
    if len(printed_code) == 7 or (len(printed_code) == 5 and item_name is None) or (len(printed_code) == 3 and not section_name and not item_name):
        return printed_code
    class_code = printed_code[:3] if len(printed_code) >= 3 else (function_class_by_name(class_name) if class_name else None)
    if class_code is None:
        return None
    code = class_code
    if len(printed_code) >= 5:
        code = printed_code[:5]
    elif section_name:
        code = names.code(section_name, class_code, 5)
        if code is None:
            return None
    if item_name:
        return names.code(item_name, code, 7)
    return code
