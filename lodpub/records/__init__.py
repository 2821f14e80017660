"""Stage 4: records. Read the recognised tables and the narrative into plain records.

Every amount cell of every table becomes exactly one `Observation` or one `SkippedCell` that
says why it is not in the graph (row accounting). Records carry codes and names, not URIs:
stage 5 (lodpub.mapping, driven by mappings/*.yaml) decides the URIs. One module per layout
family: grid, two_sided, projects, forms; the narrative in narrative.
"""

from .codes import function_class_by_name, load_labels, load_labels_project_types
from .document import build_records
from .model import (
    DEPT,
    TOTAL,
    UNIT_FACTORS,
    Definition,
    DocumentRecords,
    Indicator,
    Observation,
    Organisation,
    Passage,
    Project,
    SkippedCell,
    Statement,
    TableRecord,
    UnreadTableRecord,
    parse_amount,
)
from .function_names import resolve_function_code
from .narrative import read_narrative

__all__ = [
    "DEPT",
    "TOTAL",
    "UNIT_FACTORS",
    "Definition",
    "DocumentRecords",
    "Indicator",
    "Observation",
    "Organisation",
    "Passage",
    "Project",
    "SkippedCell",
    "Statement",
    "TableRecord",
    "UnreadTableRecord",
    "build_records",
    "function_class_by_name",
    "load_labels",
    "load_labels_project_types",
    "parse_amount",
    "read_narrative",
    "resolve_function_code",
]
