"""The triples the rules of shapes/derived.ttl derive from a document's published triples (tolerances,
code digits, join keys, codes printed within codes), computed here in one pass over the document's
N-Quads text; tests/test_rerun_shapes.py holds them equal to what a SHACL-AF engine derives with the
rules. They are never published: anyone who reruns the shapes derives them again."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from .. import codelists, uris

_QB = "http://purl.org/linked-data/cube#"

_LP = "https://w3id.org/lodpub/ontology#"
_UNIT_FACTORS = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
_CODE_SCHEMES = {"function": "Function", "economic-dept": "Economic"}


def _literal_text(obj: str) -> str:
    """The lexical form of an N-Triples literal (`"2,940.05"`, `"万元"@zh`, `"1"^^<…>`)."""
    return obj[1 : obj.rfind('"')] if obj.startswith('"') else obj


_ROW_ROLE = f"<{_LP}rowRole>"
# The dimensions along which lps:RowBreakdown adds parts up to a whole (keys only for these), and
# those whose parts may be printed on other rows than their whole (performance targets and forms).
_BREAKDOWN_DIMENSIONS = {f"<{_LP}{d}>" for d in ("expenditureKind", "economicClassification", "projectType", "controlledExpense", "fundingSource")}
_ACROSS_ROWS_DIMENSIONS = {f"<{_LP}fundingSource>", f"<{_LP}expenditureKind>"}
# Breakdown dimensions whose codes (ontology/codelists.ttl) may be printed beside a broader or narrower code
_NESTED_DIMENSIONS = {f"<{_LP}{d}>" for d in ("expenditureKind", "fundingSource", "controlledExpense", "projectType")}
# Dimensions that never take the total _T (every rule that asks for “the other dimensions are _T” leaves them out)
_NEVER_TOTAL = {f"<{_LP}{d}>" for d in ("organisation", "fiscalYear", "budgetPhase")}
# Predicates of a document graph no shape reads: left out of the validation graph (unless a data
# structure definition makes one of them a dimension, which IC-11 and IC-19 read)
_UNREAD_PREDICATES = frozenset(
    {"<http://data.openbudgets.eu/ontology/dsd/attribute/currency>"}
    | {
        f"<{_LP}{p}>"
        for p in (
            "sourcePage",
            "rowCount",
            "comparedWithYear",
            "indicatorCategory",
            "indicatorLevel1",
            "indicatorLevel2",
            "indicatorLevel3",
            "targetValue",
            "targetExplanation",
            "periodTargetValue",
            "implementingUnit",
            "projectTypeLabel",
            "defines",
            "extractor",
            "mediaType",
            "governmentEconomicClassification",
        )
    }
)
_DATASET, _STRUCTURE = f"<{_QB}dataSet>", f"<{_QB}structure>"
_PRINTED_PRECISION, _PRINTED_UNIT = f"<{_LP}printedPrecision>", f"<{_LP}printedUnit>"
_FUNCTION, _ECONOMIC = f"<{_LP}functionalClassification>", f"<{_LP}economicClassification>"
_GOV_ECONOMIC = f"<{_LP}governmentEconomicClassification>"
_ROW_LABEL = f"<{_LP}rowLabel>"
_SOURCE_COLUMN, _SOURCE_ROW, _ORGANISATION = f"<{_LP}sourceColumn>", f"<{_LP}sourceRow>", f"<{_LP}organisation>"
_DERIVED_FROM = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
_DECIMAL = "<http://www.w3.org/2001/XMLSchema#decimal>"
_SOURCE_PAGE = f"<{_LP}sourcePage>"


def _passage_or_table(subject: str) -> bool:
    """Whether an IRI is a passage (BASE doc/{docid}/text/{line}) or a table (BASE doc/{docid}/table/{n})
    of a document, not a line of a table."""
    doc = subject.rfind("/doc/")
    if subject.rfind("/text/") > doc > 0:
        return True
    table = subject.rfind("/table/")
    return table > doc > 0 and "/" not in subject[table + 7 :]


@lru_cache(maxsize=1 << 16)  # (the same codes, columns and dimensions, on line after line)
def _str(term: str) -> str:
    """SPARQL's STR() of an N-Triples term: an IRI without its brackets, a literal's lexical form."""
    return term[1:-1] if term.startswith("<") else _literal_text(term)


@lru_cache(maxsize=1 << 16)
def _part(dimension: str, value: str | None) -> str:
    """“dimension=value” of a join key (value "" when the line has none), as the rules write it."""
    return f"{_str(dimension)}={_str(value) if value is not None else ''}"


def _key(*parts: str) -> str:
    """A join key as the rules of shapes/derived.ttl write it: the parts joined by blanks."""
    text = " ".join(parts).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _digest(*parts: str) -> str:
    """SPARQL's SHA1 of the parts joined by blanks."""
    return hashlib.sha1(" ".join(parts).encode("utf-8")).hexdigest()


