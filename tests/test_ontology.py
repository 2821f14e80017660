"""Checks of the lodpub ontology (ontology/lodpub.ttl), its code lists
(ontology/codelists.ttl) and the code seed tables (mappings/codes/*.csv)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "lodpub.ttl"
CODELISTS = ROOT / "ontology" / "codelists.ttl"
VOCABULARY = ROOT / "docs" / "vocabulary.md"
CODES = ROOT / "mappings" / "codes"
SHARED_CODES = ROOT.parent / "shared" / "codes"

LP = Namespace("https://w3id.org/lodpub/ontology#")
CODE = "https://w3id.org/lodpub/code/"
ONTOLOGY_IRI = URIRef("https://w3id.org/lodpub/ontology")
QB = Namespace("http://purl.org/linked-data/cube#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

PREFIXES = {
    "qb": "http://purl.org/linked-data/cube#",
    "obeu-dimension": "http://data.openbudgets.eu/ontology/dsd/dimension/",
    "obeu-measure": "http://data.openbudgets.eu/ontology/dsd/measure/",
    "obeu-attribute": "http://data.openbudgets.eu/ontology/dsd/attribute/",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "lp": str(LP),
}
OBEU_DIMENSION = PREFIXES["obeu-dimension"]
OBEU_MEASURE = PREFIXES["obeu-measure"]

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def codes() -> Graph:
    return Graph().parse(CODELISTS, format="turtle")


@pytest.fixture(scope="module")
def vocabulary() -> str:
    return VOCABULARY.read_text(encoding="utf-8")


def lp_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(LP))}


def langs(g: Graph, s, p) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language:
            out.setdefault(o.language, []).append(str(o))
    return out


def has_zh_en(g: Graph, s, *preds) -> bool:
    found: dict[str, list[str]] = {}
    for p in preds:
        for lang, values in langs(g, s, p).items():
            found.setdefault(lang, []).extend(values)
    return bool(found.get("en")) and any(CJK.search(v) for v in found.get("zh", []))


def curie(text: str) -> URIRef:
    prefix, local = text.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


# -- parsing ------------------------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY, CODELISTS], ids=lambda p: p.name)
def test_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(g) > 0
    assert len(store) == len(g)


# -- ontology -----------------------------------------------------------------


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    for p in (DCTERMS.title, DCTERMS.description):
        assert has_zh_en(onto, ONTOLOGY_IRI, p), p
    for p in (DCTERMS.license, DCTERMS.creator, OWL.versionInfo, OWL.versionIRI):
        assert onto.value(ONTOLOGY_IRI, p) is not None, p


def test_every_lp_term_has_bilingual_label_and_comment(onto: Graph) -> None:
    terms = lp_terms(onto)
    assert terms
    for t in sorted(terms):
        assert has_zh_en(onto, t, RDFS.label), f"{t}: rdfs:label @zh and @en"
        assert has_zh_en(onto, t, RDFS.comment), f"{t}: rdfs:comment @zh and @en"
        assert (t, RDFS.isDefinedBy, ONTOLOGY_IRI) in onto, f"{t}: rdfs:isDefinedBy"


def test_every_lp_iri_used_is_defined(onto: Graph) -> None:
    """The lesson of ORG's typo: no lp: IRI may be used without being defined."""
    defined = lp_terms(onto)
    used = {n for triple in onto for n in triple if isinstance(n, URIRef) and n.startswith(str(LP))}
    assert used - defined == set()


def test_every_term_in_vocabulary_md_is_defined(onto: Graph, vocabulary: str) -> None:
    named = {URIRef(str(LP) + m) for m in re.findall(r"\blp:([A-Za-z][A-Za-z0-9]*)", vocabulary)}
    # "lp:indicatorLevel1/2/3" names three properties
    for suffix in re.findall(r"lp:indicatorLevel1((?:/\d)+)", vocabulary):
        for digit in suffix.strip("/").split("/"):
            named.add(LP["indicatorLevel" + digit])
    assert len(named) > 40
    assert named - lp_terms(onto) == set()


