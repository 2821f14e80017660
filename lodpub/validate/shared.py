"""What several shapes ask of one data graph, evaluated once for all of them: same findings.

Where a rule has two grades (a violation beyond the printed precision, a note within it), two shapes
share one constraint (`sh:sparql` of both) and its query keeps the solutions of the shape it runs for
with a FILTER on `$currentShape` (shapes/narrative.ttl, shapes/arithmetic.ttl). pyshacl runs such a
query once per shape, the whole work of the query each time. Here the query runs once per focus node:
its FILTERs on `$currentShape` become one boolean per sharing shape, computed where the FILTERs stood
(BIND at the end of the same group: a FILTER applies to its whole group, wherever it is written),
and each shape keeps the solutions whose boolean is true, as the FILTER would.

The query is rewritten only when that is certainly the same: `$currentShape` occurs in the projection
and in FILTER(…)s of the outer group only, the outer query has no solution modifier (GROUP BY, ORDER
BY, LIMIT …) and projects variables only. Any other query runs as pyshacl runs it.

The focus nodes of shapes with the same targets are found once (the 68 shapes that target
lp:BudgetDocument ask the data graph for its documents 68 times otherwise), and pyshacl looks its constraint
parameters up in a set.
"""

from __future__ import annotations

import re
import threading

from .engine import violations_of

_ON = True  # tests/test_validate_shared.py compares with and without (`enabled(False)`)
_CURRENT = threading.local()  # the SPARQL constraint (pyshacl's query helper) being evaluated
_rewritten: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...], bool] | None] = {}


class _Kept(threading.local):
    """What is kept during one validation (in each thread: two validations may run side by side)."""

    def __init__(self):
        self.solutions: dict[tuple, list[dict]] = {}  # (query, focus node, …) → its solutions
        self.focus: dict[tuple, frozenset] = {}  # a shape's targets → its focus nodes
        self.graph = None  # the data graph they belong to


_KEPT = _Kept()

_MASK = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.S,
)
_CS = CURRENT_SHAPE = re.compile(r"[?$]currentShape\b")  # (CURRENT_SHAPE: validate/direct.py)
_VARIABLE = re.compile(r"[?$][A-Za-z_][A-Za-z0-9_]*")


def _masked(text: str) -> str:
    """The text with strings, IRIs and comments blanked (same length): braces, parentheses and
    keywords are then found by position in the original."""
    return _MASK.sub(lambda m: {"#": " ", "<": "i"}.get(m.group(0)[0], "x") * len(m.group(0)), text)


def _closing(masked: str, start: int, open_: str, close: str) -> int:
    """Position of the bracket closing the one at `start`."""
    depth = 0
    for i in range(start, len(masked)):
        c = masked[i]
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced")


def rewrite(text: str, shapes: tuple[str, ...]) -> tuple[str, tuple[str, ...], bool] | None:
    """(the query with its FILTERs on $currentShape turned into a boolean per shape of `shapes`, the names
    of those booleans, whether the query projects $currentShape), or None when the query is not one to
    rewrite (see the module's docstring)."""
    key = (text, shapes)
    if key not in _rewritten:
        try:
            _rewritten[key] = _rewrite(text, shapes)
        except ValueError:
            _rewritten[key] = None
    return _rewritten[key]


