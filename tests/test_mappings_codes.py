"""Every code the table vocabularies can give a figure is a concept of the published code lists.

The header terms (mappings/tables/headers.yaml), the kinds' fixed dimensions and form labels
(mappings/tables/kinds.yaml) and the row labels (mappings/tables/labels.yaml) name codes by their
notation; a notation missing from ontology/codelists.ttl would publish an IRI that nothing describes.
"""

from __future__ import annotations

import yaml

from lodpub.codelists import codes
from lodpub.namespaces import MAPPINGS
from lodpub.recognise.columns import SCHEMES, lexicon

SCHEMES_OF = {**SCHEMES, "lp:direction": "direction", "lp:procurementCategory": "procurement-category"}


def _dims(obj):
    """Every {dimension: code} pair inside a YAML structure."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(k, str) and k.startswith("lp:") and isinstance(v, str):
                yield k, v
            else:
                yield from _dims(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _dims(v)


def _missing(pairs):
    return sorted({(d, v) for d, v in pairs if d in SCHEMES_OF and v not in codes(SCHEMES_OF[d])})


def test_header_terms_name_existing_codes():
    pairs = [(d, v) for term in lexicon().values() for d, v in term.dims]
    assert not _missing(pairs)


def test_kinds_name_existing_codes():
    data = yaml.safe_load((MAPPINGS / "tables" / "kinds.yaml").read_text(encoding="utf-8"))
    assert not _missing(_dims(data["kinds"]))


def test_row_labels_name_existing_codes():
    labels = yaml.safe_load((MAPPINGS / "tables" / "labels.yaml").read_text(encoding="utf-8"))
    pairs = [("lp:fundingSource", v) for v in labels["funding"].values()]
    pairs += [("lp:lineItem", v) for v in labels["items"].values()]
    pairs += [("lp:projectType", v) for v in labels["project_types"].values()]
    pairs += [("lp:procurementCategory", v) for v in (labels.get("procurement_categories") or {}).values()]
    assert not _missing(pairs)
