"""The figures the narrative states (情况说明), read as running text.

For each PDF of the reference corpus, the figures below were read by hand from the sentences of
the document (figure concept, amount in 元, line where the figure's sentence part starts), including
the per-项 lines (“…”科目 X 万元) with the function code of the document's own function table.
The 漯河 example reads exactly as before. Corpus tests skip without the corpus.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLE, needs_corpus


def records_of_file(path: str):
    from lodpub.extract import extract
    from lodpub.recognise import recognise
    from lodpub.records import build_records
    from lodpub.sources import from_path

    return build_records(recognise(extract(from_path(Path(path)))))


records_of = lru_cache(maxsize=None)(records_of_file)  # the corpus's documents, read once


def records_of_text(tmp_path, text: str):
    """The records of a text document written into tmp_path."""
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return records_of_file(str(path))


def facts(name: str) -> set[tuple]:
    """(figure, amount in 元 or count, line) of every figure read from the document."""
    doc = records_of(str(CORPUS / name))
    return {(s.figure, s.amount if s.amount is not None else s.quantity, s.line) for s in doc.statements if s.amount is not None or s.quantity is not None}


def function_lines(name: str) -> set[tuple]:
    doc = records_of(str(CORPUS / name))
    return {(s.function_code, s.amount, s.line) for s in doc.statements if s.figure == "function-line"}


def changes(name: str) -> set[tuple]:
    doc = records_of(str(CORPUS / name))
    return {(s.figure, s.change, s.change_share, s.compared_year, s.line) for s in doc.statements if s.change is not None or s.change_share is not None}


def y(wan: str) -> Decimal:
    """万元 as printed → 元."""
    return Decimal(wan) * 10000


# --- 漯河: unchanged ----------------------------------------------------------------------

LUOHE = [  # (line, figure, amount or count, share, change, change rate, year) in the order read
    (109, "income-total", "42129900.00", None, None, None, None),
    (109, "expenditure-total", "42129900.00", None, None, None, None),
    (109, "income-total", None, None, "-3837200.00", "-8.3", "2023"),
    (109, "expenditure-total", None, None, "-3837200.00", "-8.3", "2023"),  # the year of the sentence (与2023年预算相比)
    (113, "income-total", "42129900.00", None, None, None, None),
    (113, "income-gpb", "42129900.00", None, None, None, None),
    (113, "income-government-fund", "0", None, None, None, None),
    (113, "income-state-capital", "0", None, None, None, None),
    (113, "income-special-account", "0", None, None, None, None),
    (113, "income-other", "0", None, None, None, None),
    (117, "expenditure-total", "42129900.00", None, None, None, None),
    (117, "basic-expenditure", "27541000.0", "65.4", None, None, None),
    (117, "project-expenditure", "14588900.00", "34.6", None, None, None),
    (121, "expenditure-gpb", "42129900.00", None, None, None, None),
    (121, "expenditure-gpb", None, None, "-3837200.00", "-8.3", "2023"),
    (127, "basic-expenditure", "27541000.0", "65.4", None, None, None),
    (127, "project-expenditure", "14588900.00", "34.6", None, None, None),
    (127, "expenditure-gpb", "42129900.00", None, None, None, None),
    (131, "basic-expenditure", "27541000.0", None, None, None, None),
    (131, "personnel", "25577400.00", "92.9", None, None, None),
    (131, "public", "1963600.00", "7.1", None, None, None),
    (135, "three-public-total", "470000", None, None, None, None),
    (135, "three-public-total", None, None, "-2400000", None, "2023"),
    (139, "overseas", "0", None, None, None, None),
    (141, "reception", "100000", None, None, None, None),
    (145, "vehicle", "370000", None, None, None, None),
    (145, "vehicle-purchase", "0", None, None, None, None),
    (145, "vehicle-operation", "370000", None, None, None, None),
    (145, "vehicle-operation", None, None, "-400000", None, "2023"),
    (159, "operating-cost", "1963600.00", None, None, None, None),
    (163, "procurement-total", "3000000", None, None, None, None),
    (163, "procurement-goods", "3000000", None, None, None, None),
    (163, "procurement-works", "0", None, None, None, None),
    (163, "procurement-services", "0", None, None, None, None),
    (167, "project-expenditure", "14588900.00", None, None, None, None),
    (167, "project-count", "31", None, None, None, None),
    (175, "vehicles-held", "13", None, None, None, None),
]


def test_luohe_figures_unchanged():
    doc = records_of(str(EXAMPLE))
    got = []
    for s in doc.statements:
        value = s.amount if s.amount is not None else s.quantity
        got.append((s.line, s.figure, *(None if v is None else str(v) for v in (value, s.share, s.change, s.change_share)), s.compared_year))
    assert got == LUOHE
    assert [s.k for s in doc.statements] == list(range(1, len(LUOHE) + 1))
    assert all(s.function_code is None for s in doc.statements)
    assert len(doc.definitions) == 10
    # each figure keeps the sentence (the line) it came from
    (procurement,) = [s for s in doc.statements if s.figure == "procurement-total"]
    assert procurement.sentence.startswith("2024年政府采购预算安排 300 万元")


# --- running text ---------------------------------------------------------------------------


def test_a_wrapped_sentence_is_read():
    from lodpub.model import Line
    from lodpub.records import DocumentRecords, read_narrative

    doc = DocumentRecords(docid="x", sha256="x", location="x", media_type="application/pdf", title="t", department="d", fiscal_year="2025", phase="budget")
    lines = [
        Line(6, 63, ("2025年，某某办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少2,389.52万",)),
        Line(6, 64, ("元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。",)),
        Line(6, 65, ("支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元。财政拨款支出预算中，一般公共",)),
        Line(6, 66, ("预算拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元；政府性基金拨款支出预算0万元，比2024年预算持平；",)),
    ]
    read_narrative(doc, lines)
    got = {(s.figure, s.amount, s.change, s.compared_year, s.line) for s in doc.statements}
    assert ("income-fiscal", y("9101.68"), -y("2389.52"), "2024", 63) in got
    assert ("income-business", Decimal(0), None, None, 64) in got
    assert ("expenditure-gpb", y("9101.68"), -y("2389.52"), "2024", 65) in got  # starts on 65, ends on 66
    assert ("expenditure-government-fund", Decimal(0), Decimal(0), "2024", 66) in got  # 持平: a change of 0
    (gpb,) = [s for s in doc.statements if s.figure == "expenditure-gpb"]
    assert gpb.sentence.endswith("比2024年预算减少2,389.52万元；政府性基金拨款支出预算0万元，比2024年预算持平；")
    # lines that are not consecutive are not joined
    doc2 = DocumentRecords(docid="x", sha256="x", location="x", media_type="text/plain", title="t", department="d", fiscal_year="2025", phase="budget")
    read_narrative(doc2, [Line(1, 10, ("财政拨款收入9,101.68万",)), Line(1, 12, ("元。",))])
    assert doc2.statements == []


# --- the corpus -------------------------------------------------------------------------------

# figures every Shanghai budget states in its 编制说明 and 其他相关情况说明
BUDGETS = {
    "sh-putuo-zfbgs-2025-dept-budget.pdf": {
        ("income-total", y("9101.68"), 63),
        ("income-fiscal", y("9101.68"), 63),
        ("income-business", 0, 64),
        ("income-operating", 0, 64),
        ("income-other", 0, 64),
        ("expenditure-total", y("9101.68"), 65),
        ("expenditure-fiscal", y("9101.68"), 65),
        ("expenditure-gpb", y("9101.68"), 65),
        ("expenditure-government-fund", 0, 66),
        ("expenditure-state-capital", 0, 66),
        ("three-public-total", y("867.50"), 251),
        ("overseas", y("839"), 252),
        ("vehicle", 0, 253),
        ("vehicle-purchase", 0, 253),
        ("vehicle-operation", 0, 253),
        ("reception", y("28.50"), 255),
        ("operating-cost", y("213.28"), 257),
        ("procurement-total", y("34"), 259),
        ("procurement-goods", 0, 259),
        ("procurement-works", 0, 259),
        ("procurement-services", y("34"), 259),
        ("project-count", 11, 262),
        ("performance-funds", y("6626"), 262),
        ("vehicles-held", 0, 265),
    },
    "sh-putuo-sww-2025-dept-budget.pdf": {
        ("income-total", y("37151.47"), 77),
        ("income-fiscal", y("37151.47"), 77),
        ("income-business", 0, 78),
        ("income-operating", 0, 78),
        ("income-other", 0, 78),
        ("expenditure-total", y("37151.47"), 79),
        ("expenditure-fiscal", y("37151.47"), 79),
        ("expenditure-gpb", y("37151.47"), 79),
        ("expenditure-government-fund", 0, 80),
        ("expenditure-state-capital", 0, 81),
        ("three-public-total", y("1.00"), 300),
        ("overseas", 0, 301),
        ("vehicle", 0, 302),
        ("vehicle-purchase", 0, 302),
        ("vehicle-operation", 0, 303),
        ("reception", y("1.00"), 304),
        ("operating-cost", y("171.01"), 306),
        ("procurement-total", y("38.20"), 308),
        ("procurement-goods", y("7.80"), 308),
        ("procurement-works", 0, 308),
        ("procurement-services", y("30.40"), 308),
        ("project-count", 25, 311),
        ("performance-funds", y("11381.60"), 311),
        ("vehicles-held", 0, 313),
    },
    "sh-putuo-sifaju-2026-dept-budget.pdf": {
        ("income-total", y("9628.22"), 62),
        ("income-fiscal", y("9628.22"), 62),
        ("income-business", 0, 62),
        ("income-operating", 0, 63),
        ("income-other", 0, 63),
        ("expenditure-total", y("9628.22"), 64),
        ("expenditure-fiscal", y("9628.22"), 64),
        ("expenditure-gpb", y("9628.22"), 64),
        ("expenditure-government-fund", 0, 65),
        ("expenditure-state-capital", 0, 65),
        ("three-public-total", y("10.81"), 262),
        ("overseas", 0, 263),
        ("vehicle", y("9.98"), 264),
        ("vehicle-purchase", 0, 264),
        ("vehicle-operation", y("9.98"), 265),
        ("reception", y("0.83"), 266),
        ("operating-cost", y("217.83"), 268),
        ("procurement-total", y("1486.42"), 270),
        ("procurement-goods", y("3.66"), 270),
        ("procurement-works", y("36.44"), 270),
        ("procurement-services", y("1446.32"), 270),
        ("project-count", 20, 275),
        ("performance-funds", y("7054.05"), 275),
        ("vehicles-held", 3, 278),
    },
    "sh-putuo-fuliyuan-2024-unit-budget.pdf": {
        ("income-total", y("1212.12"), 40),
        ("income-fiscal", y("950.12"), 40),
        ("income-business", y("262.00"), 40),
        ("income-operating", 0, 41),
        ("income-other", 0, 41),
        ("expenditure-total", y("1212.12"), 42),
        ("expenditure-fiscal", y("950.12"), 42),
        ("expenditure-gpb", y("950.12"), 42),
        ("expenditure-government-fund", 0, 43),
        ("expenditure-state-capital", 0, 43),
        ("three-public-total", y("6.40"), 199),
        ("overseas", 0, 200),
        ("vehicle", y("6.40"), 201),
        ("vehicle-purchase", 0, 201),
        ("vehicle-operation", y("6.40"), 202),
        ("reception", 0, 203),
        ("procurement-total", y("120.60"), 207),
        ("procurement-goods", 0, 207),
        ("procurement-works", 0, 207),
        ("procurement-services", y("120.60"), 207),
        ("project-count", 1, 210),
        ("performance-funds", y("262.00"), 210),
        ("vehicles-held", 2, 212),
    },
    "sh-putuo-wanli-2023-dept-budget.pdf": {
        ("income-total", y("16497.86"), 60),
        ("income-fiscal", y("16497.86"), 60),
        ("income-business", 0, 61),
        ("expenditure-total", y("16497.86"), 62),
        ("expenditure-fiscal", y("16497.86"), 62),
        ("expenditure-gpb", y("16497.86"), 62),
        ("expenditure-government-fund", 0, 63),
        ("expenditure-state-capital", 0, 63),
        ("three-public-total", y("22.91"), 461),
        ("overseas", 0, 462),
        ("vehicle", y("21.56"), 463),
        ("vehicle-purchase", 0, 463),
        ("vehicle-operation", y("21.56"), 464),
        ("reception", y("1.35"), 465),
        ("operating-cost", y("786.09"), 467),
        ("procurement-total", y("830.00"), 470),
        ("procurement-works", y("550.00"), 470),
        ("project-count", 5, 475),
        ("performance-funds", y("3328.13"), 475),
        ("vehicles-held", 7, 478),
    },
    "sh-putuo-wanli-2024-dept-budget.pdf": {
        ("income-total", y("15621.11"), 63),
        ("income-fiscal", y("15621.11"), 63),
        ("expenditure-total", y("15621.11"), 65),
        ("expenditure-gpb", y("15621.11"), 65),
        ("three-public-total", y("47.91"), 469),
        ("vehicle", y("46.56"), 471),
        ("vehicle-purchase", y("25"), 471),
        ("vehicle-operation", y("21.56"), 472),
        ("reception", y("1.35"), 474),
        ("operating-cost", y("443.18"), 476),
        ("procurement-total", y("1662.44"), 479),
        ("procurement-goods", y("93.98"), 479),
        ("project-count", 50, 484),
        ("vehicles-held", 7, 487),
    },
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_budget_figures(name):
    assert BUDGETS[name] <= facts(name)


@needs_corpus
def test_final_account_figures():
    name = "sh-putuo-czj-2024-final-account.pdf"
    expected = {
        ("income-total", y("2995.39"), 297),
        ("expenditure-total", y("2995.39"), 297),
        ("current-year-income", y("2946.25"), 301),
        ("income-fiscal", y("2940.05"), 301),
        ("income-other", y("6.2"), 301),
        ("current-year-expenditure", y("2940.05"), 304),
        ("basic-expenditure", y("2336.91"), 304),
        ("project-expenditure", y("603.14"), 304),
        ("fiscal-total", y("0.3"), 307),  # printed so
        ("expenditure-gpb", y("2940.05"), 313),
        ("expenditure-gpb", y("2940.05"), 322),
        ("function-class", y("2106.66"), 317),
        ("function-class", y("326.72"), 318),
        ("function-class", y("60.99"), 319),
        ("function-class", y("445.69"), 319),
        ("basic-expenditure", y("2336.91"), 362),
        ("personnel", y("2152.26"), 362),
        ("public", y("184.65"), 365),
        ("project-count", 4, 387),
        ("performance-funds", y("598.42"), 387),
        ("operating-cost", y("184.65"), 395),
        ("procurement-total", y("251.25"), 398),
        ("procurement-goods", y("4.79"), 399),
        ("procurement-works", 0, 399),
        ("procurement-services", y("246.47"), 399),
        ("vehicles-held", 0, 406),
    }
    got = facts(name)
    assert expected <= got
    # 收入支出总计 is not read as 收入合计/支出合计, 本年收入合计 not as the income total
    assert ("income-total", y("2946.25"), 301) not in got
    assert ("expenditure-total", y("0.3"), 307) not in got
    assert {
        ("income-total", -y("56.95"), Decimal("-1.87"), "2023", 297),
        ("expenditure-gpb", -y("63.14"), Decimal("-2.10"), "2023", 313),
        ("fiscal-total", 0, None, "2023", 307),
        ("operating-cost", y("2.55"), Decimal("1.40"), "2023", 395),
    } <= changes(name)
    # the 类 and the 项 lines with their 决算 figure (not the 年初预算)
    doc = records_of(str(CORPUS / name))
    assert {(s.function_code, s.amount) for s in doc.statements if s.figure == "function-class"} == {
        ("201", y("2106.66")),
        ("208", y("326.72")),
        ("210", y("60.99")),
        ("221", y("445.69")),
    }
    assert {("2010601", y("1511.89"), 325), ("2010608", y("449.52"), 334), ("2080599", y("0.94"), 349), ("2210203", y("258.50"), 358)} <= function_lines(name)
    assert len(function_lines(name)) == 11


@needs_corpus
def test_function_lines_resolved_in_the_documents_own_table():
    zfbgs = function_lines("sh-putuo-zfbgs-2025-dept-budget.pdf")
    assert len(zfbgs) == 12 and all(code for code, _, _ in zfbgs)
    assert {
        ("2010301", y("1202.95"), 70),
        ("2010302", y("4614"), 71),
        ("2010350", y("380.73"), 73),
        ("2010399", y("2012"), 74),
        ("2101101", y("78.29"), 84),
        ("2210203", y("186.77"), 90),
    } <= zfbgs
    sww = function_lines("sh-putuo-sww-2025-dept-budget.pdf")
    assert len(sww) == 16 and all(code for code, _, _ in sww)
    assert {
        ("2011301", y("938.99"), 84),
        ("2060503", y("1720.00"), 88),
        ("2150899", y("29381.00"), 101),  # 资源勘探工业信息等支出, wrapped before 万元
        ("2169999", y("3136.40"), 103),
        ("2210201", y("136.10"), 105),
    } <= sww
    # 一般行政管理事务 under four 款 of 201: told apart by the 款 name
    wanli = function_lines("sh-putuo-wanli-2023-dept-budget.pdf")
    assert len(wanli) == 34 and all(code for code, _, _ in wanli)
    assert {
        ("2012902", y("45.41"), 71),
        ("2013202", y("65.69"), 74),
        ("2013302", y("100.20"), 77),
        ("2013402", y("9.00"), 80),
        ("2013802", y("14.62"), 83),
        ("2120101", y("1837.36"), 126),
    } <= wanli
    # the digits printed beside the names (204类 06款 01项) agree with the names
    sifaju = function_lines("sh-putuo-sifaju-2026-dept-budget.pdf")
    assert len(sifaju) == 13 and all(code for code, _, _ in sifaju)
    assert {
        ("2040601", y("1672.67"), 69),
        ("2040699", y("3845.49"), 80),
        ("2101101", y("114.97"), 92),  # 医疗卫生与计划生育支出: the former name of 210
        ("2210201", y("208.8"), 94),
    } <= sifaju
    fuliyuan = function_lines("sh-putuo-fuliyuan-2024-unit-budget.pdf")
    assert {("2080502", y("53.84"), 47), ("2081005", y("738.66"), 56)} <= fuliyuan
    # the change against the previous year's execution stated with the line
    assert ("function-line", None, Decimal("-1.07"), "2025", 69) in changes("sh-putuo-sifaju-2026-dept-budget.pdf")


@needs_corpus
def test_changes_and_flat_years():
    assert {
        ("income-fiscal", -y("2389.52"), None, "2024", 63),
        ("expenditure-fiscal", -y("2389.52"), None, "2024", 65),
        ("expenditure-gpb", -y("2389.52"), None, "2024", 65),
        ("expenditure-government-fund", 0, None, "2024", 66),
        ("three-public-total", 0, None, "2024", 251),
    } <= changes("sh-putuo-zfbgs-2025-dept-budget.pdf")
    assert ("three-public-total", y("25"), None, "2023", 469) in changes("sh-putuo-wanli-2024-dept-budget.pdf")


def test_function_code_is_written_on_the_narrative_figure():
    from lodpub.records import Statement

    assert "function_code" in Statement.__dataclass_fields__
    text = (Path(__file__).resolve().parents[1] / "mappings" / "rdf.yaml").read_text(encoding="utf-8")
    assert '[lp:functionalClassification, "code:function/{function_code}~iri"]' in text


# --- the national template as the regions print it (small texts written for these tests) ----------


def read(*texts: str, year: str = "2026", phase: str = "budget", first: int = 1, pages: list[int] | None = None):
    """The statements read from lines of text (one Line each, numbered from `first`)."""
    from lodpub.model import Line
    from lodpub.records import DocumentRecords, read_narrative

    doc = DocumentRecords(docid="x", sha256="x", location="x", media_type="application/pdf", title="t", department="d", fiscal_year=year, phase=phase)
    lines = [Line((pages or [1] * len(texts))[i], first + i, (t,)) for i, t in enumerate(texts)]
    read_narrative(doc, lines)
    return doc.statements


def test_item_with_its_class_on_a_heading_line():
    """江苏: the 类 on a heading line of its own, the 款 and 项 on the next; change and rate against 上年."""
    (st,) = [
        s
        for s in read(
            "（一）一般公共服务（类）",
            "1．党委办公厅（室）及相关机构事务（款）行政运行（项）",
            "支出9370.12万元，与上年相比增加1297.83万元，增长16.07%。",
            year="2019",
        )
        if s.figure == "function-line"
    ]
    assert (st.function_code, st.amount, st.change, st.change_share, st.compared_year) == ("2013101", y("9370.12"), y("1297.83"), Decimal("16.07"), "2018")
    assert (st.class_name, st.section_name, st.subsection_name) == ("一般公共服务", "党委办公厅（室）及相关机构事务", "行政运行")
    assert st.line == 2  # the line of its own names, not the heading's
    assert (st.amount_precision, st.change_precision, st.change_share_precision) == (Decimal(100), Decimal(100), Decimal("0.01"))


def test_items_keep_the_class_of_the_heading_across_a_page_break():
    """苏州: the items after a page break (its running head and page number left out of the narrative) keep
    the 类 of the heading above them; a sentence broken by the page break is read whole."""
    sts = read(
        "（一）一般公共服务支出（类）",
        "1.政府办公厅（室）及相关机构事务（款）行政运行（项）支",
        "出2,016.5万元，与上年相比减少16.14万元，减少0.79%。主要",
        "2.政府办公厅（室）及相关机构事务（款）一般行政管理事务",
        "（项）支出306万元，与上年相比减少366.5万元，减少54.5%。",
        pages=[33, 33, 33, 34, 34],
    )
    # lines 1-3 on page 33, 4-5 on page 34: consecutive numbers, so read as one text; now with a gap
    from lodpub.model import Line
    from lodpub.records import DocumentRecords, read_narrative

    doc = DocumentRecords(docid="x", sha256="x", location="x", media_type="application/pdf", title="t", department="d", fiscal_year="2026", phase="budget")
    texts = [
        "（一）一般公共服务支出（类）",
        "1.政府办公厅（室）及相关机构事务（款）行政运行（项）支",
        "出2,016.5万元，与上年相比减少16.14万元，减少0.79%。主要原因是按照上级政策要求，进一步压缩公用经费支出。",
        "2.政府办公厅（室）及相关机构事务（款）一般行政管理事务",
        "（项）支出306万元，与上年相比减少366.5万元，减少54.5%。",
    ]
    numbers, pages = [604, 605, 606, 610, 611], [33, 33, 33, 34, 34]
    read_narrative(doc, [Line(p, n, (t,)) for p, n, t in zip(pages, numbers, texts)])
    got = {(s.function_code, s.amount, s.change, s.change_share, s.line) for s in doc.statements}
    assert got == {("2010301", y("2016.5"), -y("16.14"), Decimal("-0.79"), 605), ("2010302", y("306"), -y("366.5"), Decimal("-54.5"), 610)}
    assert {s.function_code for s in sts} == {"2010301", "2010302"}
    # a gap that is not a page break (a table between) starts a new text: the sentence is not joined
    doc2 = DocumentRecords(docid="x", sha256="x", location="x", media_type="application/pdf", title="t", department="d", fiscal_year="2026", phase="budget")
    read_narrative(doc2, [Line(33, 605, (texts[1],)), Line(33, 612, (texts[2],))])
    assert not [s for s in doc2.statements if s.figure == "function-line"]


def test_section_with_its_own_figure_and_items_under_it():
    """江苏 (检察院): a 款 with its own figure (function-section), the 项 under it named alone."""
    sts = read(
        "（一）公共安全支出（类）",
        "检察（款）：2018年预算支出合计16,444.36万元。其中：",
        "1．行政运行（项）支出10,883.36万元，与上年相比增加2,915.22万元，增长36.58%。",
        year="2018",
    )
    got = {(s.figure, s.function_code, s.amount, s.line) for s in sts}
    assert got == {("function-section", "20404", y("16444.36"), 2), ("function-line", "2040401", y("10883.36"), 3)}


def test_budget_figure_and_the_execution_it_is_compared_with():
    """武汉 / 上海: “2026年预算数为…，比2025年执行数增加…，增幅…%”, “…与2025年执行数相同”, and the Shanghai
    explanation printing the previous execution, the budget again and the rate."""
    a, b = [
        s
        for s in read(
            "1.一般公共服务支出（类）信访事务（款）行政运行（项）2026年预算数为5,826.21万元，比2025年执行数增加271.14万元，增幅4.88%，主要是财政核定经费增加。",
            "3.一般公共服务支出（类）信访事务（款）机关服务（项）2026年预算数为236.83万元，与2025年执行数相同。",
        )
    ]
    assert (a.function_code, a.amount, a.change, a.change_share, a.compared_year) == ("2014001", y("5826.21"), y("271.14"), Decimal("4.88"), "2025")
    assert (b.function_code, b.amount, b.change, b.change_share) == ("2014003", y("236.83"), 0, None)
    (c,) = read(
        "1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。主要用于：行政单位的基本支出。2025年当年预算执行数为"
        "1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。主要原因是：部分人员退休。"
    )
    assert (c.function_code, c.amount, c.compared_amount, c.restated_amount, c.change, c.change_share, c.compared_year) == (
        "2040601",
        y("1672.67"),
        y("1690.69"),
        y("1672.67"),
        None,
        Decimal("-1.07"),
        "2025",
    )
    assert c.compared_amount_precision == Decimal(100) and c.restated_amount_precision == Decimal(100)


def test_final_account_item_with_initial_budget_completion_and_comparison():
    """国家信访局 决算: 年初预算 and 决算 of a 项, the completion rate and 大于/小于/等于 in words."""
    a, b = read(
        "1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为5717.32万元，支出决算为5757.63万元，完成年初预",
        "算的100.71%。决算数大于预算数的主要原因是2024年度预算执行中追加了预算，相应增加支出。",
        "2.一般公共服务（类）信访事务（款）一般行政管理事务（项）。年初预算为590.53万元，支出决算为590.53万元。决算数与预算数持平。",
        year="2024",
        phase="final-account",
    )
    assert (a.function_code, a.amount, a.compared_amount, a.completion_rate, a.comparison) == ("2014001", y("5757.63"), y("5717.32"), Decimal("100.71"), "大于")
    assert (b.function_code, b.amount, b.compared_amount, b.comparison) == ("2014002", y("590.53"), y("590.53"), "等于")


def test_codes_printed_with_the_names_and_amounts_in_yuan():
    """西安: the 7-digit code beside the 项's name; an amount printed in 元 keeps its unit and precision."""
    a, b = read(
        "1.行政运行（2014001）1,373.32万元，较上年增加41.86万元，增长3.14%，增长的主要原因是人员经费增加。",
        "2.信访业务（2014004）8,936,100.55元，较上年增加716,100元，增长8.71%。",
    )
    assert (a.function_code, a.amount, a.change, a.change_share, a.compared_year) == ("2014001", y("1373.32"), y("41.86"), Decimal("3.14"), "2025")
    assert (b.function_code, b.amount, b.unit, b.amount_precision, b.change, b.change_precision) == (
        "2014004",
        Decimal("8936100.55"),
        "元",
        Decimal("0.01"),
        Decimal(716100),
        Decimal(1),
    )