def _rewrite(text: str, shapes: tuple[str, ...]) -> tuple[str, tuple[str, ...], bool] | None:
    masked = _masked(text)
    if any(masked[m.start()] == "i" for m in _CS.finditer(text)):
        return None  # (`?a<$currentShape … >` read as an IRI: a query too unusual to rewrite)
    select = re.search(r"\bSELECT\b", masked, re.I)
    if select is None:
        return None
    start = masked.find("{", select.end())
    if start < 0:
        return None
    end = _closing(masked, start, "{", "}")
    if masked[end + 1 :].strip():
        return None  # a solution modifier or VALUES after the outer group
    projection = re.sub(r"\bWHERE\s*$", "", masked[select.end() : start].rstrip(), flags=re.I)
    words = projection.split()
    modifier = ""
    if words[:1] and words[0].upper() in ("DISTINCT", "REDUCED"):
        modifier, words = words[0], words[1:]
    if not words or not all(_VARIABLE.fullmatch(w) for w in words):
        return None  # SELECT *, or an expression projected
    projects_shape = any(_CS.fullmatch(w) for w in words)
    # the FILTER(…)s at the outer group's own level (depth 1) that read $currentShape
    filters: list[tuple[int, int]] = []
    depth = 0
    i = start
    while i < end:
        c = masked[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 1 and masked.startswith("FILTER", i) and not (masked[i - 1].isalnum() or masked[i - 1] == "_"):
            j = i + len("FILTER")
            while masked[j].isspace():
                j += 1
            if masked[j] == "(":
                close = _closing(masked, j, "(", ")")
                if _CS.search(masked, j, close):
                    filters.append((i, close + 1, j))
                i = close
        i += 1
    if not filters:
        return None
    inside = sum(len(_CS.findall(masked, j, stop)) for _, stop, j in filters)
    if inside + (1 if projects_shape else 0) != len(_CS.findall(masked)) or sum(_CS.fullmatch(w) is not None for w in words) > 1:
        return None  # $currentShape elsewhere too (a subquery, a pattern, a BIND): not rewritten
    names = tuple(f"lodpubShape{n}" for n in range(len(shapes)))
    binds, kept_by = [], []
    for name, shape in zip(names, shapes):
        tests = [_CS.sub(f"<{shape}>", text[j:stop]) for _, stop, j in filters]
        test = "true"
        for t in reversed(tests):  # FILTER(a) FILTER(b): a solution stays when both are true (an error drops it)
            test = f"IF({t}, {test}, false)"
        binds.append(f"BIND (COALESCE({test}, false) AS ?{name})")
        kept_by.append(f"COALESCE({test}, false)")
    # in place of the FILTERs, one that keeps the solutions some shape keeps (Oxigraph drops the others as early
    # as it dropped them before, not after the group's last BIND); the booleans at the end of the group
    out = text[:end]
    for n, (begin, stop, _) in enumerate(reversed(filters)):
        replacement = f"FILTER ({' || '.join(kept_by)})" if n == len(filters) - 1 else " " * (stop - begin)
        out = out[:begin] + replacement + out[stop:]
    out = out + "\n" + "\n".join(binds) + "\n" + text[end:]
    kept = [w for w in words if not _CS.fullmatch(w)] + [f"?{n}" for n in names]
    head = text[: select.end()] + " " + " ".join(([modifier] if modifier else []) + kept) + " WHERE "
    return head + out[start:], names, projects_shape


def sharing_shapes(helper) -> tuple[str, ...]:
    """The shapes whose sh:sparql is the constraint of pyshacl's query helper `helper`, in a stable order."""
    from rdflib.namespace import SH

    graph = helper.shape.sg.graph
    return tuple(sorted(str(s) for s in graph.subjects(SH.sparql, helper.node)))


def solutions(constraint, query: str, init_binds: dict, target_graph) -> list[dict] | None:
    """The solutions (variable → term, as rdflib's `ResultRow.asdict`) of the query pyshacl would run for the
    constraint's current shape, from one evaluation shared by the shapes sharing the constraint; None when
    the query is not one to share."""
    helper = getattr(_CURRENT, "helper", None)
    shape = init_binds.get("currentShape")
    if not _ON or helper is None or shape is None:
        return None
    shapes = sharing_shapes(helper)
    if len(shapes) < 2 or str(shape) not in shapes:
        return None
    rewritten = rewrite(query, shapes)
    if rewritten is None:
        return None
    text, names, projects_shape = rewritten
    _for(target_graph)
    binds = {k: v for k, v in init_binds.items() if k != "currentShape"}
    key = (text, tuple(sorted((k, v) for k, v in binds.items())))
    rows = _KEPT.solutions.get(key)
    if rows is None:
        rows = _KEPT.solutions[key] = [r.asdict() for r in target_graph.query(text, initBindings=binds)]
    return rows_of_shape(rows, names, shapes.index(str(shape)), shape if projects_shape else None)


def rows_of_shape(rows: list[dict], names: tuple[str, ...], i: int, shape=None) -> list[dict]:
    """The solutions of a rewritten query (`rewrite`) that its i-th shape keeps (its boolean `names[i]` true),
    without the booleans; with ?currentShape bound to `shape` when the query projects it (`shape` given)."""
    out = []
    for row in rows:
        keep = row.get(names[i])
        if keep is None or str(keep) != "true":
            continue
        row = {k: v for k, v in row.items() if k not in names}
        if shape is not None:
            row["currentShape"] = shape
        out.append(row)
    return out


def _for(target_graph) -> None:
    """Forget what was kept for another data graph."""
    if _KEPT.graph is not target_graph:
        _KEPT.solutions.clear()
        _KEPT.focus.clear()
        _KEPT.graph = target_graph


def _install() -> None:
    try:
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
        from pyshacl.shape import Shape
        from pyshacl.validator import Validator
        from rdflib.namespace import SH
    except ImportError:  # another pyshacl: leave it as it is
        return
    if getattr(SPARQLBasedConstraint._evaluate_sparql_constraint, "_lodpub_shared", False):
        return
    evaluate = SPARQLBasedConstraint._evaluate_sparql_constraint
    find_focus = Shape.focus_nodes
    validate_query = SPARQLBasedConstraint._validate_sparql_query
    run = Validator.run

    def _evaluate_sparql_constraint(self, sparql_constraint, target_graph, f_v_dict):
        _CURRENT.helper = sparql_constraint
        try:
            return evaluate(self, sparql_constraint, target_graph, f_v_dict)
        finally:
            _CURRENT.helper = None

    def _validate_sparql_query(self, query, init_binds, target_graph):
        rows = solutions(self, query, init_binds, target_graph)
        if rows is None:
            return validate_query(self, query, init_binds, target_graph)
        return violations_of(dict(r) for r in rows)

    def _run(self):
        _for(None)  # solutions and focus nodes are kept for one validation (the data graph does not change during it)
        try:
            return run(self)
        finally:
            _for(None)

    def focus_nodes(self, data_graph, debug=False):
        # the shapes of a rule each ask the data graph for the same targets (68 shapes target lp:BudgetDocument)
        if not _ON or self._advanced and next(iter(self.sg.graph.objects(self.node, SH.target)), None) is not None:
            return find_focus(self, data_graph, debug=debug)
        _for(data_graph)
        key = tuple(frozenset(targets) for targets in self.target())
        found = _KEPT.focus.get(key)
        if found is None:
            found = _KEPT.focus[key] = frozenset(find_focus(self, data_graph, debug=debug))
        return set(found)

    _evaluate_sparql_constraint._lodpub_shared = True
    Shape.focus_nodes = focus_nodes
    SPARQLBasedConstraint._evaluate_sparql_constraint = _evaluate_sparql_constraint
    SPARQLBasedConstraint._validate_sparql_query = _validate_sparql_query
    Validator.run = _run


class _Parameters(list):
    """pyshacl's list of constraint parameters (sh:minCount, sh:sparql …), looked up in a set: pyshacl tests each
    statement of each shape for membership in it, some forty comparisons of terms each."""

    def __init__(self, items):
        super().__init__(items)
        self._set = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._set


def _install_parameters() -> None:
    try:
        import pyshacl.shape
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:  # another pyshacl: leave it as it is
        return
    pyshacl.shape.CONSTRAINT_PARAMS = (_Parameters(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


class enabled:
    """`with enabled(False):` validates as pyshacl does, each shape's query on its own (for tests)."""

    def __init__(self, on: bool):
        self.on = on

    def __enter__(self):
        global _ON
        self.before, _ON = _ON, self.on
        return self

    def __exit__(self, *exc):
        global _ON
        _ON = self.before
        return False


_install()
_install_parameters()
