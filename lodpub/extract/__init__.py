"""Stage 2: extract. Every input kind becomes an ExtractedDocument (lines of cells)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..errors import ExtractError
from ..media import DOC, DOCX, OFD, RAR, SEVEN_ZIP, ZIP
from ..model import ExtractedDocument, Source


def extract(source: Source) -> ExtractedDocument:
    """Extract the lines of a document, choosing the extractor by media type; characters a font's map
    gave in place of the ordinary ones are read as those (`characters`)."""
    from .characters import with_meant_characters

    return with_meant_characters(_extract(source))


def _extract(source: Source) -> ExtractedDocument:
    if source.media_type in (ZIP, RAR, SEVEN_ZIP):
        raise ExtractError(source.location, None, _archive_message(source))
    if source.media_type == OFD:
        raise ExtractError(
            source.location,
            None,
            "an OFD document (the Chinese fixed-layout format, GB/T 33190), which lodpub does not read: build the PDF "
            "the publisher offers beside it, or one an OFD reader prints",
        )
    if source.media_type == "text/html":
        from . import html

        return html.extract(source)
    if source.media_type == "application/pdf" or (source.media_type == "text/plain" and _named_pdf(source)):
        # a file named .pdf that does not start like one is reported as not a PDF (not as bad text)
        from . import pdf

        return pdf.extract(source)
    if source.media_type == DOCX:
        from . import word

        return word.extract(source)
    if source.media_type == DOC:
        from . import office

        return office.extract(source)
    if source.media_type in ("text/csv",) or "spreadsheet" in source.media_type or source.media_type.endswith("ms-excel"):
        from . import spreadsheet

        return spreadsheet.extract(source)
    from . import text

    return text.extract(source)


def _archive_message(source: Source) -> str:
    """What to do with an archive that reaches the readers: a zip from a URL not named .zip or nested too deep, a RAR or 7z."""
    if source.media_type != ZIP:
        kind = "RAR" if source.media_type == RAR else "7z"
        return f"a {kind} archive: unpack it and build the documents in it (lodpub reads the documents of a zip archive)"
    from ..archive import MAX_DEPTH, documents_in
    from ..sources import FOUND_SUFFIXES

    inside = documents_in(Path(source.path), FOUND_SUFFIXES, location=source.location)  # a damaged archive, or one without documents, says so here
    names = ", ".join(PurePosixPath(n).name for n in inside[:5]) + (f" and {len(inside) - 5} more" if len(inside) > 5 else "")
    return (
        f"a zip archive of {len(inside)} document(s) ({names}); lodpub reads the documents of a zip archive on disk or "
        f"at a URL ending in .zip, to {MAX_DEPTH} archives deep: download or unpack it and build it"
    )


def _named_pdf(source: Source) -> bool:
    names = [str(source.location)] + ([str(source.path)] if getattr(source, "path", None) else [])
    return any(n.lower().endswith(".pdf") for n in names)


def extract_together(sources: list[Source]) -> ExtractedDocument:
    """The files of one disclosure (its 情况说明 and its 报表) as one document: their lines one after the
    other, each line knowing its file (and its page in that file)."""
    from ..model import Line, combined_source

    lines: list[Line] = []
    documents = [extract(source) for source in sources]
    for k, document in enumerate(documents):
        for line in document.lines:
            lines.append(Line(line.page, len(lines) + 1, line.cells, k))
    return ExtractedDocument(
        source=combined_source(sources),
        lines=lines,
        extractor="+".join(dict.fromkeys(d.extractor for d in documents)),
        parts=list(sources),
        part_image_pages=[d.image_pages for d in documents],
        part_unreadable_pages=[d.unreadable_pages for d in documents],
    )
