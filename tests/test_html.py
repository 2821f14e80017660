"""Web pages: a disclosure typed into an article is read like its text, a table's merged cells in the
columns they cover, a page that lays itself out with tables read as text around its data tables; a
page with no budget table says which documents it links to. Pages written here."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from conftest import EXAMPLE

from lodpub.errors import LodpubError
from lodpub.extract import extract
from lodpub.sources import from_path


def lines_of(path: Path) -> list[tuple[str, ...]]:
    return [ln.cells for ln in extract(from_path(path)).lines]


def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}<title>标题</title><style>td {{ color: red }}</style></head><body>{body}</body></html>"


def test_spans_stand_in_the_columns_they_cover(tmp_path):
    """Implied end tags (no </td>, </tr>), a caption (the title), a header cell spanning two rows and
    one spanning three columns, source line breaks inside a cell (blanks) and a <br> (a line break)."""
    body = """<p>单位：万元</p>
<table border=1><caption>一般公共预算支出表</caption>
<tr><th colspan=3>科目编码<th rowspan=2>科目
   名称<th colspan=2>本年收入
<tr><th>类<th>款<th>项<th>基本支出<th>项目支出
<tr><td>201<td>03<td>01<td>行政运行<td>1,026.27<td>
<tr><td><td><td><td>一般行政<br>管理事务<td>72.00<td>0.00
<tr><td colspan=4>合计</td><td>1,098.27</td><td>0.00</td></tr>
<tr><td colspan=6>注：本表无政府性基金。</td></tr>
</table><script>document.write("<p>不显示</p>")</script><p>说明&nbsp;完</p>"""
    path = tmp_path / "表.html"
    path.write_text(page(body), encoding="utf-8")
    assert lines_of(path) == [
        ("单位：万元",),
        ("一般公共预算支出表",),
        ("科目编码", "", "", "科目 名称", "本年收入", ""),
        ("类", "款", "项", "", "基本支出", "项目支出"),
        ("201", "03", "01", "行政运行", "1,026.27", ""),
        ("", "", "", "一般行政\n管理事务", "72.00", "0.00"),
        ("合计", "", "", "", "1,098.27", "0.00"),
        ("注：本表无政府性基金。",),
        ("说明 完",),
    ]


def test_a_page_laid_out_with_tables_reads_its_data_table(tmp_path):
    """The site's frame is a table whose cells hold the menu and the article; the article's table is
    the only one read as a table, the menu and the article's paragraphs as text."""
    body = """<table><tr><td><a href="/">首页</a> <a href="/zwgk">政务公开</a></td>
<td><div>某某局2026年部门预算</div><table><tr><td>项目<td>预算数<tr><td>行政运行<td>5.00</table><p>以上为预算。</p></td></tr></table>"""
    path = tmp_path / "frame.html"
    path.write_text(page(body), encoding="utf-8")
    assert lines_of(path) == [("首页 政务公开",), ("某某局2026年部门预算",), ("项目", "预算数"), ("行政运行", "5.00"), ("以上为预算。",)]


def test_the_declared_encoding_is_read(tmp_path):
    path = tmp_path / "gbk.htm"
    path.write_bytes(
        page("<p>部门预算</p><table><tr><td>合计<td>1.00</table>", head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    )
    assert lines_of(path) == [("部门预算",), ("合计", "1.00")]


def test_a_page_without_tables_names_the_documents_it_links_to(tmp_path):
    from lodpub.pipeline import process

    body = """<h1>某某局2026年部门预算公开</h1><p>详见附件：</p>
<p><a href="./P0202603.pdf">某某局2026年部门预算.pdf</a></p><p><a href="files/表.xlsx?v=2">公开表</a></p>
<p><a href="/other.html">另一页</a> <a href="./P0202603.pdf">（同一附件）</a></p>"""
    path = tmp_path / "article.html"
    path.write_text(page(body), encoding="utf-8")
    result = process(str(path), validate=False)
    assert not result.ok
    assert "is an HTML page with no budget table in it; it links to 2 document(s)" in result.error
    assert "某某局2026年部门预算.pdf <./P0202603.pdf>; 公开表 <files/表.xlsx?v=2>: build those" in result.error
    path.write_text(page("<form><p>用户名</p><input name=u></form>"), encoding="utf-8")  # a login page
    result = process(str(path), validate=False)
    assert "is an HTML page with no budget table in it (a URL that answers with a web page, a login or an error page" in result.error
    path.write_text(page("<script>render()</script>"), encoding="utf-8")
    with pytest.raises(LodpubError, match="a web page with no text"):
        extract(from_path(path))


def html_of_text(text: str) -> str:
    """The body of a page with the paragraphs and tables of a text document (`text_layout`), as a
    site's editor makes them: a heading over several columns spans them (colspan)."""
    from text_layout import blocks_of_text

    def td(text: str, span: int) -> str:
        attribute = f' colspan="{span}"' if span > 1 else ""
        return f"<td{attribute}>{escape(text)}</td>"

    return "\n".join(
        f"<p>{escape(block)}</p>"
        if isinstance(block, str)
        else "<table border='1'>\n" + "".join(f"<tr>{''.join(td(*c) for c in cells)}</tr>" for cells in block) + "\n</table>"
        for block in blocks_of_text(text)
    )


@pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")
def test_the_example_as_a_web_page_gives_the_examples_budget_lines(tmp_path):
    from lodpub.pipeline import process

    path = tmp_path / "example.html"
    path.write_text(page(html_of_text(EXAMPLE.read_text(encoding="utf-8"))), encoding="utf-8")
    assert from_path(path).media_type == "text/html"
    from_page = process(str(path), validate=False, keep_records=True)
    from_text = process(str(EXAMPLE), validate=False, keep_records=True)
    assert from_page.ok, from_page.error
    web, plain = from_page.records, from_text.records

    def budget_lines(records):
        return sorted((o.table, o.row, o.col, o.line, o.printed, o.amount, tuple(sorted(o.dims.items()))) for o in records.observations)

    assert (web.department, web.fiscal_year, web.phase) == (plain.department, plain.fiscal_year, plain.phase)
    assert len(web.observations) == len(plain.observations) > 400
    assert [o[4:] for o in budget_lines(web)] == [o[4:] for o in budget_lines(plain)]
    assert [(s.figure, s.amount) for s in web.statements] == [(s.figure, s.amount) for s in plain.statements] != []


def test_a_page_nested_beyond_any_site_is_read_flat(tmp_path):
    """100,000 elements inside one another (a hostile page): read, not a recursion error."""
    path = tmp_path / "deep.html"
    path.write_text(page("<div>" * 100_000 + "<p>深处</p><table><tr><td>合计<td>1.00</table>" + "</div>" * 100_000), encoding="utf-8")
    assert lines_of(path) == [("深处",), ("合计", "1.00")]


def test_spans_past_the_table_or_wider_than_a_browser_cost_nothing(tmp_path):
    """rowspan=65534 and colspan=100000 on every cell (a hostile page): what the table has, no more."""
    cells = "".join('<td rowspan="65534" colspan="100000">x</td>' for _ in range(50))
    path = tmp_path / "spans.html"
    path.write_text(page(f"<table><tr>{cells}</tr><tr><td>合计<td>1.00</table>"), encoding="utf-8")
    lines = lines_of(path)
    assert len(lines) == 2 and max(len(cells) for cells in lines) <= 1000 + 50 + 2  # (1,000 columns, then a column a cell)
    assert lines[1][-2:] == ("合计", "1.00")
