"""Who published a document, for which year and phase; several files of one disclosure; templates.

Small inputs written here: covers, file names and the 情况说明 / 报表 pair of one disclosure.
"""

from __future__ import annotations

import pytest

from lodpub.model import Line
from lodpub.records.identity import clean_org, cover_text, file_identity, file_title, identify, org_key, parse_title


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026年度福州市公安局治安管理支队单位预算", ("福州市公安局治安管理支队", "2026", "budget", "单位")),
        ("杭州市公安局2026年度部门预算", ("杭州市公安局", "2026", "budget", "部门")),
        ("国家信访局2024年度部门决算公开", ("国家信访局", "2024", "final-account", "部门")),
        ("西安市气象局 2022 年部门综合预算", ("西安市气象局", "2022", "budget", "部门")),
        ("审计局_附件2：北京市审计局2026年度部门预算报表", ("北京市审计局", "2026", "budget", "部门")),
        ("2026年北京市审计局部门预算", ("北京市审计局", "2026", "budget", "部门")),
    ],
)
def test_titles_and_file_names_state_who_when_what(text, expected):
    ident = parse_title(text)
    assert (ident.department, ident.fiscal_year, ident.phase, ident.scope) == expected


def test_a_name_wrapped_over_two_cover_lines_is_read_whole():
    lines = [Line(1, 1, ("2026年深圳市司法局（本级）部门预",)), Line(1, 2, ("算",)), Line(2, 3, ("目 录",))]
    assert cover_text(lines) == "2026年深圳市司法局（本级）部门预算"
    assert parse_title(cover_text(lines)).department == "深圳市司法局"


def test_the_tables_name_comes_first_and_loses_its_qualifier():
    ident = identify(["深圳市民政局（本级）", "深圳市民政局（本级）"], [Line(1, 1, ("2026年深圳市民政局部门预算",))], ["x.pdf"], "")
    assert (ident.department, ident.source, ident.fiscal_year) == ("深圳市民政局", "tables", "2026")
    assert clean_org("西安市信访局（汇总）") == "西安市信访局"


@pytest.mark.parametrize(
    "full, short",
    [
        ("中国共产党江苏省委员会办公厅", "江苏省委办公厅"),
        ("中共江苏省委办公厅", "江苏省委办公厅"),
        ("中国人民政治协商会议江苏省委员会办公厅", "江苏省政协办公厅"),
        ("江苏省人民代表大会常务委员会办公厅", "江苏省人大常委会办公厅"),
        ("中共泉州市纪律检查委员会", "泉州市纪委"),
        ("杭州市人民政府办公厅", "杭州市政府办公厅"),
    ],
)
def test_an_organs_full_and_short_names_are_one_key(full, short):
    assert org_key(full) == org_key(short) == short
    assert org_key("江苏省高级人民法院") == "江苏省高级人民法院"  # other names as printed


def test_a_file_name_states_its_year_without_nian():
    assert (file_identity("江苏省政协办公厅2018度部门预算公开表.pdf").fiscal_year, file_identity("a/2026部门预算.pdf").phase) == ("2018", "budget")
    assert file_identity("20260312部门预算.pdf") is None  # a date, not a year
    assert file_identity("收支总表2026.pdf") is None  # nothing says it is the budget's year
    # 广州: a file of project targets names the year they are set for
    assert file_identity("广州市政务服务和数据管理局2026年项目支出绩效目标表（含转移支付项目）.pdf").fiscal_year == "2026"
    assert file_identity("2026年项目库.pdf") is None


def test_file_names_without_folders_and_suffix():
    assert file_title("/a/b/公安局_附件2：北京市公安局2026年度部门预算报表.pdf") == "公安局_附件2：北京市公安局2026年度部门预算报表"
    assert file_title("https://x.example/%E9%A2%84%E7%AE%97.pdf") == "预算"


TABLES = [
    "北京市某某局2026年度部门预算报表",
    "预算01表 收支总表",
    "金额单位：万元",
    "收入\t\t支出\t",
    "项目\t预算数\t项目\t预算数",
    "一、一般公共预算拨款收入\t100.000000\t一、一般公共服务支出\t100.000000",
    "本年收入合计\t100.000000\t本年支出合计\t100.000000",
]
NARRATIVE = [
    "北京市某某局2026年度部门预算信息公开",
    "目 录",
    "一、收支总表",
    "北京市某某局2026年收入预算100.00万元，支出预算100.00万元。",
]


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_two_files_of_one_disclosure_are_one_document(tmp_path):
    from lodpub.build import build

    narrative = write(tmp_path / "附件1：北京市某某局2026年度部门预算情况说明.txt", NARRATIVE)
    tables = write(tmp_path / "附件2：北京市某某局2026年度部门预算报表.txt", TABLES)
    result = build([narrative, tables], tmp_path / "out", issued="2026-01-01", together=True, keep_records=True)
    (doc,) = result.documents
    assert doc.ok, doc.error
    records = doc.records
    assert [p.file_name for p in records.parts] == ["附件1：北京市某某局2026年度部门预算情况说明.txt", "附件2：北京市某某局2026年度部门预算报表.txt"]
    assert {o.source_file for o in records.observations} == {"2"}
    assert any(s.figure == "income-total" for s in records.statements)  # the narrative of file 1 is read
    quads = (tmp_path / "out" / "lodpub.nq.gz").read_bytes()
    import gzip

    text = gzip.decompress(quads).decode()
    assert "ontology#sourceFile" in text and "ontology#SourceFile" in text


