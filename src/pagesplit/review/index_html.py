"""The review index: every page of an output with its counts, linking to the page reviews."""

from __future__ import annotations

from urllib.parse import quote

from .page_html import e

_COUNTS = ("n_articles", "n_segments", "chars_removed_boilerplate", "chars_removed_duplicate",
           "chars_removed_noise")  # fmt: skip

CSS = """
body{margin:1em;font:14px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;color:#222}
table{border-collapse:collapse}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.failed td{color:#900}tfoot td{font-weight:bold}
"""


def page_href(page_id: str) -> str:
    """Where ``render_all`` writes a page's review, relative to the index (one folder per id part,
    each part percent-encoded so any page id gives a safe path)."""
    return "pages/" + "/".join(quote(part, safe="") for part in page_id.split("/")) + ".html"


def render_index_html(pages: list[dict], failed: dict[str, str] | None = None) -> str:
    failed = failed or {}
    pages = sorted(pages, key=lambda p: (p["publication"], p["issue_date"], p["page_no"], p["page_id"]))
    rows, totals = [], dict.fromkeys(_COUNTS, 0)
    for p in pages:
        for k in _COUNTS:
            totals[k] += p[k] or 0
        pid = p["page_id"]
        if pid in failed:
            link = f'{e(pid)} <small title="{e(failed[pid])}">(not rendered: {e(failed[pid])})</small>'
        else:
            link = f'<a href="{e(quote(page_href(pid)))}">{e(pid)}</a>'
        cells = "".join(f'<td class="n">{e(p[k])}</td>' for k in _COUNTS)
        cls = ' class="failed"' if pid in failed else ""
        rows.append(f"<tr{cls} data-page=\"{e(pid)}\"><td>{link}</td><td>{e(p['publication'])}</td>"
                    f"<td>{e(p['issue_date'])}</td><td class=\"n\">{e(p['page_no'])}</td>{cells}</tr>")  # fmt: skip
    foot = "".join(f'<td class="n">{totals[k]}</td>' for k in _COUNTS)
    head = "".join(f"<th>{h}</th>" for h in ("page", "publication", "date", "no.", "articles", "segments",
                                              "removed: boilerplate", "duplicate", "noise"))  # fmt: skip
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>pagesplit review · {len(pages)} pages'
        f"</title><style>{CSS}</style></head><body><h1>{len(pages)} pages</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody><tfoot><tr><td>total</td><td></td><td></td><td></td>{foot}</tr></tfoot>"
        "</table></body></html>"
    )  # fmt: skip
