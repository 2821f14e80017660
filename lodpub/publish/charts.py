"""The charts of the landing page: SVG drawn in Python from sums of the rows of budget-lines.csv
(taken as the data package is written, so that the page costs no pass over the store)."""

from __future__ import annotations

import csv
import html
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable

from .columns import COLUMN_NAMES
from .manifest import CSV_ENCODING

# Departments drawn on the page: beyond this, the largest (by the sum of their function chart)
MAX_CHARTED_DEPARTMENTS = 30
NAMED = "name:"  # the key of a unit charted by its printed name (it has no code)
PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#84cc16", "#ec4899"]


def wanyuan(yuan: Decimal | str) -> str:
    """元 → “3,385.51”（万元, two decimals, thousands separated）."""
    value = (Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _series_label(year: str, phase: str) -> str:
    return f"{year} 年{phase or ''}"


def bar_chart(
    categories: list[tuple[str, str]],
    series: list[str],
    values: dict[tuple[str, str], Decimal],
    title: str,
    colours: list[str] | None = None,
    width: int = 1000,
    narrow: bool = False,
) -> str:
    """Horizontal bars: one group per category (key, label), one bar per series (years side by side);
    `narrow`: each category's label above its bars (for a phone's width)."""
    colours = colours or PALETTE
    label_w = 0 if narrow else min(max([_text_width(label, 15) for _, label in categories] + [120]) + 24, 460)
    value_w, bar_h, gap, group_gap, top = 130, 22, 4, 14, 8
    plot_w = width - label_w - value_w
    biggest = max([v for v in values.values()] + [Decimal(1)])
    group_h = len(series) * bar_h + (len(series) - 1) * gap + (22 if narrow else 0)
    height = top + len(categories) * (group_h + group_gap) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{e(title)}" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">'
    ]
    if not narrow:
        parts.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 4}" stroke="#9ca3af" stroke-width="1"/>')
    for i, (key, label) in enumerate(categories):
        y0 = top + i * (group_h + group_gap)
        parts.append(f'<g class="bars" data-category="{e(label)}">')
        if narrow:
            parts.append(f'<text x="0" y="{y0 + 15}" font-size="15" fill="#1f2937">{e(label)}</text>')
            y0 += 22
        else:
            parts.append(f'<text x="{label_w - 10}" y="{y0 + group_h / 2 + 5:.1f}" text-anchor="end" font-size="15" fill="#1f2937">{e(label)}</text>')
        for j, s in enumerate(series):
            v = values.get((key, s))
            if v is None:
                continue
            y = y0 + j * (bar_h + gap)
            w = max(float(v / biggest) * plot_w, 1.5 if v > 0 else 0)
            colour = colours[j % len(colours)]
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
                f"<title>{e(label)} {e(s)}: {wanyuan(v)} 万元</title></rect>"
            )
            parts.append(f'<text x="{label_w + w + 8:.1f}" y="{y + bar_h / 2 + 5:.1f}" font-size="14" fill="#374151">{wanyuan(v)} 万元</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(rows: list[tuple[str, list[tuple[str, Decimal]]]], title: str, colours: list[str], width: int = 1000, narrow: bool = False) -> str:
    """One stacked horizontal bar per row (label, [(part label, value)]): a part's share is written
    in it where it fits, and under the bar each part's name, amount and share beside its colour
    (never cut off by a narrow part; a line of its own when the row is too long for one); `narrow`:
    each row's label above its bar."""
    label_w, bar_h, gap, top, size, line_h = 0 if narrow else 160, 30, 14, 6, 14, 22
    plot_w = width - label_w - 20
    biggest = max([sum(v for _, v in parts) for _, parts in rows] + [Decimal(1)])
    out, y = [], top
    for label, parts in rows:
        total = sum(v for _, v in parts) or Decimal(1)
        if narrow:
            out.append(f'<text x="0" y="{y + 15}" font-size="15" fill="#1f2937">{e(label)}</text>')
            y += 22
        else:
            out.append(f'<text x="{label_w - 10}" y="{y + bar_h / 2 + 5:.1f}" text-anchor="end" font-size="15" fill="#1f2937">{e(label)}</text>')
        x = float(label_w)
        captions = []
        for j, (name, v) in enumerate(parts):
            w = float(v / biggest) * plot_w
            share = float(v / total * 100)
            colour = colours[j % len(colours)]
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                f"<title>{e(label)} {e(name)}: {wanyuan(v)} 万元 ({share:.1f}%)</title></rect>"
            )
            if w > _text_width(f"{share:.1f}%", size) + 12:
                out.append(f'<text x="{x + 6:.1f}" y="{y + bar_h / 2 + 5:.1f}" font-size="{size}" fill="#fff">{share:.1f}%</text>')
            captions.append((colour, f"{name} {wanyuan(v)} 万元 · {share:.1f}%"))
            x += w
        y += bar_h + 6
        cx = float(label_w)
        for colour, text in captions:
            room = 12 + 6 + _text_width(text, size) + 24
            if cx > label_w and cx + room > width:
                cx, y = float(label_w), y + line_h
            out.append(f'<rect x="{cx:.1f}" y="{y + 4}" width="12" height="12" rx="2" fill="{colour}"/>')
            out.append(f'<text class="part" x="{cx + 18:.1f}" y="{y + 15}" font-size="{size}" fill="#374151">{e(text)}</text>')
            cx += room
        y += line_h + gap
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{e(title)}" width="100%" '
        f'viewBox="0 0 {width} {y}" preserveAspectRatio="xMinYMin meet">'
    )
    return head + "".join(out) + "</svg>"


