"""A table that prints no figure says why (lps:EmptyTableSaysWhy): on the example, whose 政府性基金 and
国有资本经营 tables print only their headings and a note “……故本表无数据”, and whose explanations say the same
in sentences of their own; each mutation takes explanations away."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE
from mutations import run

FUND_NOTE = "2024年漯河市人民政府办公室无政府性基金预算拨款收入，也无使用政府性基金预算安排的支出，故本表无数据。\n"
# the explanations that name 政府性基金 and say there is none (the summary's sentence names both funds)
FUND_SENTENCES = (
    "2024 年无政府性基金预算拨款收入，也无使用政府性基金预算安排的支出。\n",
    "2024 年一般公共预算收支预算 4212.99 万元，无政府性基金预算及国有资本经营预算拨款收入，也无使用政府性基金预算及国有资本经营预算安排的支出。",
    "政府性基金预算拨款收入 0 万元，",
)


@pytest.fixture(scope="module")
def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def without(text: str, *pieces: str) -> str:
    for piece in pieces:
        assert text.count(piece) == 1, piece
        text = text.replace(piece, "")
    return text


def test_the_example_explains_its_empty_tables(text, tmp_path):
    assert not run(text, tmp_path).of("EmptyTableSaysWhy")


def test_a_sentence_of_the_explanations_is_enough(text, tmp_path):
    """Without the note under the table, the explanations still say there is no government-fund expenditure."""
    outcome = run(without(text, FUND_NOTE), tmp_path)
    assert not outcome.of("EmptyTableSaysWhy")


def test_an_empty_table_nobody_explains(text, tmp_path):
    """Without the note and the sentences, the government-fund table is an empty table left unexplained: a
    warning naming it and its line (a text file has no pages); the state-capital table keeps its note and is not reported."""
    outcome = run(without(text, FUND_NOTE, *FUND_SENTENCES), tmp_path)
    hits = outcome.of("EmptyTableSaysWhy")
    assert [f.severity for f in hits] == ["Warning"]
    assert hits[0].message.startswith("政府性基金预算支出情况表（全文第") and "没有说明原因" in hits[0].message
    assert "政府性基金" in hits[0].message.rsplit("没有", 1)[1]
    assert hits[0].table is not None and hits[0].value.endswith(f"/table/{hits[0].table}")


@pytest.mark.parametrize(("remark", "found"), [("是\t不涉及", 0), ("是\t", 1)])
def test_a_remark_in_a_contents_grid_explains_the_table(text, tmp_path, remark, found):
    """西安 lists its tables in a grid (报表 | 报表名称 | 是否空表 | 表格为空的理由) and says 不涉及 of an empty one: the
    table's explanation, as a note under it would be (6 西安 documents were warned of). A grid saying only that the
    table is empty explains nothing; the tables it lists are the contents' (the two printed, none reported missing)."""
    grid = f"报表目录\n报表\t报表名称\t是否空表\t表格为空的理由\n表1\t部门收支预算表\t\t\n表8\t政府性基金预算支出情况表\t{remark}\n"
    mutated = without(text, FUND_NOTE, *FUND_SENTENCES)
    first_line = mutated.index("\n") + 1
    outcome = run(mutated[:first_line] + grid + mutated[first_line:], tmp_path)
    assert len(outcome.of("EmptyTableSaysWhy")) == found
    # (the example's own contents list 七、支出经济分类汇总表, which it does not print: that finding only)
    assert all("七、支出经济分类汇总表" in f.message for f in outcome.of("ListedTableMissing"))


def test_a_sentence_about_something_else_explains_nothing(text, tmp_path):
    """“无” in a sentence that does not name the table's subject (or names it in another sentence) is no
    explanation."""
    mutated = without(text, FUND_NOTE, *FUND_SENTENCES)
    mutated = mutated.replace("2024 年无国有资本经营预算拨款收入", "政府性基金另行公开。2024 年无国有资本经营预算拨款收入", 1)
    assert len(run(mutated, tmp_path).of("EmptyTableSaysWhy")) == 1


def test_a_table_that_prints_figures_is_not_empty(text, tmp_path):
    """A figure in the government-fund table (its 合计 0.00): the table is not empty, whatever is said of it."""
    mutated = without(text, FUND_NOTE, *FUND_SENTENCES)
    start = mutated.index("\n政府性基金预算支出情况表\n\n部门名称")  # (the table, not its line of the contents)
    total = mutated.index("\t\t\t\t合计\t", start) + len("\t\t\t\t合计\t")
    mutated = mutated[:total] + "0.00" + mutated[total:]  # under 总计
    outcome = run(mutated, tmp_path)
    assert not outcome.of("EmptyTableSaysWhy")


def test_the_amount_cells_of_each_table(text, tmp_path):
    """lp:amountCellCount: a table's budget lines plus its cells reported as not read; 0 for the two empty ones."""
    from lodpub.pipeline import process

    path = tmp_path / "example.txt"
    path.write_text(text, encoding="utf-8")
    records = process(str(path), validate=False, keep_records=True).records
    for table in records.tables:
        lines = sum(1 for o in records.observations if o.table == table.ordinal)
        skipped = sum(1 for s in records.skipped if s.table == table.ordinal)
        assert table.amount_cells == lines + skipped
    empty = [t.title for t in records.tables if t.amount_cells == 0]
    assert empty == ["政府性基金预算支出情况表", "国有资本经营预算支出情况表"]
