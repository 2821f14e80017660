"""`lodpub build` on a folder with broken documents: the bad ones are reported, the good one published."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE
from lodpub.cli import main


def _truncated_pdf(path):
    """The first part of a real PDF (a download cut short); a made one when the corpus is absent."""
    from conftest import corpus_pdfs

    pdfs = corpus_pdfs()
    data = pdfs[0].read_bytes() if pdfs else b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" * 50
    path.write_bytes(data[: len(data) // 3])


@pytest.fixture()
def mixed_folder(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes(EXAMPLE.read_bytes())
    _truncated_pdf(folder / "b-truncated.pdf")
    (folder / "c-garbage.txt").write_bytes(bytes(range(256)) * 8)  # binary noise named .txt
    (folder / "d-notes.txt").write_text("shopping list\nmilk\neggs\n", encoding="utf-8")  # text, but no budget table
    return folder


def test_a_broken_document_is_reported_and_the_others_published(mixed_folder, tmp_path):
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["build", str(mixed_folder), "--out", str(out), "-j", "1", "--issued", "2024-03-01"])
    assert run.exit_code == 1, run.output
    stdout, stderr = run.stdout, run.stderr
    # progress: one line per document, in order, failures with the reason
    progress = [l for l in stderr.splitlines() if l.startswith("[")]
    assert [l.split()[0:2] for l in progress] == [["[1/4]", "ok"], ["[2/4]", "FAILED"], ["[3/4]", "FAILED"], ["[4/4]", "FAILED"]]
    assert "b-truncated.pdf" in progress[1] and "truncated" in progress[1]
    assert "c-garbage.txt" in progress[2] and "(line 2, byte 128)" in progress[2]  # the place in the file
    # summary lines: one per document, naming the bad files and why
    summary = {l.split()[1].rstrip(":") if l.startswith("ok") else l: l for l in stdout.splitlines() if l.startswith(("ok ", "FAILED"))}
    assert str(mixed_folder / "a-good.txt") in summary
    failed = [l for l in stdout.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 3
    assert any("b-truncated.pdf" in l and "PDF" in l for l in failed)
    assert any("c-garbage.txt" in l and "UTF-8" in l for l in failed)
    assert any("d-notes.txt" in l and "no budget table" in l for l in failed)
    assert "published" in stdout and "from 1 document(s)" in stdout
    # the publication holds the good document only
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    good = [d for d in data["documents"] if "error" not in d]
    bad = [d for d in data["documents"] if "error" in d]
    assert [d["location"] for d in good] == [str(mixed_folder / "a-good.txt")]
    assert good[0]["budget_lines"] == 419
    assert sorted(d["location"].rsplit("/", 1)[1] for d in bad) == ["b-truncated.pdf", "c-garbage.txt", "d-notes.txt"]
    nq = gzip.decompress((out / "lodpub.nq.gz").read_bytes()).decode("utf-8")
    assert f"/doc/{good[0]['docid']}>" in nq
    assert (out / "store").is_dir() and (out / "catalog.ttl").is_file()


def test_nothing_is_written_when_every_document_fails(mixed_folder, tmp_path):
    (mixed_folder / "a-good.txt").unlink()
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["build", str(mixed_folder), "--out", str(out), "-j", "2"])
    assert run.exit_code == 1
    assert "no document could be read" in run.output
    for name in ("b-truncated.pdf", "c-garbage.txt", "d-notes.txt"):
        assert name in run.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["docs"]  # no work folder left behind either


def test_a_failing_document_does_not_replace_an_earlier_publication(tmp_path):
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out), "--issued", "2024-03-01"])
    assert first.exit_code == 0, first.output
    before = (out / "lodpub.nq.gz").read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    again = CliRunner().invoke(main, ["build", str(bad), "--out", str(out)])
    assert again.exit_code == 1 and "bad.pdf" in again.output
    assert (out / "lodpub.nq.gz").read_bytes() == before


def test_missing_input_is_named(tmp_path):
    run = CliRunner().invoke(main, ["build", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "out")])
    assert run.exit_code == 1
    assert "nope.pdf" in run.output and "no such file" in run.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "option, value, says",
    [
        ("--contact", "budget at example.org", "not an email address"),
        ("--contact", "ftp://example.org/x", "not an email address"),
        ("--contact", "<budget@example.org>", "not an email address"),
        ("--landing-page", "https://example.org/a page", "white space"),
        ("--landing-page", "example.org/budget", "not an absolute IRI"),
        ("--publisher-iri", 'https://example.org/"x"', "which no IRI may contain"),
        ("--publisher", "  ", "it is empty"),
        ("--title", "预算\n数据", "control character"),
    ],
)
def test_a_bad_catalogue_option_is_one_line_before_any_work(tmp_path, option, value, says):
    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(tmp_path / "out"), option, value])
    assert run.exit_code == 2, run.output
    assert says in run.output and option in run.output and "Traceback" not in run.output
    assert [line for line in run.output.splitlines() if line.startswith("Error")] == [run.output.strip().splitlines()[-1]]
    assert not (tmp_path / "out").exists()


def test_the_catalogue_says_what_the_options_tell_it(tmp_path):
    import pyoxigraph as ox

    out = tmp_path / "out"
    options = ["--publisher", "漯河市财政局", "--contact", "budget@example.org", "--title", "漯河预算", "--title-en", "Luohe budgets"]
    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out), "-j", "1", *options, "--landing-page", "https://example.gov.cn/budget/"])
    assert run.exit_code == 0, run.output
    store = ox.Store()
    store.load((out / "catalog.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    row = next(
        iter(
            store.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
        SELECT ?name ?email ?fn ?title ?en ?landing WHERE {
          ?d a dcat:Dataset ; dcterms:publisher/foaf:name ?name ; dcat:contactPoint ?c ; dcat:landingPage ?landing ;
             dcterms:title ?title , ?en FILTER(LANG(?title) = "zh" && LANG(?en) = "en")
          ?c vcard:hasEmail ?email ; vcard:fn ?fn }""")
        )
    )
    assert [row[k].value for k in ("name", "email", "fn", "title", "en", "landing")] == [
        "漯河市财政局",
        "mailto:budget@example.org",
        "漯河市财政局",
        "漯河预算",
        "Luohe budgets",
        "https://example.gov.cn/budget/",
    ]
