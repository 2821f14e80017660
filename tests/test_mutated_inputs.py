"""Damaged documents, made by mutating the corpus's own: each one is read, or refused with a message
that names it; none fails with an error lodpub did not foresee (“unexpected …”: a bug), and none takes
the others down. The same mutations, with other seeds, found a lone surrogate that broke the load into
the validation store, a backslash that broke a message, a recursion without end and a row shorter than
a column move expected."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLE

PDFS = sorted(CORPUS.glob("*.pdf"))[:4] + sorted(CORPUS.glob("regions/*/*.pdf"))[:4]


def mutated_pdf(data: bytes, how: int, rng: random.Random) -> bytes:
    b = bytearray(data)
    if how == 0:  # cut short
        return bytes(b[: rng.randint(len(b) // 4, len(b) - 10)])
    if how == 1:  # bytes flipped
        for _ in range(50):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif how == 2:  # a block zeroed
        i = rng.randrange(len(b))
        b[i : i + 4096] = bytes(min(4096, len(b) - i))
    elif how == 3:  # a block copied over another
        i, j = rng.randrange(len(b)), rng.randrange(len(b))
        b[i : i + 2000] = data[j : j + 2000]
    elif how == 4:  # the cross-reference table's keyword broken
        b = bytearray(bytes(b).replace(b"xref", b"xraf", 1))
    else:  # pieces cut out
        for _ in range(5):
            i = rng.randrange(len(b))
            del b[i : i + rng.randint(1, 300)]
    return bytes(b)


def mutated_text(lines: list[str], how: int, rng: random.Random) -> str:
    lines = list(lines)
    if how == 0:
        rng.shuffle(lines)
    elif how == 1:  # lines of table garbage
        for _ in range(40):
            lines[rng.randrange(len(lines))] = "".join(rng.choice(" 0123456789.,-（）合计总计项目类款项万元—│|\t一二三\\") for _ in range(rng.randint(1, 60)))
    elif how == 2:  # lines repeated elsewhere
        for _ in range(30):
            lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))])
    elif how == 3:  # lines dropped
        lines = [line for line in lines if rng.random() > 0.2]
    else:  # words of lines reversed
        lines = [" ".join(line.split()[::-1]) if rng.random() < 0.3 else line for line in lines]
    return "\n".join(lines)


@pytest.mark.skipif(not PDFS or not EXAMPLE.is_file(), reason=f"the reference corpus is not at {CORPUS}")
def test_damaged_documents_are_read_or_refused_never_a_crash(tmp_path):
    from lodpub.build import read_and_validate

    rng = random.Random(20261204)
    files = []
    for n, pdf in enumerate(PDFS):
        data = pdf.read_bytes()
        for how in range(6):
            path = tmp_path / f"{n:02d}-{how}-{pdf.stem[:20]}.pdf"
            path.write_bytes(mutated_pdf(data, how, rng))
            files.append(str(path))
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for how in range(5):
        for k in range(2):
            path = tmp_path / f"text-{how}-{k}.txt"
            path.write_text(mutated_text(lines, how, rng), encoding="utf-8")
            files.append(str(path))
    result = read_and_validate(files, jobs=2)
    named = {part for d in result.documents for part in d.location.split(" + ")} | {dup for dup, _ in result.duplicates}
    assert named == set(files)  # every file is a document's, or a part of one (a file without tables is paired with its tables)
    unforeseen = [d.error for d in result.documents if d.error and "unexpected" in d.error]
    assert unforeseen == []
    for d in result.documents:
        assert d.ok or Path(d.location.split(" + ")[0]).name in d.error  # a refusal names the file
    assert sum(d.ok for d in result.documents) >= len(files) // 3  # most mutations leave a readable document
