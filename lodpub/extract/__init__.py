"""Stage 2: extract. Every input kind becomes an ExtractedDocument (lines of cells)."""

from __future__ import annotations

from ..model import ExtractedDocument, Source


def extract(source: Source) -> ExtractedDocument:
    """Extract the lines of a document, choosing the extractor by media type."""
    if source.media_type == "text/html":
        from ..errors import ExtractError

        raise ExtractError(source.location, None, "is an HTML page, not a PDF or text document "
                           "(a URL that answers with a web page, a login or an error page instead of the document)")
    if source.media_type == "application/pdf":
        from . import pdf

        return pdf.extract(source)
    from . import text

    return text.extract(source)
