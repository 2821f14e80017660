"""Adjustments of pyshacl's SHACL-SPARQL evaluation, same findings: queries prepared once, repeated
solutions dropped through a set instead of a list, and a graded query run once for its two shapes."""

from __future__ import annotations

import re
from functools import lru_cache


def _cache_sparql_checks() -> None:
    """pyshacl checks the text of a SHACL-SPARQL query (no MINUS/VALUES/SERVICE, nested SELECTs
    project $this) with regular expressions each time it runs the query for a focus node; on long
    queries that costs more than the query. The check depends on the text only, so a text that
    passed once is not checked again."""
    try:
        from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
    except ImportError:  # a pyshacl without this helper: nothing to speed up
        return
    check = SPARQLQueryHelper.check_invalid_sparql
    if getattr(check, "_lodpub_cached", False):
        return
    passed: set = set()

    def cached_check(self, sparql_text, valuenode=None, extravars=None):
        key = (sparql_text, valuenode is None, tuple(sorted(extravars or ())))
        if key in passed:
            return None
        result = check(self, sparql_text, valuenode=valuenode, extravars=extravars)
        passed.add(key)
        return result

    cached_check._lodpub_cached = True
    SPARQLQueryHelper.check_invalid_sparql = cached_check

    # The prefixes of a SPARQL constraint depend on the shapes graph and the constraint node only;
    # pyshacl collects them from the shapes graph again for every constraint of every document.
    collect = SPARQLQueryHelper.collect_prefixes
    collected: dict = {}

    def cached_collect(self):
        key = (id(self.shape.sg.graph), self.node)
        known = collected.get(key)
        if known is not None and known[0] is self.shape.sg.graph:
            self.prefixes.update(known[1])
            return None
        result = collect(self)
        collected[key] = (self.shape.sg.graph, dict(self.prefixes))
        return result

    SPARQLQueryHelper.collect_prefixes = cached_collect


_cache_sparql_checks()


def _dedup_results_by_hash() -> None:
    """pyshacl drops the repeated solutions of a SHACL-SPARQL query by looking each one up in the list
    of those kept (`in` on a list): quadratic in the solutions, which a long document has many of
    (7,680 for one rule on a document of 16 copies of the example, 2 s of list scanning). The same
    solutions are kept, in the same order, looked up in a set instead."""
    try:
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
    except ImportError:  # another pyshacl: leave it as it is
        return
    if getattr(SPARQLBasedConstraint._validate_sparql_query, "_lodpub_hashed", False):
        return

    def _validate_sparql_query(self, query, init_binds, target_graph):
        results = target_graph.query(query, initBindings=init_binds)
        if not results or len(results.bindings) < 1:
            return []
        return violations_of(r.asdict() for r in results)

    _validate_sparql_query._lodpub_hashed = True
    SPARQLBasedConstraint._validate_sparql_query = _validate_sparql_query


_dedup_results_by_hash()


# A graded query: one SHACL-SPARQL constraint shared by two shapes (lps:ColumnTotals, a violation beyond
# rounding, and lps:ColumnTotalsRounding, a note within it) that computes ?grade, the shape a solution
# belongs to, and keeps the solutions of the shape running it with this one filter of its outermost group.
_GRADE_FILTER = re.compile(r"FILTER\s*\(\s*\?grade\s*=\s*\$currentShape\s*\)")
GRADED_ONCE = True  # tests turn it off to compare with pyshacl's own evaluation


def _outer_depths(text: str) -> list[int]:
    """The depth of curly brackets at each character of a SPARQL text (IRIs, strings and comments skipped)."""
    depths, depth, i, n = [0] * len(text), 0, 0, len(text)
    while i < n:
        c = text[i]
        end = i + 1
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            end = i + len(re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]).group(0))
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            end = text.find(quote, i + len(quote))
            while end > 0 and text[end - 1] == "\\" and len(quote) == 1:
                end = text.find(quote, end + 1)
            end = n if end < 0 else end + len(quote)
        elif c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        for j in range(i, end):
            depths[j] = depth
        i = end
    return depths