def test_subclass_and_subproperty_as_in_vocabulary_md(onto: Graph, vocabulary: str) -> None:
    pairs = 0
    for line in vocabulary.splitlines():
        for m in re.finditer(r"(lp:[A-Za-z]+) ⊑ ((?:[a-z-]+:[A-Za-z]+(?:, )?)+)", line):
            sub = curie(m.group(1))
            for sup in filter(None, (x.strip() for x in m.group(2).split(","))):
                if sup.startswith("xsd:"):  # "lp:amount ⊑ obeu-measure:amount, xsd:decimal": the range
                    assert (sub, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#" + sup[4:])) in onto, f"{m.group(1)} range {sup}"
                    continue
                sup_iri = curie(sup.strip())
                assert (sub, RDFS.subClassOf, sup_iri) in onto or (sub, RDFS.subPropertyOf, sup_iri) in onto, f"{m.group(1)} ⊑ {sup}"
                pairs += 1
    assert pairs >= 15


def test_dimensions_specialise_obeu(onto: Graph) -> None:
    for d in onto.subjects(RDF.type, QB.DimensionProperty):
        supers = list(onto.objects(d, RDFS.subPropertyOf))
        assert supers, f"{d} has no OBEU super-property"
        assert all(str(s).startswith(OBEU_DIMENSION) for s in supers), d
    measures = list(onto.subjects(RDF.type, QB.MeasureProperty))
    assert measures == [LP.amount]
    assert (LP.amount, RDFS.subPropertyOf, URIRef(OBEU_MEASURE + "amount")) in onto


def test_every_dimension_has_a_code_list_or_a_range(onto: Graph, codes: Graph) -> None:
    dims = set(onto.subjects(RDF.type, QB.DimensionProperty))
    assert len(dims) == 15
    for d in dims:
        code_list = onto.value(d, QB.codeList)
        assert code_list is not None or onto.value(d, RDFS.range) is not None, d
        if code_list is not None:
            assert (d, RDF.type, QB.CodedProperty) in onto, d
            assert (code_list, RDF.type, SKOS.ConceptScheme) in codes, f"{d}: {code_list} not in codelists.ttl"


def test_code_lists_named_in_vocabulary_md(onto: Graph, vocabulary: str) -> None:
    found = 0
    for m in re.finditer(r"(lp:[A-Za-z]+)\b[^\n]*?code list ([a-z-]+)", vocabulary):
        assert onto.value(curie(m.group(1)), QB.codeList) == URIRef(CODE + m.group(2)), m.group(0)
        found += 1
    assert found >= 9


def test_component_kinds(onto: Graph) -> None:
    attributes = {LP[n] for n in ("printedUnit", "printedValue", "sourceRow", "sourceColumn", "sourcePage", "sourceLine", "rowLabel", "columnLabel", "rowRole")}
    for a in attributes:
        assert (a, RDF.type, QB.AttributeProperty) in onto, a
    assert onto.value(LP.rowRole, QB.codeList) == URIRef(CODE + "row-role")
    for t in lp_terms(onto):
        kinds = set(onto.objects(t, RDF.type))
        assert not {OWL.ObjectProperty, OWL.DatatypeProperty} <= kinds, t


# -- code lists ---------------------------------------------------------------

EXPECTED = {
    "phase": {"budget", "adjusted-budget", "final-account"},
    "direction": {"revenue", "expenditure"},
    "funding": {
        "general-public-budget",
        "government-fund",
        "state-capital",
        "special-account",
        "business-income",
        "operating-income",
        "subordinate-remittance",
        "other-income",
        "prior-year-carryover",
        "unit-carryover",
        "transfer-notice",
        "fiscal-appropriation",
        "administrative-fees",
        "special-revenue",
        "state-asset-income",
        "other-gpb-funds",
        "general-bonds",
        "unit-funds",
    },
    "kind": {"basic", "personnel", "public", "project", "operating", "remittance", "subsidy"},
    "project-type": {"operating", "other-operating", "specific-purpose", "special-operating"},
    "item": {
        "income-total",
        "expenditure-total",
        "current-year-income",
        "current-year-expenditure",
        "unit-carryover",
        "year-end-carryover",
        "fund-balance-use",
    },
    "three-public": {
        "total",
        "overseas",
        "overseas-other",
        "overseas-research",
        "vehicle",
        "vehicle-purchase",
        "vehicle-operation",
        "reception",
        "operating",
        "meetings",
        "training",
    },
    "procurement-category": {"goods", "works", "services"},
    "purchased-service": set(),
    "division": set(),
    "government-level": {"central", "province", "prefecture", "county", "township"},
    "row-role": {"item", "subtotal", "total"},
    "text-role": {"heading", "paragraph", "table-title", "table-metadata", "running-head"},
    "indicator-category": {"cost", "output", "benefit", "satisfaction", "work-management", "input-management"},
    "figure": {
        "income-total",
        "expenditure-total",
        "income-gpb",
        "basic-expenditure",
        "project-expenditure",
        "personnel",
        "public",
        "three-public-total",
        "overseas",
        "reception",
        "vehicle",
        "vehicle-purchase",
        "vehicle-operation",
        "operating-cost",
        "procurement-total",
        "procurement-goods",
        "procurement-works",
        "procurement-services",
        "vehicles-held",
        "project-count",
    },
    "function": set(),
    "project": set(),
    "economic-dept": set(),
    "economic-gov": set(),
}

BROADER = {
    ("kind", "personnel"): "basic",
    ("kind", "public"): "basic",
    ("three-public", "vehicle-purchase"): "vehicle",
    ("three-public", "vehicle-operation"): "vehicle",
    ("three-public", "overseas-other"): "overseas",
    ("three-public", "overseas-research"): "overseas",
    ("funding", "general-public-budget"): "fiscal-appropriation",
    ("funding", "government-fund"): "fiscal-appropriation",
    ("funding", "state-capital"): "fiscal-appropriation",
}


def scheme_iri(name: str) -> URIRef:
    return URIRef(CODE + name)


def concept_iri(scheme: str, notation: str) -> URIRef:
    return URIRef(f"{CODE}{scheme}/{notation}")


def test_schemes_and_expected_concepts(codes: Graph) -> None:
    schemes = set(codes.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes == {scheme_iri(s) for s in EXPECTED}
    for scheme, notations in EXPECTED.items():
        for n in notations | {"_T"}:
            c = concept_iri(scheme, n)
            assert (c, SKOS.inScheme, scheme_iri(scheme)) in codes, c
    for (scheme, n), parent in BROADER.items():
        assert (concept_iri(scheme, n), SKOS.broader, concept_iri(scheme, parent)) in codes


def test_every_scheme_and_concept_is_documented(codes: Graph) -> None:
    nodes = set(codes.subjects(RDF.type, SKOS.ConceptScheme)) | set(codes.subjects(RDF.type, SKOS.Concept))
    assert len(nodes) > 100
    for n in nodes:
        assert has_zh_en(codes, n, SKOS.prefLabel, RDFS.label), f"{n}: label @zh and @en"
        assert has_zh_en(codes, n, SKOS.definition, RDFS.comment), f"{n}: definition @zh and @en"
        assert str(codes.value(n, SKOS.notation)) == str(n).rsplit("/", 1)[1], f"{n}: skos:notation"


def test_concepts_are_placed_in_their_scheme(codes: Graph) -> None:
    for c in codes.subjects(RDF.type, SKOS.Concept):
        scheme = codes.value(c, SKOS.inScheme)
        assert scheme is not None and str(c).startswith(str(scheme) + "/"), c
        broader = list(codes.objects(c, SKOS.broader))
        top = codes.value(c, SKOS.topConceptOf)
        assert bool(broader) != (top is not None), f"{c}: exactly one of skos:broader / skos:topConceptOf"
        if top is not None:
            assert top == scheme and (scheme, SKOS.hasTopConcept, c) in codes, c
        for b in broader:
            assert (b, SKOS.inScheme, scheme) in codes, f"{c} broader {b} outside its scheme"


def test_links_between_lodpub_concepts_resolve(codes: Graph) -> None:
    known = set(codes.subjects(RDF.type, SKOS.Concept))
    for p in (SKOS.broader, SKOS.exactMatch, SKOS.closeMatch):
        for o in codes.objects(None, p):
            if str(o).startswith(CODE):
                assert o in known, o


# -- code seed tables ---------------------------------------------------------


def read_csv(name: str) -> list[dict[str, str]]:
    with open(CODES / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def assert_unique(rows: list[dict[str, str]]) -> None:
    codes_ = [r["code"] for r in rows]
    assert len(codes_) == len(set(codes_))


def test_cofog_divisions() -> None:
    rows = read_csv("cofog.csv")
    assert_unique(rows)
    assert [r["code"] for r in rows] == [f"{i:02d}" for i in range(1, 11)]
    assert all(r["name_en"] for r in rows)


def test_function_classes() -> None:
    rows = read_csv("function-classes.csv")
    assert_unique(rows)
    divisions = {r["code"] for r in read_csv("cofog.csv")}
    for r in rows:
        assert re.fullmatch(r"2\d\d", r["code"]), r
        assert CJK.search(r["name_zh"]) and r["name_en"], r
        assert r["cofog"] == "" or r["cofog"] in divisions, r
    got = {r["code"] for r in rows}
    assert {"201", "205", "208", "209", "210", "223", "227", "229", "230", "231", "232", "233", "234"} <= got


@pytest.mark.skipif(not (SHARED_CODES / "function-codes.csv").exists(), reason="shared code lists not present")
def test_function_classes_agree_with_shared_seed() -> None:
    ours = {r["code"]: r["name_zh"] for r in read_csv("function-classes.csv")}
    with open(SHARED_CODES / "function-codes.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] == "类":
                assert ours.get(r["code"]) == r["name"], r


@pytest.mark.parametrize(
    "name, first_digit",
    [("economic-gov.csv", "5"), ("economic-dept-classes.csv", "3")],
)
def test_economic_codes_fit_their_level(name: str, first_digit: str) -> None:
    rows = read_csv(name)
    assert_unique(rows)
    classes = {r["code"] for r in rows if r["level"] == "类"}
    for r in rows:
        assert r["level"] in {"类", "款"}, r
        assert r["code"].startswith(first_digit), r
        assert CJK.search(r["name"]), r
        if r["level"] == "类":
            assert re.fullmatch(r"\d{3}", r["code"]), r
        else:
            assert re.fullmatch(r"\d{5}", r["code"]), r
            assert r["code"][:3] in classes, f"{r['code']}: class {r['code'][:3]} missing"


def test_economic_gov_has_the_luohe_items() -> None:
    got = {r["code"] for r in read_csv("economic-gov.csv")}
    seen = {"50101", "50102", "50103", "50201", "50203", "50208", "50299", "50501", "50502", "50901", "50905"}
    assert seen <= got
    assert {str(c) for c in range(501, 515)} | {"599"} <= got
