"""Validation of the reference corpus of real PDFs: every finding is a genuine inconsistency of
the printed document, and every genuine inconsistency found by reading the PDFs is reported.
Skipped without the corpus.

Per document, the exact set of (rule, table, row) findings (violations and warnings):

* czj 2024 final account: 收入支出决算总表 and 财政拨款收入支出决算总表 print 八、社会保障和就业支出 as
  326.71 万元, while 支出决算表 and 一般公共预算财政拨款支出决算表 print the class row 208 as 326.72 万元
  (the sum of its four 项 lines). Two printings of one figure at the same precision must be equal.
  The 0.01 万元 differences between 301 工资福利支出 (2,082.85) / 302 商品和服务支出 / 人员经费合计 and
  the sums of their printed items are within rounding (a sum of n figures printed to 0.01 may differ
  by n × 0.005 plus 0.005 for the total): not reported.
  The narrative (line 307) states 财政拨款收入支出总计 0.3 万元, while 财政拨款收入支出决算总表 prints 总计
  2,961.68 万元; and (line 317) 一般公共服务支出（类）2106.66 万元 as 71.73% of the general-public-budget
  expenditure of 2,940.05 万元, which is 71.65% (the four shares add up to 100.07%).
  The 三公 决算 figures of the narrative (0.00 万元) are compared with the 决算数 columns only, which are
  blank; the 预算数 columns (0.95 万元) are not the document's phase.
* fuliyuan 2024: 事业单位医疗 printed with the class “7” instead of 210 (code 71102), in the
  expenditure table and the general-public-budget table. The narrative (line 56) states 社会福利事业单位
  (2081005) 738.66 万元, while 一般公共预算支出功能分类预算表 prints 6,964,796 元 (696.48 万元).
* wanli 2023: the performance form of p.35 (table 14) prints 当年财政拨款 11,419,043 元 under a
  年度资金申请总额 of 10,903,043 元.
* wanli 2024: the 三公 table prints 47.91 万元 (and its parts) while its note says the table is empty.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, needs_corpus

pytestmark = needs_corpus

EXPECTED = {
    "sh-putuo-czj-2024-final-account.pdf": {
        ("Violation", "FunctionClassAgreement", 1, 8),
        ("Violation", "FunctionClassAgreement", 4, 8),
        ("Violation", "NarrativeFigureMatchesTable", 4, 32),
        ("Violation", "NarrativeShareMatchesTable", 5, 20),
    },
    "sh-putuo-fuliyuan-2024-unit-budget.pdf": {
        ("Violation", "FunctionCodeFit", 3, 11),
        ("Violation", "FunctionCodeFit", 5, 11),
        ("Violation", "NarrativeFigureMatchesTable", 5, 8),
    },
    "sh-putuo-sifaju-2026-dept-budget.pdf": set(),
    "sh-putuo-sww-2025-dept-budget.pdf": set(),
    "sh-putuo-wanli-2023-dept-budget.pdf": {
        ("Violation", "RowBreakdown", 14, 5),
    },
    "sh-putuo-wanli-2024-dept-budget.pdf": {
        ("Warning", "DeclaredEmptyWithFigures", 9, 1),
    },
    "sh-putuo-zfbgs-2025-dept-budget.pdf": set(),
}


def findings_of(name: str):
    from lodpub.uris import DEFAULT_BASE
    from lodpub.pipeline import document_quads, process
    from lodpub.validate import validate_document
    from lodpub.vocabulary import code_usage, vocabulary_quads

    result = process(str(CORPUS / name), validate=False, keep_records=True)
    assert result.error is None, result.error
    own, shared = document_quads(result.records, DEFAULT_BASE)
    vocab = vocabulary_quads(code_usage([result.records]), DEFAULT_BASE)
    return validate_document(result.records.docid, own + shared, vocab)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_genuine_findings(name):
    findings = findings_of(name)
    got = {(f.severity, f.shape.rsplit("#", 1)[-1], f.table, f.row) for f in findings if f.severity != "Info"}
    assert got == EXPECTED[name], [f.message for f in findings]


def test_genuine_findings_name_the_figures():
    messages = {f.shape.rsplit("#", 1)[-1]: f.message for f in findings_of("sh-putuo-czj-2024-final-account.pdf")}
    assert "326.71" in messages["FunctionClassAgreement"] and "326.72" in messages["FunctionClassAgreement"]
    (form,) = [f for f in findings_of("sh-putuo-wanli-2023-dept-budget.pdf")]
    assert "10,903,043.00" in form.message and "11419043" in form.message
    (empty,) = [f for f in findings_of("sh-putuo-wanli-2024-dept-budget.pdf")]
    assert "47.91" in empty.message and "本表为空" in empty.message
    assert "第307行" in messages["NarrativeFigureMatchesTable"] and "0.3万元" in messages["NarrativeFigureMatchesTable"]
    assert "2,961.68" in messages["NarrativeFigureMatchesTable"]
    assert "第317行" in messages["NarrativeShareMatchesTable"] and "71.73%" in messages["NarrativeShareMatchesTable"]
    assert "71.65%" in messages["NarrativeShareMatchesTable"]
    fuliyuan = findings_of("sh-putuo-fuliyuan-2024-unit-budget.pdf")
    assert all("71102" in f.message for f in fuliyuan if f.shape.endswith("#FunctionCodeFit"))
    (line,) = [f for f in fuliyuan if f.shape.endswith("#NarrativeFigureMatchesTable")]
    assert "第56行" in line.message and "738.66" in line.message and "6,964,796" in line.message
