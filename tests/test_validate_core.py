"""lodpub.validate.core (the simple property shapes run straight on Oxigraph) gives the results pyshacl gives, one for
one, on a document that breaks each kind of constraint it evaluates: counts too low and too high, a value of the
wrong class and a literal where a node belongs, literals of another datatype, a pattern not found, a blank
node where a pattern is asked."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from lodpub.validate import core, direct, shapes_graph

BROKEN = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix lp: <https://w3id.org/lodpub/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix d: <https://data.example.org/lodpub/doc/> .

d:a a lp:BudgetDocument ;                       # no title, no phase, a checksum not of 64 hex digits
    lp:sha256 "abc" ;
    lp:fiscalYear "20x4"^^xsd:gYear .            # ill-typed (rdflib takes any gYear text: pyshacl passes it)
d:b a lp:BudgetDocument ;                       # two phases, two checksums (one a blank node), a year as a string
    dcterms:title "b"@zh ;
    lp:budgetPhase <https://w3id.org/lodpub/code/phase/budget> , <https://w3id.org/lodpub/code/phase/final> ;
    lp:sha256 "0000000000000000000000000000000000000000000000000000000000000000" , [ ] ;
    lp:fiscalYear "2024" .
d:c a lp:BudgetDocument ;                       # two years, one of them of another datatype
    dcterms:title "c"@zh ; lp:budgetPhase <https://w3id.org/lodpub/code/phase/budget> ;
    lp:sha256 "1111111111111111111111111111111111111111111111111111111111111111" ;
    lp:fiscalYear "2024"^^xsd:gYear , "2024"^^xsd:integer .
d:t1 a lp:BudgetTable ;                         # derived from a literal and from a table; two structures, neither a DSD
    dcterms:title "t1"@zh ;
    prov:wasDerivedFrom "d:a" , d:t2 ;
    qb:structure d:x , d:y .
d:t2 a lp:BudgetTable .                         # nothing at all
<https://data.example.org/lodpub/org/x> a lp:Department .                      # no name
<https://data.example.org/lodpub/org/x/unit/1> a lp:BudgetUnit ;               # two codes, one not digits; its department a document
    skos:prefLabel "u"@zh ; skos:notation "001" , "A1" ;
    org:subOrganizationOf d:a .
<https://data.example.org/lodpub/org/x/unit/2> a lp:BudgetUnit ;               # no code (a note), no department
    skos:prefLabel "v"@zh .
"""


def _key(shape, focus, value, path, message, severity) -> tuple:
    value = "" if value is None else "_:b" if isinstance(value, (BNode, ox.BlankNode)) else str(value)  # (stores name blank nodes anew)
    return (str(shape), str(focus), value, str(path), str(message), str(severity))


def test_core_results_are_pyshacls():
    shapes = shapes_graph()
    plan = direct.plan(shapes)
    assert {c.path.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for c in plan.properties} >= {"sha256", "fiscalYear", "structure", "wasDerivedFrom", "notation"}
    data = Graph().parse(data=BROKEN, format="turtle")
    store = ox.Store()
    store.load(data.serialize(format="nt"), ox.RdfFormat.N_TRIPLES)
    ours = sorted(_key(*r) for r in core.results(plan.properties, store))

    with_properties, _ = core.checks(shapes)
    only = direct._rest(shapes, set(shapes.subjects(SH.targetClass, None)) - set(with_properties))  # (the shapes run by core)
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=only, advanced=False, allow_warnings=True, inference="none")
    theirs = sorted(
        _key(*(report.value(r, p) for p in (SH.sourceShape, SH.focusNode, SH.value, SH.resultPath, SH.resultMessage, SH.resultSeverity)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
    assert len(theirs) == 24  # (the failures listed in BROKEN)
    assert ours == theirs


def test_a_message_takes_the_documents_words_as_they_are():
    """A message's {?var} is replaced by the term's text as it is: a backslash a document prints (a bad
    escape to re.sub, which crashed the validation of a damaged PDF's rows) and a “{?var}” it prints stay
    that text; where neither is printed the message is pyshacl's (each variable replaced in turn)."""
    import re

    template = "表{?table}第{?row}行（{$this}）：{?label}不等于其各项之和 {?sum}"
    plain = {"table": "表3", "row": "12", "this": "d:t3", "label": "行政运行", "sum": "1,234.50"}
    pyshacls = template
    for var, val in plain.items():
        pyshacls = re.sub("{{[?$]{}}}".format(var), str(val), pyshacls)
    assert direct._formatted(template, plain) == pyshacls
    printed = dict(plain, label="C:\\预算\\1 {?sum}", sum="\\g<0>")
    assert direct._formatted(template, printed) == "表表3第12行（d:t3）：C:\\预算\\1 {?sum}不等于其各项之和 \\g<0>"
