"""The evidence review: does a paper's coded evidence support what its text says?

`review.py` assembles a `Review` (a Result); `registry.py` holds the check families, one module each
in `checks/`, each registering itself; `findings.py` is the shape every check reports in and the one
rule for each severity; `claims.py`, `verdicts.py`, `readings.py` and `conduct.py` read what the
checks compare (claims.yml, the transcription ledger and labels, conduct.yml); `quotes.py`,
`pairs.py`, `reuse_index.py` and `quote_links.py` are the quote machinery; `triage.py` folds the
uncheckable claims into one row per paper.
"""