def test_class_figures_of_the_shanghai_municipal_wording():
    """上海市: “一般公共服务支出”科目1,744万元 states the 类."""
    sts = read(
        "1.“一般公共服务支出”科目1,744万元，主要用于人员经费、公用经费等基本支出。",
        "2.“社会保障和就业支出”科目206万元，主要用于缴纳在职人员基本养老保险缴费等支出。",
    )
    assert {(s.figure, s.function_code, s.amount) for s in sts} == {("function-class", "201", y("1744")), ("function-class", "208", y("206"))}


def test_a_former_name_resolves_to_the_code():
    """医疗卫生与计划生育支出 is the former name of 210, 行政事业单位离退休 of 20805: the code is found, the
    printed names kept (the shapes report a former name as a note)."""
    a, b = read(
        "11、医疗卫生与计划生育支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）114.97万元。",
        "1.社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）415.33万元，与上年相比增加7.52万元，增长1.84%。",
    )
    assert (a.function_code, a.class_name) == ("2101101", "医疗卫生与计划生育支出")
    assert (b.function_code, b.section_name) == ("2080505", "行政事业单位离退休")


def test_a_figure_and_its_change_are_one_statement_and_a_repeated_passage_is_read_once():
    """The change after a figure belongs to it (one statement, not two); a passage the text layer prints
    twice gives its figures once."""
    passage = [
        "（一）因公出国（境）费0万元，与2025年预算持平，主要原因是因公出国（境）无变化。",
        "（三）公务接待费0.83万元。与2025年预算持平，主要原因是公务接待无变化。",
    ]
    sts = read(*passage, *passage)
    assert [(s.figure, s.amount, s.change, s.compared_year, s.line) for s in sts] == [("overseas", 0, 0, "2025", 1), ("reception", y("0.83"), 0, "2025", 2)]