@lru_cache(maxsize=None)
def _ungraded(query: str) -> tuple[str, bool] | None:
    """For a graded query (the grade filter once, in the outermost group, and $currentShape nowhere else but
    the projection; nothing after that group), the query without the filter and with ?grade projected, and
    whether it projects $currentShape."""
    found = list(_GRADE_FILTER.finditer(query))
    if len(found) != 1:
        return None
    start, end = found[0].span()
    rest = query[:start] + query[end:]
    select = re.search(r"\bSELECT\b(.*?)\bWHERE\b", rest, re.S | re.I)
    if select is None or "$currentShape" in rest[select.end() :] or "$currentShape" in rest[: select.start()]:
        return None
    depths = _outer_depths(query)
    if depths[start] != 1:
        return None
    closing = max(i for i, c in enumerate(query) if c == "}" and depths[i] == 0)  # the end of the outermost group
    if query[closing + 1 :].strip() or re.search(r"\b(GROUP|HAVING|LIMIT|OFFSET)\b", select.group(1), re.I):
        return None
    if not re.search(r"[?$]grade\b", select.group(1)):
        rest = rest[: select.end(1)] + " ?grade " + rest[select.end(1) :]
    return rest, "$currentShape" in select.group(1)


def _evaluate_graded_once() -> None:
    """pyshacl runs a SHACL-SPARQL constraint once for each shape that holds it: a graded query twice per
    focus node. For a graded query, the query without its grade filter is run once per focus node and data
    graph, its solutions kept (on the data graph), and each shape given those whose ?grade is the shape:
    the solutions pyshacl's own evaluation finds, with the same bindings (tests/test_validate.py compares)."""
    try:
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
    except ImportError:  # another pyshacl: leave it as it is
        return
    run = SPARQLBasedConstraint._validate_sparql_query
    if getattr(run, "_lodpub_graded", False):
        return

    def _validate_sparql_query(self, query, init_binds, target_graph):
        shape = init_binds.get("currentShape")
        ungraded = _ungraded(query) if GRADED_ONCE and shape is not None else None
        if ungraded is None:
            return run(self, query, init_binds, target_graph)
        ungraded, projected = ungraded
        cache = target_graph.__dict__.setdefault("_lodpub_graded", {})
        binds = {k: v for k, v in init_binds.items() if k != "currentShape"}
        key = (ungraded, tuple(sorted(binds.items())))
        solutions = cache.get(key)
        if solutions is None:
            solutions = cache[key] = [r.asdict() for r in target_graph.query(ungraded, initBindings=binds)]
        mine = []
        for solution in solutions:
            if solution.get("grade") == shape:
                solution = dict(solution)
                solution.pop("grade")
                if projected:
                    solution["currentShape"] = shape
                mine.append(solution)
        return violations_of(mine)

    _validate_sparql_query._lodpub_graded = True
    SPARQLBasedConstraint._validate_sparql_query = _validate_sparql_query


def violations_of(solutions) -> list:
    """What pyshacl's SPARQLBasedConstraint._validate_sparql_query makes of a SELECT's solutions (dicts,
    each consumed): a failure once, else (this, path, value, the other variables) per distinct solution,
    in order; repeated ones dropped through a set (pyshacl looks each up in a list: quadratic)."""
    violations = []
    seen = set()
    for var_dict in solutions:
        f = var_dict.pop("failure", None)
        if f is not None:
            if True in seen:
                continue
            violations.append((True, var_dict))
            seen.add(True)
        else:
            p = var_dict.pop("path", None)
            v = var_dict.pop("value", None)
            t = var_dict.pop("this", None)
            if (p is not None) or (v is not None) or (t is not None):
                key = (t, p, v, frozenset(var_dict.items()))
                if key in seen:
                    continue
                seen.add(key)
                violations.append((t, p, v, var_dict))
    return violations


_evaluate_graded_once()
