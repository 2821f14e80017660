"""The aggregates graph: publication-wide sums that answer national questions without reading every line."""

from __future__ import annotations

import pyoxigraph as ox

from chart_reference import national_sums, published_aggregates
from conftest import BASE, EXAMPLE, select


def test_the_example_aggregates_are_the_sums_of_its_budget_lines(example_store):
    expected = national_sums(example_store)
    assert len(expected) == 4  # the example's four function classes
    assert published_aggregates(example_store) == expected


def test_aggregates_are_not_budget_lines(example_build, example_store):
    """A query summing every budget line does not count the aggregates: the lines are the CSV's rows."""
    _, out = example_build
    lines = select(example_store, "SELECT (COUNT(?l) AS ?n) WHERE { ?l a lp:BudgetLine }")[0]["n"]
    csv_rows = (out / "budget-lines.csv").read_text(encoding="utf-8").count("\n") - 1
    assert int(lines) == csv_rows
    aggregates = select(
        example_store,
        """SELECT (COUNT(?o) AS ?n) WHERE { GRAPH ?g { ?o a lp:AggregateObservation } }
                                          """,
    )[0]["n"]
    assert int(aggregates) == 4
    graphs = {r["g"] for r in select(example_store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?o a lp:AggregateObservation } }")}
    assert graphs == {f"{BASE}graph/aggregates"}


def test_two_departments_and_two_years_are_summed_apart_and_together(tmp_path):
    from lodpub.build import build

    text = EXAMPLE.read_text(encoding="utf-8")
    inputs = []
    for name, content in [("a", text), ("b", text.replace("漯河市人民政府办公室", "漯河市财政局")), ("c", text.replace("2024", "2023"))]:
        (tmp_path / f"{name}.txt").write_text(content, encoding="utf-8")
        inputs.append(str(tmp_path / f"{name}.txt"))
    build(inputs, tmp_path / "out", base=BASE, issued="2024-03-01")
    store = ox.Store.read_only(str(tmp_path / "out" / "store"))
    published = published_aggregates(store)
    assert published == national_sums(store)
    amount, lines, documents = published[("2024", "budget", "201")]
    assert documents == 2 and amount == 2 * published[("2023", "budget", "201")][0]
    assert published[("2023", "budget", "201")][2] == 1


def test_the_aggregates_follow_their_data_structure_definition(example_store):
    """Every aggregate observation has each dimension and the measure of dsd:function-class-totals (IC-11/14)."""
    components = select(
        example_store,
        """
        SELECT ?p WHERE { <https://w3id.org/lodpub/dsd/function-class-totals> qb:component ?c .
                          ?c ?kind ?p FILTER(?kind IN (qb:dimension, qb:measure)) }""",
    )
    properties = {r["p"] for r in components}
    assert len(properties) == 4
    for p in properties:
        missing = select(
            example_store,
            f"""SELECT ?o WHERE {{ ?o a lp:AggregateObservation
                                                FILTER NOT EXISTS {{ ?o <{p}> ?v }} }}""",
        )
        assert not missing, p