def test_names_in_a_reason_are_not_items():
    """A 款/项 named in a reason (调整至科技条件与服务（款）其他科技条件与服务支出（项）) states no figure."""
    sts = read(
        "5.政府办公厅（室）及相关机构事务（款）其他政府办公厅（室）及相关机构事务支出（项）支出330.72万元，与上年相比减少53,675.55万元，"
        "减少99.39%。主要原因是市级电子化政务项目调整至科技条件与服务（款）其他科技条件与服务支出（项）。",
        "（二）科学技术支出（类）",
        "科技条件与服务（款）其他科技条件与服务支出（项）支出50,000万元，与上年相比增加50,000万元（去年预算数为0万元，无法计算增减比率）。",
    )
    assert {(s.function_code, s.amount) for s in sts} == {(None, y("330.72")), ("2060599", y("50000"))}


def test_class_figures_under_the_government_fund_heading_are_not_read_against_the_general_public_budget(tmp_path):
    """杭州: under （八）政府性基金预算支出情况说明, “城乡社区（类）支出7,600.00万元，占100.0%” is a share of the fund's
    expenditure, not of the general public budget's (a false violation); under the general public budget's
    heading the same kind of sentence is read."""
    records = records_of_text(
        tmp_path,
        "\n".join(
            [
                "杭州市某某局2026年部门预算",
                "（五）一般公共预算支出情况说明",
                "一般公共服务（类）支出5,140.00万元，占1.4%。",
                "（八）政府性基金预算支出情况说明（详见表8）",
                "城乡社区（类）支出7,600.00万元，占100.0%。",
                "（九）国有资本经营预算支出情况说明",
            ]
        )
        + "\n",
    )
    classes = [st.sentence for st in records.statements if st.figure == "function-class"]
    assert len(classes) == 1 and "一般公共服务" in classes[0]


