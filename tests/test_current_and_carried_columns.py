"""Tables whose columns split every line into this year's money and the money carried over (the 吉林
template: 本年预算 = 编制预算 + 上年结转 in the summaries, 合计 = 当年预算 + 上年结转结余 in the expenditure
tables), written here the way such a document prints them."""

from __future__ import annotations

from mutations import run

from lodpub.pipeline import process

SUMMARY = [
    "吉林市信访局2026年部门预算",
    "收支总表",
    "单位：万元",
    "收入\t\t\t\t支出\t\t\t",
    "项目\t本年预算\t编制预算\t上年结转\t项目\t本年预算\t编制预算\t上年结转",
    "一、财政拨款收入\t120.00\t100.00\t20.00\t一、一般公共服务支出\t120.00\t100.00\t20.00",
    "一般公共预算拨款收入\t120.00\t100.00\t20.00\t\t\t\t",
    "二、事业收入\t0.00\t0.00\t0.00\t\t\t\t",
    "本年收入合计\t120.00\t100.00\t20.00\t本年支出合计\t120.00\t100.00\t20.00",
    "收入总计\t120.00\t100.00\t20.00\t支出总计\t120.00\t100.00\t20.00",
]

EXPENDITURE = [
    "支出总表",
    "单位：万元",
    "科目编码\t科目名称\t合计\t当年预算\t\t\t上年结转结余\t\t",
    "\t\t\t小计\t基本支出\t项目支出\t小计\t基本支出\t项目支出",
    "合计\t\t120.00\t100.00\t80.00\t20.00\t20.00\t0.00\t20.00",
    "201\t一般公共服务支出\t120.00\t100.00\t80.00\t20.00\t20.00\t0.00\t20.00",
    "20101\t人大事务\t120.00\t100.00\t80.00\t20.00\t20.00\t0.00\t20.00",
    "2010101\t行政运行\t80.00\t80.00\t80.00\t0.00\t0.00\t0.00\t0.00",
    "2010102\t一般行政管理事务\t40.00\t20.00\t0.00\t20.00\t20.00\t0.00\t20.00",
]


def document(*changes: tuple[str, str]) -> str:
    text = "\n".join(SUMMARY + EXPENDITURE) + "\n"
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_each_column_is_its_own_source_of_funds(tmp_path):
    """A source of funds under 编制预算 is that source's money of the year (what its code means everywhere), under
    上年结转 its carry-over; the two together under 本年预算 have no code and are reported, not read as either.
    A line of expenditure is read three times: the total, this year's money and the carry-over."""
    path = tmp_path / "doc.txt"
    path.write_text(document(), encoding="utf-8")
    records = process(str(path), validate=False, keep_records=True).records
    gpb = sorted((o.column_label, o.dims["lp:fundingSource"], o.amount) for o in records.observations if o.row_label == "一般公共预算拨款收入")
    assert gpb == [("上年结转", "prior-year-carryover-general-public-budget", 200000), ("编制预算", "general-public-budget", 1000000)]
    # 本年预算 of each source (财政拨款收入, 一般公共预算拨款收入, 事业收入); the carry-over of 事业收入 has no code either
    assert [(s.row, s.printed) for s in records.skipped if "no code for the sum" in s.reason] == [(1, "120.00"), (2, "120.00"), (3, "0.00")]
    assert [(s.row, s.printed) for s in records.skipped if "carry-over of a source of funds" in s.reason] == [(3, "0.00")]
    admin = sorted(
        (o.dims["lp:fundingSource"], o.dims["lp:expenditureKind"], o.amount)
        for o in records.observations
        if o.dims.get("lp:functionalClassification") == "2010102"
    )
    assert admin == [
        ("_T", "_T", 400000),
        ("current-year-income", "_T", 200000),
        ("current-year-income", "basic", 0),
        ("current-year-income", "project", 200000),
        ("prior-year-carryover", "_T", 200000),
        ("prior-year-carryover", "basic", 0),
        ("prior-year-carryover", "project", 200000),
    ]
    # no two lines alike, no total compared with a part or with the wrong column of the other table
    outcome = run(document(), tmp_path)
    assert not [f for f in outcome.findings if f.severity != "Info"], outcome.findings


def test_a_total_that_is_not_this_years_money_and_the_carry_over_is_found(tmp_path):
    """合计 = 当年预算 + 上年结转结余 on each line: a 合计 that is not is a violation naming the table and row (the
    document of 长春 that this layout comes from prints 458.00 as 合计 beside a 小计 of 0.00)."""
    outcome = run(document(("2010102\t一般行政管理事务\t40.00\t20.00", "2010102\t一般行政管理事务\t40.00\t0.00")), tmp_path)
    found = [(f.table, f.row, f.message) for f in outcome.of("RowBreakdown")]
    assert any(table == 2 and row == 5 and "印刷为 40.00万元" in message and "之和为 20万元" in message for table, row, message in found), found
