"""Two adjustments of pyshacl's SHACL-SPARQL evaluation, same findings: queries prepared once, and
repeated solutions dropped through a set instead of a list."""

from __future__ import annotations


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
        violations = []
        seen = set()
        for r in results:
            var_dict = r.asdict()
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

    _validate_sparql_query._lodpub_hashed = True
    SPARQLBasedConstraint._validate_sparql_query = _validate_sparql_query


_dedup_results_by_hash()