def _text_width(text: str, size: float) -> float:
    """Rough width in px of text at a font size: CJK characters are square, the rest about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in text)


def _legend(series: list[str], colours: list[str] | None = None) -> str:
    colours = colours or PALETTE
    return (
        '<div class="legend">' + "".join(f'<span><i style="background:{colours[j % len(colours)]}"></i>{e(s)}</span>' for j, s in enumerate(series)) + "</div>"
    )


class ChartTotals:
    """The sums the charts draw, taken from the rows of budget-lines.csv as they stream past (`add`
    during the build, or `from_csv` on a publication), so that memory holds one sum per department,
    year, phase and category however many lines there are.

    - by function class: item rows of each 部门支出预算表 (expenditure-by-function) at the total over
      expenditure kinds (kind _T), summed by function class (类), as example query 01 does;
    - by budget unit: item rows of each 部门收入预算表 (income-by-unit) at the total over funding sources;
    - basic against project: item rows of each 部门支出预算表 in the 基本支出 and 项目支出 columns
      whose economic classification and project type are at their totals (the 小计 columns).
    """

    def __init__(self):
        self.functions: dict[str, dict] = defaultdict(_department_series)
        self.units: dict[str, dict] = defaultdict(_department_series)
        self.kinds: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))

    def add(self, rows: Iterable[list[str]]) -> None:
        """Rows of budget-lines.csv as lists in its column order (columns.COLUMNS)."""
        for r in rows:
            if r[_ROLE] != "item" or not r[_DEPARTMENT] or not r[_AMOUNT]:
                continue
            kind, table = r[_KIND], r[_TABLE_KIND]
            if table == "expenditure-by-function":
                if kind == "_T" and r[_CLASS]:
                    _count(self.functions[r[_DEPARTMENT]], r, r[_CLASS], r[_CLASS_NAME])
                elif kind in ("basic", "project") and r[_ECONOMIC] in ("", "_T") and r[_PROJECT_TYPE] in ("", "_T"):
                    self.kinds[r[_DEPARTMENT]][_series_label(r[_YEAR], r[_PHASE])][kind] += Decimal(r[_AMOUNT])
            elif table == "income-by-unit" and r[_FUNDING] == "_T":
                # a unit printed with a code that is no code (not digits) is no organisation of the
                # shared graph: it is charted by the name its row prints
                printed = "".join(r[_ROW_LABEL].split())
                name = r[_UNIT_NAME] or printed
                if r[_UNIT] or name:
                    _count(self.units[r[_DEPARTMENT]], r, r[_UNIT] or NAMED + name, name)

    @classmethod
    def from_csv(cls, path: Path) -> "ChartTotals":
        """The totals of a publication's budget-lines.csv, read as a stream."""
        totals = cls()
        with Path(path).open(encoding=CSV_ENCODING, newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != COLUMN_NAMES:
                raise ValueError(f"{path}: not a budget-lines.csv of this lodpub (its columns differ)")
            totals.add(reader)
        return totals


(_ROLE, _DEPARTMENT, _AMOUNT, _KIND, _TABLE_KIND, _CLASS, _CLASS_NAME, _ECONOMIC, _PROJECT_TYPE, _YEAR, _PHASE, _FUNDING, _UNIT, _UNIT_NAME, _ROW_LABEL) = (
    COLUMN_NAMES.index(c)
    for c in (
        "row_role",
        "department",
        "amount",
        "kind_code",
        "table_kind",
        "function_class_code",
        "function_class_name",
        "economic_dept_code",
        "project_type_code",
        "fiscal_year",
        "phase_name",
        "funding_code",
        "organisation_code",
        "organisation_name",
        "row_label",
    )
)


def _department_series() -> dict:
    return {"categories": {}, "series": set(), "values": defaultdict(Decimal)}


def _count(d: dict, row: list[str], key: str, label: str) -> None:
    """Add a row's amount to its category (key, shown with the smallest label seen) in its series."""
    s = _series_label(row[_YEAR], row[_PHASE])
    known = d["categories"].get(key)
    if known is None or (label and (known == key or label < known)):
        d["categories"][key] = label or key
    d["series"].add((row[_YEAR], s))
    d["values"][(key, s)] += Decimal(row[_AMOUNT])


def _both(draw, *args) -> str:
    """A chart drawn twice: wide, and narrow for a phone (the page's CSS shows the one that fits)."""
    return f'<div class="wide">{draw(*args)}</div><div class="narrow">{draw(*args, width=480, narrow=True)}</div>'


def _unit_label(key: str, name: str) -> str:
    """A unit's label in its chart: code and name; the name alone when it has no code."""
    if key.startswith(NAMED):
        return name
    return f"{key} {name}" if name and name != key else key


def charts_html(totals: ChartTotals) -> str:
    functions, units, kinds = totals.functions, totals.units, totals.kinds
    departments = sorted(set(functions) | set(units) | set(kinds))
    if not departments:
        return '<p class="note">没有可绘制的支出数据（未找到部门支出预算表或部门收入预算表）。</p>'
    parts = []
    if len(departments) > MAX_CHARTED_DEPARTMENTS:  # a national corpus: the largest departments only
        size = {d: sum(functions.get(d, {}).get("values", {}).values(), Decimal(0)) for d in departments}
        shown = set(sorted(departments, key=lambda d: (-size[d], d))[:MAX_CHARTED_DEPARTMENTS])
        parts.append(
            f'<p class="note" id="charted-departments">{len(departments):,} 个部门中支出最多的 {len(shown)} 个；'
            f"其余见 budget-lines.csv 或用 SPARQL 查询。/ The {len(shown)} largest of {len(departments):,} departments.</p>"
        )
        departments = [d for d in departments if d in shown]
    for department in departments:
        parts.append(f"<h3>{e(department)}</h3>")
        f = functions.get(department)
        if f:
            series = [s for _, s in sorted(f["series"])]
            cats = sorted(f["categories"].items(), key=lambda c: c[0])
            totals = "；".join(f"{s} 合计 {wanyuan(sum(v for (_, s2), v in f['values'].items() if s2 == s))} 万元" for s in series)
            parts.append(
                f'<figure class="chart" data-chart="function"><figcaption>按支出功能分类（类）· 万元 <small class="total">{e(totals)}</small></figcaption>'
            )
            parts.append('<p class="note">部门支出预算表的明细行按“类”汇总（与示例查询 01 相同）。</p>')
            parts.append(_legend(series) + _both(bar_chart, cats, series, f["values"], f"{department} 按功能分类") + "</figure>")
        u = units.get(department)
        if u:
            series = [s for _, s in sorted(u["series"])]
            cats = sorted(u["categories"].items(), key=lambda c: c[0])
            parts.append('<figure class="chart" data-chart="unit"><figcaption>按预算单位 · 万元</figcaption>')
            parts.append('<p class="note">部门收入预算表中各预算单位的总计（收支平衡：即各单位的预算规模）。</p>')
            parts.append(
                _legend(series) + _both(bar_chart, [(k, _unit_label(k, v)) for k, v in cats], series, u["values"], f"{department} 按预算单位") + "</figure>"
            )
        k = kinds.get(department)
        if k:
            names = {"basic": "基本支出", "project": "项目支出"}
            rows = [(s, [(names[kind], k[s][kind]) for kind in ("basic", "project") if kind in k[s]]) for s in sorted(k)]
            colours = ["#1e40af", "#f59e0b"]
            parts.append('<figure class="chart" data-chart="kind"><figcaption>基本支出与项目支出 · 万元</figcaption>')
            parts.append('<p class="note">部门支出预算表合计行中“基本支出”“项目支出”两列的小计。</p>')
            parts.append(_legend(list(names.values()), colours) + _both(stacked_bar, rows, f"{department} 基本支出与项目支出", colours) + "</figure>")
    return "\n".join(parts)
