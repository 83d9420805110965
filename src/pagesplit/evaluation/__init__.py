"""Evaluation machinery: compose gold pages from a corpus, score pipeline output against gold.

Modules, one job each:

    corpus.py    read the People's Daily corpus into small frozen records, grouped by issue
    units.py     one corpus article -> its printed units (kicker, headline, ..., body, credits) with roles
    noise.py     OCR-noise transforms (punctuation width, confusables, character errors, CJK spaces, wrapping)
    plan.py      one page's units -> blocks in page order (column breaks, tails, duplicates, boilerplate)
    render.py    blocks -> page text + gold spans (paragraph or line-wrapped layout)
    compose.py   whole issues -> OUT/pages, OUT/gold, OUT/compose.json
    gold.py      the gold JSON format (read/write) and the gold article texts
    output.py    pagesplit Parquet output -> per-page predictions
    score.py     gold vs predictions -> counts -> metrics (overall, per layout, per page)
    report.py    rich tables of scores
    baseline.py  the naive baseline system (same Parquet tables)
    floors.py    eval/floors.json: check and raise-only pinning
    devset.py    compose + run pipeline + baseline + seed, score side by side, gate on floors
    commands.py  typer commands (compose, eval, eval-dev)
"""
