"""Incremental rebuilds: unchanged documents come from the result cache, changed ones are read again."""

from __future__ import annotations

import lodpub.pipeline as pipeline
from conftest import BASE, EXAMPLE
from lodpub.build import build


def test_unchanged_documents_are_not_read_again_and_output_is_identical(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (docs / "a.txt").write_text(text, encoding="utf-8")
    (docs / "b.txt").write_text(text.replace("漯河市人民政府办公室", "漯河市财政局"), encoding="utf-8")
    cache = tmp_path / "cache"
    first = build([str(docs)], tmp_path / "out1", base=BASE, issued="2024-03-01", cache_dir=cache)
    assert len(first.published()) == 2

    read = []
    real_extract = pipeline.extract
    monkeypatch.setattr(pipeline, "extract", lambda source: read.append(source.location) or real_extract(source))
    second = build([str(docs)], tmp_path / "out2", base=BASE, issued="2024-03-01", cache_dir=cache)
    assert read == []  # both came from the cache
    for name in ("lodpub.nq.gz", "lodpub.ttl", "lodpub.jsonld", "catalog.ttl", "validation-report.ttl", "accounting.csv"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes(), name
    assert [d.location for d in second.documents] == [str(docs / "a.txt"), str(docs / "b.txt")]

    (docs / "b.txt").write_text(text.replace("漯河市人民政府办公室", "漯河市财政局").replace("4,212.99", "4,212.98", 1), encoding="utf-8")
    build([str(docs)], tmp_path / "out3", base=BASE, issued="2024-03-01", cache_dir=cache)
    assert read == [str(docs / "b.txt")]  # only the changed document was read


def test_another_base_is_not_served_from_the_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build([str(EXAMPLE)], tmp_path / "out1", base=BASE, issued="2024-03-01", cache_dir=cache)
    read = []
    real_extract = pipeline.extract
    monkeypatch.setattr(pipeline, "extract", lambda source: read.append(1) or real_extract(source))
    build([str(EXAMPLE)], tmp_path / "out2", base="http://example.com/other/", issued="2024-03-01", cache_dir=cache)
    assert read == [1]
    assert b"http://example.com/other/doc/" in (tmp_path / "out2" / "lodpub.ttl").read_bytes()
