"""Stage 7: publish. Every file of a publication, each written by its own module.

Who writes what (the file names are in `manifest`):

* per document, in the worker that read it: `pieces` (the document's piece of every dump, written
  from its N-Triples text by `turtle` and `jsonld`, and its partial rows of budget-lines.csv,
  `lines`), and `accounting` (its rows of accounting.csv and skipped.csv);
* for the publication, in the main process (`publication.write_publication`): `datapackage`
  (budget-lines.csv completed by `codefacts`, datapackage.json), `aggregates` (sums over all
  documents, taken as the CSV is written), `dumps`, `reports`, `catalogue`, the store, and the
  landing page (`landing`, `charts`).

This package imports nothing itself, so that the per-document pipeline, which imports `pieces` and
`accounting`, does not load the writers of the whole publication.
"""
