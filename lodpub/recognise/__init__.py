"""Stage 3: recognise. Tables by their titles and headers; columns resolved before records are read."""

from .columns import column_meanings, header_paths, lexicon
from .kinds import candidate_kinds, load_specs, title_core, title_kind
from .lines import is_data_row
from .tables import Recognition, UnreadTable, recognise
from .text import AMOUNT, CODE, is_amount, is_nil, normalise, split_code, term

__all__ = [
    "AMOUNT",
    "CODE",
    "Recognition",
    "UnreadTable",
    "candidate_kinds",
    "column_meanings",
    "header_paths",
    "is_amount",
    "is_data_row",
    "is_nil",
    "lexicon",
    "load_specs",
    "normalise",
    "recognise",
    "split_code",
    "term",
    "title_core",
    "title_kind",
]
