"""Stage 2: extract. Every input kind becomes an ExtractedDocument (lines of cells)."""

from __future__ import annotations

from ..model import ExtractedDocument, Source


def extract(source: Source) -> ExtractedDocument:
    """Extract the lines of a document, choosing the extractor by media type."""
    if source.media_type == "application/pdf":
        from . import pdf

        return pdf.extract(source)
    from . import text

    return text.extract(source)
