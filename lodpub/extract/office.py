"""Word 97–2003 documents (.doc, and Kingsoft WPS files saved in that format) → ExtractedDocument,
through LibreOffice: the file is converted to .docx and read as one (`word`).

Counties and districts still publish .doc files. Their binary format (a compound file of streams:
text in pieces, tables as paragraphs marked by property runs) is not read here; LibreOffice reads
it well, and where it is installed (`soffice` on the PATH, or the program $LODPUB_SOFFICE names)
a .doc is converted in a temporary folder of its own: its own LibreOffice profile (two workers
converting at once do not share one), without a window, with a time limit after which the
conversion and everything it started are stopped. LibreOffice runs no macro of a document it
converts. Where it is not installed, the message says what to do: install it, or save the file as
.docx or PDF.

Word records where its last layout broke pages; a document LibreOffice writes records none, so a
converted document's pages are counted from the breaks its author typed (`word`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from ..errors import ExtractError
from ..media import DOCX
from ..model import ExtractedDocument, Source

SOFFICE = "LODPUB_SOFFICE"  # the environment variable naming the LibreOffice program, where it is not `soffice` on the PATH
TIMEOUT = 180  # seconds a conversion may take (the example converts in about 2 s)
INSTALL = "apt-get install libreoffice-writer-nogui, or LibreOffice from its site"


def program() -> str | None:
    """The LibreOffice program: $LODPUB_SOFFICE, else soffice or libreoffice on the PATH, else None."""
    return os.environ.get(SOFFICE) or shutil.which("soffice") or shutil.which("libreoffice")


def extract(source: Source) -> ExtractedDocument:
    soffice = program()
    if soffice is None:
        raise ExtractError(
            source.location,
            None,
            "is a Word 97–2003 document (.doc), which lodpub reads through LibreOffice, and LibreOffice is not installed "
            f"({INSTALL}; or save the file as .docx or PDF: Word, WPS or LibreOffice, Save As)",
        )
    from . import word

    with tempfile.TemporaryDirectory(prefix="lodpub-doc-") as folder:
        work = Path(folder)
        original = work / "document.doc"
        shutil.copyfile(source.path, original)
        converted = _convert(source.location, soffice, original, work)
        document = word.extract(replace(source, path=converted, media_type=DOCX))
    document.source = source
    document.extractor = "doc (LibreOffice → docx)"
    return document


def _convert(location: str, soffice: str, original: Path, work: Path) -> Path:
    out = work / "out"
    command = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(out),
        str(original),
    ]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work, start_new_session=True)
    except OSError as exc:
        raise ExtractError(location, None, f"is a Word 97–2003 document (.doc), and LibreOffice ({soffice}) could not be started: {exc}") from None
    try:
        _, errors = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ExtractError(location, None, f"is a Word 97–2003 document (.doc), and LibreOffice took longer than {TIMEOUT} s to convert it: stopped") from None
    finally:
        _stop(process)  # what the conversion started and left behind; all of it on a timeout
    result = out / "document.docx"
    if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        said = errors.decode("utf-8", "replace").strip().splitlines()
        detail = f": {said[-1][:300]}" if said else f" (exit status {process.returncode})"
        raise ExtractError(location, None, f"is a Word 97–2003 document (.doc) that LibreOffice could not convert (damaged, or not a Word document){detail}")
    return result


def _stop(process: subprocess.Popen) -> None:
    """Stop the conversion's process group (LibreOffice starts a child of its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
