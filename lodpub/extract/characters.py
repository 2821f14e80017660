"""The characters a document means: what a font's Unicode map gave in place of the ordinary ones.

Word and WPS documents set in some fonts (微软雅黑, 方正 …) carry a Unicode map that gives the
Kangxi radical (U+2F00–U+2FD5) or the CJK radical (U+2E80–U+2EF3) of the same shape instead of
the ideograph: the page shows 部门 and 一般公共预算支出, the text reads 部⻔ and ⼀般公共预算⽀出,
and no table title, row label or code name matches. Such characters are read as the ideograph
they show (Unicode's compatibility mapping for the Kangxi radicals and compatibility ideographs;
the table below for the simplified radicals, which have none). Fullwidth digits (２０２６) are
digits, a figure typed with fullwidth marks (1，234.00, －12.50; in a sentence, an amount of money:
收入4，212.99万元) is that figure, and invisible characters a copy or an export leaves inside words (zero-width space,
joiners, a byte-order mark) are dropped. What no font prints, a control character or half of a UTF-16
surrogate pair (a damaged font map or content stream gives them), is the replacement character �,
as a decoder writes a byte it cannot read: every output format can carry it. Nothing else changes: fullwidth punctuation （：） stays
as printed, and so does a dash for nothing (－).
"""

from __future__ import annotations

import re
import unicodedata

from ..model import ExtractedDocument, Line

# CJK radicals (U+2E80 block) that stand for a whole simplified character, and that character
SIMPLIFIED_RADICALS = {
    "⺟": "母",
    "⺠": "民",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻉": "贝",
    "⻋": "车",
    "⻓": "长",
    "⻔": "门",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻬": "齐",
    "⻮": "齿",
    "⻰": "龙",
    "⻳": "龟",
}
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): "" for c in INVISIBLE}
    table.update({ord(k): v for k, v in SIMPLIFIED_RADICALS.items()})
    table.update({0xFF10 + d: str(d) for d in range(10)})
    unreadable = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000)]
    table.update({code: "\ufffd" for code in unreadable})  # tab, line feed and carriage return stay: a spreadsheet cell wraps
    for first, last in ((0x2F00, 0x2FD5), (0xF900, 0xFAD9), (0x2F800, 0x2FA1D)):
        for code in range(first, last + 1):
            meant = unicodedata.normalize("NFKC", chr(code))
            if meant != chr(code):
                table[code] = meant
    return table


TABLE = _table()
_MAPPED = frozenset(map(chr, TABLE))  # the characters TABLE maps (a set: a regular expression of 3,000 characters took 30 times as long)


# a cell that is a figure typed with fullwidth marks: 1，234.00, －12.50, 3．5
_WIDE_FIGURE = re.compile(r"^\s*[－-]?\d[\d,，]*(?:[.．]\d+)?\s*$")
_WIDE_MARKS = str.maketrans({"，": ",", "－": "-", "．": "."})


# an amount of money in a sentence typed with fullwidth marks: 收入4，212.99万元, 2754．1万元
_WIDE_AMOUNT = re.compile(r"\d{1,3}(?:[，,]\d{3})+(?:[.．]\d+)?(?=\s*(?:万元|亿元|千元|元))|\d+．\d+(?=\s*(?:万元|亿元|千元|元|%|％))")


def meant(text: str) -> str:
    """The text with every character read as the one it shows."""
    if not _MAPPED.isdisjoint(text):
        text = text.translate(TABLE)
    if text.isascii():
        return text
    if _WIDE_FIGURE.match(text):
        return text.translate(_WIDE_MARKS)
    if "，" in text or "．" in text:
        text = _WIDE_AMOUNT.sub(lambda m: m.group().translate(_WIDE_MARKS), text)
    return text


def with_meant_characters(document: ExtractedDocument) -> ExtractedDocument:
    """The document with its lines' text as `meant` reads it (the same object when nothing changes)."""
    lines = []
    changed = False
    for line in document.lines:
        cells = tuple(meant(c) for c in line.cells)
        if cells != line.cells:
            changed = True
            line = Line(line.page, line.number, cells, line.file)
        lines.append(line)
    if changed:
        document.lines = lines
    return document