def test_a_narrative_file_pairs_itself_with_its_tables(tmp_path):
    from lodpub.build import build

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "2026年北京市某某局部门预算.txt", NARRATIVE)
    write(folder / "附件2：北京市某某局2026年度部门预算报表.txt", TABLES)
    write(folder / "2026年北京市另一局部门预算.txt", [line.replace("某某局", "另一局") for line in NARRATIVE])
    result = build([str(folder)], tmp_path / "out", issued="2026-01-01")
    ok = [d for d in result.documents if d.ok]
    assert len(ok) == 1 and " + " in ok[0].location and ok[0].department == "北京市某某局"
    (failed,) = result.failed  # the other 情况说明 has no tables anywhere: said so
    assert "另一局" in failed.location and "--together" in failed.error
    # the store holds the graphs of the dump: the paired document's, not that of its tables read alone first
    import gzip

    import pyoxigraph as ox

    dumped = {q.graph_name for q in ox.parse(gzip.decompress((tmp_path / "out" / "lodpub.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)}
    stored = {q.graph_name for q in ox.Store.read_only(str(tmp_path / "out" / "store"))}
    assert stored == dumped and any(ok[0].docid in g.value for g in stored)


def test_tables_naming_the_organ_in_full_pair_with_a_narrative_naming_it_short(tmp_path):
    """江苏省委办公厅's 情况说明 names it so; its 公开表格, printing no year, name it 中国共产党江苏省委员会办公厅 and its
    file name says 2017 without 年: one disclosure all the same."""
    from lodpub.build import build

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "江苏省委办公厅2017年部门预算.txt", [line.replace("北京市某某局", "江苏省委办公厅").replace("2026", "2017") for line in NARRATIVE])
    tables = ["公开01表", TABLES[1], "部门：中国共产党江苏省委员会办公厅\t单位：万元"] + TABLES[3:]
    write(folder / "江苏省委办公厅2017度预算公开表格.txt", tables)
    result = build([str(folder)], tmp_path / "out", issued="2026-01-01")
    (doc,) = result.documents
    assert doc.ok and " + " in doc.location, doc.error
    assert (doc.department, doc.fiscal_year) == ("中国共产党江苏省委员会办公厅", "2017")


def test_a_template_with_placeholders_is_refused(tmp_path):
    from lodpub.pipeline import process

    path = write(
        tmp_path / "template.txt",
        [
            "XX局2026年度部门预算",
            "XX局2026年收入预算XXX万元，支出预算XXX万元，其中基本支出XX万元。",
            "收支总表",
            "单位：万元",
            "收入\t\t支出\t",
            "项目\t预算数\t项目\t预算数",
            "一、一般公共预算拨款收入\t1.00\t一、一般公共服务支出\t1.00",
        ],
    )
    result = process(path, validate=False)
    assert not result.ok and "template" in result.error and "XX局" in result.error


def test_a_blank_template_is_refused(tmp_path):
    """A workbook template left blank (上海's 区级部门预算 template: “预算主管部门：上海市普陀区XX局” on its cover, tables
    with headers and no figure): a template, said so, whatever its first sheet is called (the sheet 封面 was read
    as the department and the placeholders as 50 violations)."""
    import openpyxl

    from lodpub.pipeline import process

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    for row in (["上海市普陀区2026年区级部门预算"], [], ["预算主管部门：上海市普陀区XX局"]):
        cover.append(row)
    table = book.create_sheet("收支总表")
    for row in (
        ["2026年部门财务收支预算总表"],
        ["单位：万元"],
        ["收入", None, "支出", None],
        ["项目", "预算数", "项目", "预算数"],
        ["一、财政拨款收入", None, "一、一般公共服务支出", None],
    ):
        table.append(row)
    path = tmp_path / "department_budget_template.xlsx"
    book.save(path)
    result = process(str(path), validate=False)
    assert not result.ok and "a template" in result.error and "上海市普陀区XX局" in result.error and "no figure" in result.error
    table.append(["二、事业收入", 12.5, "二、教育支出", 12.5])  # figures: a disclosure whose cover was left unfilled
    book.save(path)
    assert process(str(path), validate=False).ok