def _digest_key(*parts: str) -> str:
    """A long join key as the rules write it: the digest of its parts (a key of every dimension is ~1 KB; its
    digest loads and compares faster, and a key is never shown)."""
    return f'"{_digest(*parts)}"'


def _dimension_key(dimension: str, *parts: str) -> str:
    """A key of the lines that differ in `dimension` only, as the rules write it: the dimension's local name, a
    blank and the digest of the dimension and the parts (a rule tells the keys of its own dimension without a join)."""
    d = _str(dimension)
    return f'"{d.rsplit("#", 1)[-1]} {_digest(d, *parts)}"'


# What _document_triples does with the triples of a predicate (told once per predicate and document)
_UNREAD, _PRECISION, _PROPERTY, _TABLE_OF, _STRUCTURE_OF, _SOURCE, _KEPT = range(7)
_ROLE_OF_PREDICATE = {_DATASET: _TABLE_OF, _STRUCTURE: _STRUCTURE_OF, _DERIVED_FROM: _SOURCE}


def _predicate_role(p: str, leave_out: frozenset) -> int:
    if p in leave_out:
        return _UNREAD
    if p == _PRINTED_PRECISION:
        return _PRECISION
    return _PROPERTY if p.startswith(f"<{_LP}") else _ROLE_OF_PREDICATE.get(p, _KEPT)


def _document_triples(quads: list[str], dimensions: dict) -> tuple[list[str], list[str]]:
    """One pass over a document's N-Quads lines: (its triples as N-Triples lines without the
    predicates no shape reads, but without their final " ." each; the derived triples of `helper_triples`)."""
    leave_out = _UNREAD_PREDICATES.difference(d for dims in dimensions.values() for d in dims)
    triples = []
    out = []
    table_of: dict[str, str] = {}
    dsd_of: dict[str, str] = {}
    derived: set[str] = set()  # subjects prov:wasDerivedFrom the document (lines, narrative figures)
    props: dict[str, dict[str, str]] = defaultdict(dict)
    role_of: dict[str, int] = {}  # predicate → what the pass does with its triples (_predicate_role)
    for q in quads:
        body = q[: q.rfind(" <")]  # drop the graph name (the last IRI of the line)
        s, p, o = body.split(" ", 2)
        role = role_of.get(p)
        if role is None:
            role = role_of[p] = _predicate_role(p, leave_out)
        if role == _UNREAD:
            if not (p == _SOURCE_PAGE and _passage_or_table(s)):
                continue  # (the page of a passage or a table is in the messages about them)
            role = _PROPERTY
        if role != _PRECISION:  # (read by the rules of shapes/derived.ttl only: their triples are made here)
            triples.append(body)
        if role == _PROPERTY or role == _PRECISION:
            props[s][p] = o
        elif role == _TABLE_OF:
            table_of[s] = o
        elif role == _STRUCTURE_OF:
            dsd_of[s] = o
        elif role == _SOURCE and not uris.is_table_part(o):
            derived.add(s)
    for s in derived:  # the codes of budget lines and narrative figures
        for p, name in ((_FUNCTION, "Function"), (_ECONOMIC, "Economic")):
            o = props.get(s, {}).get(p)
            if o is None:
                continue
            code = o.strip("<>").partition(f"/code/{'function' if name == 'Function' else 'economic-dept'}/")[2]
            if not code.isdigit():
                continue
            out.append(f'{s} <{_LP}v{name}Code> "{code}" .')
            if name == "Function":
                out.append(f'{s} <{_LP}vFunctionClass> "{code[:3]}" .')
    _join_keys(table_of, dsd_of, props, dimensions, out)
    for s, values in props.items():
        precision, unit = values.get(_PRINTED_PRECISION), values.get(_PRINTED_UNIT)
        if precision is None or unit is None or s not in table_of:
            continue
        tolerance, factor = _tolerance_and_factor(precision, unit)
        out.append(f'{s} <{_LP}vTolerance> "{tolerance}"^^{_DECIMAL} .')
        out.append(f'{s} <{_LP}vUnitFactor> "{factor}"^^{_DECIMAL} .')
    return triples, out


