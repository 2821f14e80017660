"""The shared graph: ontology, code lists and data structure definitions.

The big national classifications (function, economic-dept, economic-gov) are not available as
complete lists, so their concepts are made from the codes the documents use: notation = the
code, hierarchy from the digits (类 3 / 款 5 / 项 7), labels from the seed lists in
mappings/codes/ (and ../shared/codes when present) or else the name the first document prints,
and the English name (`skos:prefLabel …@en`) wherever mappings/codes/*.csv gives one (`name_en`).
Function classes link to COFOG divisions, which the same graph describes as a SKOS concept scheme
of its own (`cofog_concepts`, from mappings/codes/cofog.csv).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import Iterable, Iterator

import pyoxigraph as ox

from .mapping import MAPPINGS, Mapping, literal_text
from .records import TOTAL, DocumentRecords
from .records.divisions import divisions
from .recognise.kinds import load_specs
from .resources import ONTOLOGY
from .specs import load_yaml
from .uris import CODE, graph as graph_iri
from .uris import ONTOLOGY as LP

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
COFOG = CODE + "cofog/"
SCHEMES = {
    "lp:functionalClassification": "function",
    "lp:economicClassification": "economic-dept",
    "lp:governmentEconomicClassification": "economic-gov",
    "lp:purchasedService": "purchased-service",
}
LEVELS = {3: ("类", "class"), 5: ("款", "item"), 7: ("项", "subitem")}


@lru_cache(maxsize=None)
def seed_names() -> dict[str, dict[str, str]]:
    """scheme → code → name, from the national code lists of mappings/codes (a code they lack is named as printed)."""
    names: dict[str, dict[str, str]] = {scheme: {} for scheme in SCHEMES.values()}
    codes = MAPPINGS / "codes"
    for scheme, file, column in (
        ("function", "function-classes.csv", "name_zh"),
        ("economic-dept", "economic-dept-classes.csv", "name"),
        ("economic-gov", "economic-gov.csv", "name"),
        ("function", "function.csv", "name"),
        ("economic-dept", "economic-dept.csv", "name"),
    ):
        with (codes / file).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names[scheme].setdefault(row["code"], row[column])
    return names


# The national code lists with an English name for each code (column name_en): scheme → files.
ENGLISH_SEEDS = {
    "function": ("function-classes.csv", "function.csv"),
    "economic-dept": ("economic-dept.csv",),
    "economic-gov": ("economic-gov.csv",),
}


@lru_cache(maxsize=None)
def english_names() -> dict[str, dict[str, str]]:
    """scheme → code → English name (skos:prefLabel @en), from the name_en of mappings/codes/*.csv."""
    names: dict[str, dict[str, str]] = {scheme: {} for scheme in SCHEMES.values()}
    for scheme, files in ENGLISH_SEEDS.items():
        for file in files:
            with (MAPPINGS / "codes" / file).open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    if (row.get("name_en") or "").strip():
                        names[scheme].setdefault(row["code"], row["name_en"].strip())
    return names


@lru_cache(maxsize=None)
def former_function_names() -> dict[str, list[str]]:
    """Function code → the names it was printed with in earlier years (skos:altLabel): the former_names
    of mappings/codes/function.csv and the former class names of mappings/tables/labels.yaml."""
    former: dict[str, set[str]] = {}
    path = MAPPINGS / "codes" / "function.csv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for name in (row.get("former_names") or "").split("|"):
                    if name.strip():
                        former.setdefault(row["code"], set()).add(name.strip())
    labels = load_yaml(MAPPINGS / "tables" / "labels.yaml")
    for name, code in (labels.get("function_class_names") or {}).items():
        former.setdefault(str(code), set()).add(name)
    return {code: sorted(names) for code, names in former.items()}


@lru_cache(maxsize=None)
def cofog_of_class() -> dict[str, str]:
    with (MAPPINGS / "codes" / "function-classes.csv").open(encoding="utf-8") as f:
        return {row["code"]: row["cofog"] for row in csv.DictReader(f) if row.get("cofog")}


COFOG_SCHEME = {
    "prefLabel": [("Classification of the Functions of Government (COFOG), divisions", "en"), ("政府职能分类（COFOG）大类", "zh")],
    "definition": [
        (
            "The divisions (the first level, two-digit codes) of the United Nations Classification of the Functions of Government; "
            "the classes of the functional classification of expenditure point to them with skos:closeMatch.",
            "en",
        ),
        ("联合国政府职能分类（COFOG）的大类（第一层，两位代码）；支出功能分类的类以 skos:closeMatch 指向它们。", "zh"),
    ],
}


def cofog_concepts() -> Iterator[str]:
    """The COFOG divisions the function classes link to, as a SKOS concept scheme: notation, English
    name (and Chinese, where mappings/codes/cofog.csv gives one)."""
    scheme = f"<{COFOG[:-1]}>"
    yield f"{scheme} {RDF_TYPE} <{SKOS}ConceptScheme> ."
    yield f"{scheme} <{SKOS}notation> {literal_text('cofog')} ."
    yield f"{scheme} <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <{LP.rstrip('#')}> ."
    for predicate, texts in COFOG_SCHEME.items():
        for text, language in texts:
            yield f"{scheme} <{SKOS}{predicate}> {literal_text(text)}@{language} ."
    with (MAPPINGS / "codes" / "cofog.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        s = f"<{COFOG}{row['code']}>"
        yield f"{s} {RDF_TYPE} <{SKOS}Concept> ."
        yield f"{s} <{SKOS}inScheme> {scheme} ."
        yield f"{s} <{SKOS}topConceptOf> {scheme} ."
        yield f"{scheme} <{SKOS}hasTopConcept> {s} ."
        yield f"{s} <{SKOS}notation> {literal_text(row['code'])} ."
        for column, language in (("name_en", "en"), ("name_zh", "zh")):
            if (row.get(column) or "").strip():
                yield f"{s} <{SKOS}prefLabel> {literal_text(row[column].strip())}@{language} ."


def _parent(code: str) -> str | None:
    return {7: code[:5], 5: code[:3]}.get(len(code))


CodeUsage = dict  # scheme → {code: name printed by the first document that uses it}


def code_usage(documents: Iterable[DocumentRecords]) -> CodeUsage:
    """The classification codes the documents use, with their broader codes, and a printed name; and the
    administrative divisions their organisations are in, with the divisions above them."""
    used: dict[str, dict[str, str]] = {s: {} for s in SCHEMES.values()}
    used["division"] = {}
    for doc in sorted(documents, key=lambda d: d.docid):
        for org in doc.organisations:
            code = org.division
            while code and code not in used["division"]:
                division = divisions().get(code)
                if division is None:
                    break
                used["division"][code] = division.name
                code = division.parent
        for o in doc.observations:
            for dim, scheme in SCHEMES.items():
                code = o.dims.get(dim)
                if code and code != TOTAL:
                    used[scheme].setdefault(code, o.row_label if len(code) >= 5 or scheme != "function" else "")
                    parent = _parent(code)
                    while parent:  # the broader codes exist even when no line prints them
                        used[scheme].setdefault(parent, "")
                        parent = _parent(parent)
    return used


def merge_usage(usages: Iterable[CodeUsage]) -> CodeUsage:
    """Usages of several documents, given in document order: the first name printed wins."""
    merged: dict[str, dict[str, str]] = {s: {} for s in SCHEMES.values()}
    for usage in usages:
        for scheme, codes in usage.items():
            target = merged.setdefault(scheme, {})
            for code, name in codes.items():
                if not target.get(code):
                    target[code] = name
    return merged


def division_concepts(codes: dict[str, str]) -> Iterator[str]:
    """Triples of the administrative divisions in use: code, name, the division above."""
    scheme_iri = f"<{CODE}division>"
    for code in sorted(codes):
        s = f"<{CODE}division/{code}>"
        division = divisions()[code]
        yield f"{s} {RDF_TYPE} <{SKOS}Concept> ."
        yield f"{s} <{SKOS}inScheme> {scheme_iri} ."
        yield f"{s} <{SKOS}notation> {literal_text(code)} ."
        yield f"{s} <{SKOS}prefLabel> {literal_text(division.name)}@zh ."
        yield f"{s} <{LP}codeLevel> {literal_text({'province': '省级', 'prefecture': '地级', 'county': '县级'}[division.level])}@zh ."
        if division.parent:
            yield f"{s} <{SKOS}broader> <{CODE}division/{division.parent}> ."
            yield f"<{CODE}division/{division.parent}> <{SKOS}narrower> {s} ."
        else:
            yield f"{s} <{SKOS}topConceptOf> {scheme_iri} ."
            yield f"{scheme_iri} <{SKOS}hasTopConcept> {s} ."


def code_concepts(used: CodeUsage) -> Iterator[str]:
    """Triples (N-Triples lines) of the classification concepts in use."""
    seeds, english = seed_names(), english_names()
    cofog = cofog_of_class()
    for scheme, codes in used.items():
        if scheme == "division":
            yield from division_concepts(codes)
            continue
        scheme_iri = f"<{CODE}{scheme}>"
        for code in sorted(codes):
            s = f"<{CODE}{scheme}/{code}>"
            name = seeds[scheme].get(code) or codes[code]
            yield f"{s} {RDF_TYPE} <{SKOS}Concept> ."
            yield f"{s} <{SKOS}inScheme> {scheme_iri} ."
            yield f"{s} <{SKOS}notation> {literal_text(code)} ."
            if name:
                yield f"{s} <{SKOS}prefLabel> {literal_text(name)}@zh ."
            if english[scheme].get(code):
                yield f"{s} <{SKOS}prefLabel> {literal_text(english[scheme][code])}@en ."
            if scheme == "function":
                for former in former_function_names().get(code, ()):
                    yield f"{s} <{SKOS}altLabel> {literal_text(former)}@zh ."
            level = LEVELS.get(len(code))
            if level:
                yield f"{s} <{LP}codeLevel> {literal_text(level[0])}@zh ."
            parent = _parent(code)
            if parent:
                yield f"{s} <{SKOS}broader> <{CODE}{scheme}/{parent}> ."
                yield f"<{CODE}{scheme}/{parent}> <{SKOS}narrower> {s} ."
            else:
                yield f"{s} <{SKOS}topConceptOf> {scheme_iri} ."
                yield f"{scheme_iri} <{SKOS}hasTopConcept> {s} ."
            if scheme == "function" and code in cofog:
                yield f"{s} <{SKOS}closeMatch> <{COFOG}{cofog[code]}> ."


STRUCTURES = MAPPINGS / "structures.yaml"


def data_structure_definitions() -> Iterator[str]:
    """One qb:DataStructureDefinition per kind of table of mappings/tables, as mappings/structures.yaml
    states it."""
    mapping = Mapping(STRUCTURES)
    components = load_yaml(STRUCTURES)["components"]
    local = lambda curie: curie.split(":", 1)[1]  # noqa: E731 - lp:amount → amount
    sources: dict[str, list[dict]] = {"structures": [], "subjects": [], "components": [], "dimensions": [], "measures": [], "attributes": []}
    for spec in load_specs():
        kind, label = spec.kind, spec.data.get("label", {})
        sources["structures"].append({"kind": kind, "label_zh": label.get("zh"), "label_en": label.get("en")})
        sources["subjects"] += [{"kind": kind, "term": term} for term in spec.data.get("subject", [])]
        common = components["common"]
        dims = common + [d for d in spec.data.get("dimensions", []) if d not in common]
        sources["dimensions"] += [{"kind": kind, "name": local(d), "order": n} for n, d in enumerate(dims, start=1)]
        for role in ("measures", "attributes"):
            sources[role] += [{"kind": kind, "name": local(c)} for c in components[role]]
        sources["components"] += [{"kind": kind, "name": local(c)} for c in dims + components["measures"] + components["attributes"]]
    yield from mapping.triples(sources)


def ontology_triples() -> Iterator[str]:
    """The ontology and the fixed code lists, as N-Triples lines."""
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            yield f"{triple.subject} {triple.predicate} {triple.object} ."


@lru_cache(maxsize=4)
def _fixed_vocabulary(graph: str) -> frozenset[str]:
    lines = set()
    for source in (ontology_triples(), data_structure_definitions(), cofog_concepts()):
        for line in source:
            lines.add(line[:-1] + graph + " .")
    return frozenset(lines)


def vocabulary_quads(documents: list[DocumentRecords] | CodeUsage, base: str) -> list[str]:
    """N-Quads lines of the shared graph <BASE graph/vocabulary>: ontology, code lists, the codes
    in use (given as documents or as their merged code usage) and the data structure definitions."""
    graph = f"<{graph_iri(base, 'vocabulary')}>"
    usage = documents if isinstance(documents, dict) else code_usage(documents)
    lines = set(_fixed_vocabulary(graph))
    for source in (code_concepts(usage),):
        for line in source:
            lines.add(line[:-1] + graph + " .")
    return sorted(lines)
