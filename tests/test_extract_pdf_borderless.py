"""Tables printed without rules (a report system's export, a Word table with its borders off): read
when their columns show in the white space and each column has a heading of its own; otherwise
reported, never guessed. PDFs made here with a Chinese font the reader knows without embedding it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lodpub.extract import pdf as pdfx
from lodpub.pipeline import process
from test_extract_pdf import _pdf_file, source

COLUMNS = (40, 110, 330, 410, 490)  # left edges; figures are set flush right in their 60-point columns


def cjk_pdf(path: Path, items: list[tuple[float, float, str, int]]) -> Path:
    """A one-page A4 PDF of (x, y, text, size), in STSong-Light (not embedded; UniGB-UCS2-H)."""
    content = b"".join(b"BT /F1 %d Tf %.1f %.1f Td <%s> Tj ET\n" % (size, x, y, text.encode("utf-16-be").hex().encode()) for x, y, text, size in items)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        b" /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >>",
    ]
    path.write_bytes(_pdf_file(objs))
    return path


def table(rows: list[tuple[str, ...]], above: list[tuple[str, ...]] = (), wrapped: str = "") -> list[tuple[float, float, str, int]]:
    """A department's general-public-budget table without rules: title, unit, headings, rows (a row's
    label wrapped onto a closer second line when it is `wrapped`)."""
    items = [(150, 800, "某某市某某局2026年部门预算", 14), (200, 780, "一般公共预算支出表", 14), (480, 755, "单位：万元", 10)]
    y = 730
    for row in [*above, *rows]:
        for x, text in zip(COLUMNS, row):
            if text:
                width = len(text) * (5 if text[0].isdigit() or text[0] == "-" else 10)
                items.append((x + 60 - width if x >= 330 else x, y, text, 10))
        y -= 12 if row[1] == wrapped else 20
    return items


HEADINGS = ("科目编码", "科目名称", "合计", "基本支出", "项目支出")
ROWS = [
    ("", "合计", "30.50", "20.00", "10.50"),
    ("201", "一般公共服务支出", "30.50", "20.00", "10.50"),
    ("20103", "政府办公厅（室）及相关", "30.50", "20.00", "10.50"),
    ("", "机构事务", "", "", ""),
    ("2010301", "行政运行", "20.00", "20.00", ""),
    ("2010302", "一般行政管理事务", "10.50", "", "10.50"),
]


def budget_lines(path: Path) -> list[tuple]:
    result = process(str(path), validate=False, keep_records=True)
    assert result.ok, result.error
    return sorted((o.amount, o.role, sorted(o.dims.items())) for o in result.records.observations), result.records


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_table_without_rules_reads_as_its_rows(tmp_path, backend):
    path = cjk_pdf(tmp_path / "某某市某某局2026年部门预算.pdf", table([HEADINGS, *ROWS], wrapped="政府办公厅（室）及相关"))
    rows = [ln.cells for ln in pdfx.extract(source(path), backend=backend).lines if ln.is_row]
    assert rows == [HEADINGS, *ROWS[:2], ("20103", "政府办公厅（室）及相关机构事务", "30.50", "20.00", "10.50"), *ROWS[4:]]


def test_a_table_without_rules_gives_the_budget_lines_of_the_same_table_with_tabs(tmp_path):
    """The same budget lines, codes and kinds of expenditure as the table given as text with tabs."""
    pdf, _ = budget_lines(cjk_pdf(tmp_path / "某某市某某局2026年部门预算.pdf", table([HEADINGS, *ROWS], wrapped="政府办公厅（室）及相关")))
    text = tmp_path / "某某市某某局2026年部门预算.txt"
    rows = [HEADINGS, *ROWS[:2], ("20103", "政府办公厅（室）及相关机构事务", "30.50", "20.00", "10.50"), *ROWS[4:]]
    text.write_text("某某市某某局2026年部门预算\n一般公共预算支出表\n单位：万元\n" + "\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    tabs, _ = budget_lines(text)
    assert pdf == tabs and len(pdf) == 13
    assert (Decimal("200000.00"), "item", [("lp:expenditureKind", "basic"), ("lp:functionalClassification", "2010301")]) in [
        (a, r, [d for d in dims if d[1] not in ("_T", "") and d[0] != "lp:fundingSource"]) for a, r, dims in pdf
    ]


@pytest.mark.parametrize(
    "above",
    [
        [("", "", "", "支出", "")],  # a heading over several columns: which columns it covers cannot be told
        [("", "", "", "", "")],
    ],
)
def test_headings_over_two_levels_are_not_guessed(tmp_path, above):
    """Headings over two levels (基本支出 over 人员经费 | 公用经费) need the rules to be told apart: the figures
    are reported as lines whose cells are not apart, not read under a guessed heading."""
    lines, records = budget_lines(cjk_pdf(tmp_path / "某某市某某局2026年部门预算.pdf", table([HEADINGS, *ROWS], above=above)))
    if above[0][3]:
        assert lines == [] and len(records.skipped) == 13  # every figure reported
        assert all("printed without rules" in s.reason for s in records.skipped)
    else:
        assert len(lines) == 13


def test_a_figure_out_of_its_column_leaves_the_table_unread(tmp_path):
    """A figure printed across the white space between two columns: the block's columns are not sure,
    and nothing of it is read as a row."""
    items = table([HEADINGS, *ROWS])
    items = [(x - 45, y, t, s) if t == "10.50" and y == 730 - 20 * 3 else (x, y, t, s) for x, y, t, s in items]
    lines, records = budget_lines(cjk_pdf(tmp_path / "某某市某某局2026年部门预算.pdf", items))
    assert lines == [] and records.skipped


def _columns(lefts: list[float], x0: float, x1: float) -> set[int]:
    """The columns (60 points wide, 10 apart, each reaching halfway into the white space beside it; the
    first and the last out to the page's edges) a text from x0 to x1 stands over."""
    last = len(lefts) - 1
    return {j for j, left in enumerate(lefts) if (j == 0 or x1 > left - 5) and (j == last or x0 < left + 65)}


def test_random_tables_without_rules_put_every_figure_in_its_own_column():
    """Tables made at random (2–5 columns, a line of headings, rows of figures, words and empty cells,
    now and then a cell pushed out of its column (never within 1.5 em of the text beside it), a line of prose): a
    line read as a row holds every glyph of its line, each text under the heading of a column it stands
    over (the one it was printed in, unless pushed half over the next)."""
    import random

    from lodpub.extract.pdf import _join
    from lodpub.extract.pdf_pages import Char
    from lodpub.extract.pdf_stream import table_rows

    def run(text: str, x: float, y: float) -> list[Char]:
        return [Char(ch, x + 6 * k, x + 6 * k + 5, y, y + 10, y + 9, 10.0) for k, ch in enumerate(text)]

    rng = random.Random(7)
    read = 0
    for _ in range(400):
        ncols = rng.randint(2, 5)
        lefts = [20 + 70 * k for k in range(ncols)]  # each column 60 points wide, 10 apart
        truth, lines = [], []
        cells = [rng.sample(["项目", "合计", "基本支出", "项目支出", "其他", "功能分类", "人员经费"], ncols)]  # the headings
        for _ in range(rng.randint(2, 7)):
            cells.append([rng.choice(["", "1,234.50", "20.00", "行政", "305000"]) for _ in range(ncols)])
        for n, row in enumerate(cells):
            spans = {k: lefts[k] + rng.uniform(0, 60 - 6 * len(text)) for k, text in enumerate(row) if text}
            for k in list(spans):
                if n and rng.random() < 0.04:  # out of its column, not touching the text beside it
                    pushed = spans[k] + rng.choice([-40.0, 35.0])
                    if all(pushed > spans[j] + 6 * len(row[j]) + 15 or pushed + 6 * len(row[k]) < spans[j] - 15 for j in spans if j != k):
                        spans[k] = pushed
            line = sorted((c for k, x in spans.items() for c in run(row[k], x, 20.0 * n)), key=lambda c: c.x0)
            if line:
                lines.append(line)
                # where each cell's text stands: the column under it, None between two columns
                truth.append([(_columns(lefts, x, x + 6 * len(row[k])), row[k]) for k, x in spans.items()])
        if rng.random() < 0.3:
            lines.append(run("这是一段说明文字，不是表格的一行。", 20, 20.0 * len(cells)))
            truth.append(None)
        out = table_rows(lines, _join)
        headings = out[0]
        for n, (line, row, where) in enumerate(zip(lines, out, truth)):
            if not row or n == 0:
                continue
            read += 1
            assert headings, "a row read without its line of headings"
            wrapped = [m for m in range(n + 1, len(out)) if out[m] == ()]
            wrapped = [m for k, m in enumerate(wrapped) if m == n + 1 + k]  # the lines joined to this row
            glyphs = [c.text for m in [n, *wrapped] for c in lines[m]]
            assert where is not None and sorted("".join(row).replace(" ", "")) == sorted(glyphs)
            if not wrapped:  # each text under the heading of a column it stands over
                for text_columns, text in where:
                    under = {headings[k] for k, cell in enumerate(row) if text in cell.replace(" ", "")}
                    assert under & {cells[0][t] for t in text_columns}, (row, where, headings)
    assert read > 200  # the tables do get read


def test_any_lines_of_glyphs_give_rows_or_text_without_failing():
    """Random lines of glyphs (figures, words, blanks, at random places): every line is a row of as many
    cells as its block has columns, the rest of a row (), or text (None); a row's cells hold every
    glyph of its line."""
    import random

    from lodpub.extract.pdf import _join
    from lodpub.extract.pdf_pages import Char
    from lodpub.extract.pdf_stream import table_rows

    rng = random.Random(12)
    for _ in range(300):
        lines = []
        for n in range(rng.randint(0, 12)):
            x, line = rng.uniform(0, 40), []
            for _ in range(rng.randint(1, 30)):
                text = rng.choice(["1", "2", ",", ".", "0", "行", "政", " ", "-", "表", "：", "（"])
                x += rng.choice([0.0, 0.5, 6.0, 25.0])
                line.append(Char(text, x, x + 5, 20.0 * n, 20.0 * n + 10, 20.0 * n + 9, 10.0))
                x += 5
            lines.append(line)
        for line, row in zip(lines, table_rows(lines, _join)):
            if row:
                assert "".join(row).replace(" ", "") == "".join(c.text for c in line).replace(" ", "")