@lru_cache(maxsize=1024)
def _tolerance_and_factor(precision: str, unit: str) -> tuple[str, str]:
    """lp:vTolerance (half the printed precision) and lp:vUnitFactor (元 per printed unit), as text."""
    return f"{(Decimal(_literal_text(precision)) / 2).normalize():f}", str(_UNIT_FACTORS.get(_literal_text(unit), 10000))


def _join_keys(table_of: dict, dsd_of: dict, props: dict, dimensions: dict, out: list[str]) -> None:
    """The join keys of `helper_triples` (see there), appended to `out`."""
    structure: dict[str, tuple] = {}  # DSD → (its dimensions, those but rowRole, breakdown dimensions)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)  # join key → (line, its value on the key's dimension)
    economic_items: set[tuple] = set()  # (table, column, unit, 5-digit code) of the economic items printed
    economic_parts: list[tuple] = []  # 7-digit economic lines: (line, table/column/unit, code, government class)
    for line, table in table_of.items():
        values = props.get(line, {})
        t = _str(table)
        col, row, org = values.get(_SOURCE_COLUMN, ""), values.get(_SOURCE_ROW, ""), values.get(_ORGANISATION, "")
        col_key = (t, _str(col) if col else "")
        col_org_key = col_key + (_str(org) if org else "",)
        fcode = values.get(_FUNCTION, "").strip("<>").partition("/code/function/")[2]
        label = values.get(_ROW_LABEL)
        out.append(f'{line} <{_LP}vLabel> "{_literal_text(label) if label else ""}" .')  # (the escapes of N-Triples kept)
        out.append(f"{line} <{_LP}vColumnKey> {_key(*col_key)} .")
        out.append(f"{line} <{_LP}vColumnOrgKey> {_key(*col_org_key)} .")
        if fcode.isdigit():
            if len(fcode) in (3, 5):
                out.append(f"{line} <{_LP}vFunctionKey> {_key(*col_org_key, fcode)} .")
            if len(fcode) == 5:
                out.append(f"{line} <{_LP}vFunctionSectionOf> {_key(*col_org_key, fcode[:3])} .")
            elif len(fcode) == 7:
                out.append(f"{line} <{_LP}vFunctionParentKey> {_key(*col_org_key, fcode[:3])} .")
                out.append(f"{line} <{_LP}vFunctionParentKey> {_key(*col_org_key, fcode[:5])} .")
        ecode = values.get(_ECONOMIC, "").strip("<>").partition("/code/economic-dept/")[2]
        if ecode.isdigit():
            # a line classified both ways (烟台: 301 × 501 and 301 × 505) is keyed by its government class too; an
            # item is the child of its department class with and without it
            gcode = values.get(_GOV_ECONOMIC, "").strip("<>").partition("/code/economic-gov/")[2]
            gclass = gcode[:3] if gcode.isdigit() and len(gcode) in (3, 5) else ""
            if len(ecode) == 3:
                out.append(f"{line} <{_LP}vEconomicKey> {_key(*col_org_key, ecode, gclass)} .")
            elif len(ecode) == 5:
                economic_items.add((*col_org_key, ecode))
                _economic_parent_keys(line, col_org_key, ecode, gclass, out)
            elif len(ecode) == 7:
                economic_parts.append((line, col_org_key, ecode, gclass))
        dsd = dsd_of.get(table, "")
        shape = structure.get(dsd)
        if shape is None:
            every = tuple(dimensions.get(dsd, ()))
            dims = tuple(d for d in every if d != _ROW_ROLE)
            shape = structure[dsd] = (every, dims, tuple(d for d in dims if d in _BREAKDOWN_DIMENSIONS))
        every, dims, breakdown = shape
        for d in dims:
            v = values.get(d)
            if d not in _NEVER_TOTAL and v is not None and not v.endswith("/_T>"):
                out.append(f"{line} <{_LP}vNonTotalDimension> {d} .")
        parts = {d: _part(d, values.get(d)) for d in every}
        out.append(f"{line} <{_LP}vDimensionsKey> {_digest_key(t, *sorted(parts.values()))} .")
        ordered = sorted(parts[e] for e in dims)  # (each part names its dimension: no two are equal)
        for d in breakdown:
            others = [x for x in ordered if x != parts[d]]
            row_key = _dimension_key(d, t, _str(row) if row else "", *others)
            out.append(f"{line} <{_LP}vRowSansKey> {row_key} .")
            if d in _NESTED_DIMENSIONS and d in values:
                groups[row_key].append((line, values[d]))
            if d in _ACROSS_ROWS_DIMENSIONS:
                across_key = _dimension_key(d, t, *others)
                out.append(f"{line} <{_LP}vSansKey> {across_key} .")
                if d in _NESTED_DIMENSIONS and d in values:
                    groups[across_key].append((line, values[d]))
    for line, col_org_key, ecode, gclass in economic_parts:
        # a 7-digit line whose 5-digit item is not printed stands for it under the class (西安: 301, then 30101,
        # 3010201 津贴补贴, 3010202 改革性补贴 with no 30102 row, then 30108 …)
        if (*col_org_key, ecode[:5]) not in economic_items:
            _economic_parent_keys(line, col_org_key, ecode, gclass, out)
    _nesting(groups, out)