def test_the_years_own_income_and_expenditure_are_not_the_totals(tmp_path):
    """西南大学: “收支总预算582,276.35万元，其中本年收入预算445,059.97万元 … 本年支出预算486,554.95万元” states the
    year's own income and expenditure (本年收入合计, 本年支出合计), not the totals with the carry-over (a false
    violation against 收入总计); 收入预算 alone is still the total."""
    records = records_of_text(
        tmp_path,
        "西南大学2024年部门预算\n"
        "我校2024年收支总预算582,276.35万元，其中本年收\n"
        "入预算445,059.97万元，上年结转106,848.41万元；本年支出预算486,554.95万\n"
        "元，结转下年95,721.40万元。\n"
        "某局2024年收入预算1,200.00万元，支出预算1,200.00万元。\n",
    )
    got = [(s.figure, s.amount) for s in records.statements if s.amount is not None and s.figure.endswith(("income", "expenditure", "total"))]
    assert got == [
        ("current-year-income", y("445059.97")),
        ("current-year-expenditure", y("486554.95")),
        ("income-total", y("1200.00")),
        ("expenditure-total", y("1200.00")),
    ]


def test_the_central_departments_wording_of_the_final_account_totals(tmp_path):
    """国家信访局's 决算: “收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%” states the income and
    the expenditure total and their change; “财政拨款收支总决算20727.53万元 … 财政拨款收、支总计各增加5551.7万元” the fiscal
    appropriations' (not the department's) total."""
    records = records_of_text(
        tmp_path,
        "国家某某局2024年度部门决算\n"
        "一、收入支出决算总体情况说明\n"
        "国家某某局2024年度收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%。\n"
        "四、财政拨款收入支出决算总体情况说明\n"
        "国家某某局2024年度财政拨款收支总决算20727.53万元。与2023年度相比，财政拨款收、支总计各增加5551.7万元，增长36.58%。\n",
    )
    got = [(s.figure, s.amount, s.change, s.change_share, s.compared_year) for s in records.statements]
    assert got == [
        ("income-total", y("22066.59"), None, None, None),
        ("expenditure-total", y("22066.59"), None, None, None),
        ("income-total", None, y("5834.37"), Decimal("35.74"), "2023"),
        ("expenditure-total", None, y("5834.37"), Decimal("35.74"), "2023"),
        ("fiscal-total", y("20727.53"), None, None, None),
        ("fiscal-total", None, y("5551.7"), Decimal("36.58"), "2023"),
    ]


