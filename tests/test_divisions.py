"""Where an organisation is: the GB/T 2260 division its name begins with and its level of government."""

from __future__ import annotations

import csv

import pytest

from lodpub.namespaces import MAPPINGS
from lodpub.records.divisions import divisions, locate


@pytest.mark.parametrize(
    "name, code, level",
    [
        ("上海市普陀区司法局", "310107", "county"),
        ("深圳市司法局", "440300", "prefecture"),
        ("北京市公安局", "110000", "province"),
        ("中共北京市委宣传部", "110000", "province"),
        ("江苏省财政厅", "320000", "province"),
        ("广州市越秀区教育局", "440104", "county"),
        ("浙江省杭州市西湖区民政局", "330106", "county"),
    ],
)
def test_division_from_the_name(name: str, code: str, level: str) -> None:
    division, found_level = locate(name)
    assert division is not None and division.code == code, (name, division)
    assert found_level == level


def test_central_departments_have_no_division() -> None:
    assert locate("国家信访局") == (None, "central")
    assert locate("中华人民共和国生态环境部") == (None, "central")


def test_a_name_without_a_place_is_not_given_one() -> None:
    assert locate("机关事务管理局") == (None, None)
    assert locate("") == (None, None)


def test_a_county_name_shared_by_two_provinces_needs_its_province() -> None:
    # 朝阳区 is in 北京 (110105); 朝阳市/朝阳县 are in 辽宁: only the province decides
    assert locate("北京市朝阳区教育委员会")[0].code == "110105"
    shared = [d for d in divisions().values() if d.name == "朝阳区"]
    assert len(shared) >= 1


def test_every_division_names_a_parent_that_exists() -> None:
    with (MAPPINGS / "codes" / "divisions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    codes = {r["code"] for r in rows}
    assert len(rows) > 3000
    for r in rows:
        assert len(r["code"]) == 6 and r["code"].isdigit(), r
        assert r["level"] in {"province", "prefecture", "county"}, r
        assert (r["parent"] == "") == (r["level"] == "province"), r
        assert r["parent"] == "" or r["parent"] in codes, r