def _economic_parent_keys(line: str, col_org_key: tuple, ecode: str, gclass: str, out: list[str]) -> None:
    """An economic item's keys of its class (lp:vEconomicParentKey): with and without its government class."""
    out.append(f"{line} <{_LP}vEconomicParentKey> {_key(*col_org_key, ecode[:3], '')} .")
    if gclass:
        out.append(f"{line} <{_LP}vEconomicParentKey> {_key(*col_org_key, ecode[:3], gclass)} .")


def _nesting(groups: dict[str, list[tuple[str, str]]], out: list[str]) -> None:
    """lp:vBroaderPrinted and lp:vNarrowerPrinted: the codes printed beside a line (same lp:vRowSansKey or
    lp:vSansKey) that are broader or narrower than its own in the code lists (基本支出 beside 人员经费)."""
    above = codelists.broader()
    nested: set[str] = set()
    for members in groups.values():
        printed = {value for _, value in members}
        if len(printed) < 2:
            continue
        for line, value in members:
            for other in printed:
                if other[1:-1] in above.get(value[1:-1], ()):  # (N-Triples IRIs: <…>)
                    nested.add(f"{line} <{_LP}vBroaderPrinted> {other} .")
                elif value[1:-1] in above.get(other[1:-1], ()):
                    nested.add(f"{line} <{_LP}vNarrowerPrinted> {other} .")
    out.extend(sorted(nested))


def helper_triples(quads: list[str], dimensions: dict | None = None) -> str:
    """The triples the rules of shapes/derived.ttl derive from a document's published triples, computed
    here in one pass (a test holds them equal to what pyshacl's SHACL-AF engine derives), as N-Triples
    text for the validation graph (never published: anyone who reruns the shapes derives them again):

    * `lp:vTolerance` of a budget line: half its published lp:printedPrecision (a figure printed as
      1,234.56 万元 is exact to ±50 元); `lp:vUnitFactor`: 元 per printed unit, to show figures in it;
    * `lp:vFunctionCode`, `lp:vFunctionClass` (its first 3 digits) and `lp:vEconomicCode`: the digits
      of the codes of budget lines and narrative figures;
    * join keys (the parts joined by blanks) that let a rule find the lines that belong together with
      one equality instead of several joins and FILTER NOT EXISTS: `lp:vColumnKey` (table and column),
      `lp:vColumnOrgKey` (table, column and organisation), `lp:vFunctionKey` / `lp:vFunctionParentKey`
      (… and the code of a class or section row / of the class and section a 7-digit line belongs
      to), `lp:vFunctionSectionOf` (… and the class a 5-digit section belongs to), `lp:vEconomicKey` / `lp:vEconomicParentKey` (the same for economic classes and their
      5-digit items), and per breakdown dimension D of the table's structure `lp:vRowSansKey` (D,
      table, row and the line's “dimension=value” on every other dimension but rowRole, sorted) and
      `lp:vSansKey` (the same without the row, for fundingSource and expenditureKind): lines that
      differ only in D have equal keys; `lp:vDimensionsKey` (table and every dimension=value: twins
      have equal keys; these three long keys are the SHA1 digests of their parts joined by blanks, as
      SPARQL's SHA1 gives them) and `lp:vNonTotalDimension` (each dimension of the table's structure on which
      the line's value is not the total _T; rowRole, organisation, fiscal year and phase aside);
    * `lp:vLabel` of a budget line: its row label as printed (a plain string), "" when it has none, as the
      messages name it.
    """
    return "\n".join(_document_triples(quads, dimensions or {})[1]) + "\n"