def test_a_share_printed_as_zhanbi(tmp_path):
    """国家信访局: “按经济分类划分为基本支出11073.11万元，占比75.99%；项目支出3499.42万元，占比24.01%” (占比 for 占)."""
    records = records_of_text(
        tmp_path,
        "国家某某局2024年度部门决算\n三、支出决算情况说明\n按经济分类划分为基本支出11073.11万元，占比75.99%；项目支出3499.42万元，占比24.01%。\n",
    )
    got = [(s.figure, s.amount, s.share) for s in records.statements]
    assert got == [("basic-expenditure", y("11073.11"), Decimal("75.99")), ("project-expenditure", y("3499.42"), Decimal("24.01"))]


def test_a_funds_carry_over_is_not_the_departments(tmp_path):
    """西安: “政府性基金预算财政拨款年初结转和结余58,830.98万元，收入决算…，年末结转和结余0万元” is the fund's carry-over
    (it was compared with the department's 年末结转和结余, a false violation); “6.年末结转和结余7494.06万元” is the department's."""
    records = records_of_text(
        tmp_path,
        "西安市某某委员会2022年度部门决算\n"
        "七、政府性基金预算财政拨款收入支出决算情况说明\n"
        "2022年度政府性基金预算财政拨款年初结转和结余58,830.98万元，收入决算509,220.66万元，支出决算568,051.63万元，年\n"
        "末结转和结余0万元。具体支出情况如下：\n"
        "（二）支出决算具体情况\n"
        "6.年末结转和结余7494.06万元，为本年度或以前年度预算尚未完成的资金。\n",
    )
    assert [(s.figure, s.amount) for s in records.statements if "carryover" in s.figure] == [("year-end-carryover", y("7494.06"))]
