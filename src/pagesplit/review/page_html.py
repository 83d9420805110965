"""One page as a self-contained HTML review: the OCR text with each article's segments in its own
colour, removed spans struck through with their reason, fragment joins marked, and a side list.

Markup contract (tests and scripts rely on it): kept segments are ``<span class="seg">`` with
``data-article`` (absent for a kept segment outside any article), ``data-segment``, ``data-role``
and an inline ``background-color``; removed ones are ``<del data-removed=KIND title=REASON>``;
a segment joined to the previous fragment carries ``data-join="previous"``; text in no segment
is ``<span class="uncovered">``. Everything taken from the data is escaped.
"""

from __future__ import annotations

from html import escape

from .data import PageView

GOLDEN_ANGLE = 137.508  # successive hues as far apart as possible, for any number of articles


def colour(i: int) -> str:
    return f"hsl({(i * GOLDEN_ANGLE) % 360:.0f}, 75%, 82%)"


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


CSS = """
body{margin:0;font:14px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;color:#222;background:#fafafa}
header{padding:.6em 1em;background:#333;color:#fff}header h1{font-size:1.1em;margin:0}
header p{margin:.2em 0 0;color:#ccc;font-size:.9em}.warn{background:#fdd;color:#600;padding:.4em 1em;margin:0}
main{display:flex;align-items:flex-start}
aside{width:22em;flex:none;padding:0 1em;position:sticky;top:0;max-height:100vh;overflow:auto}
aside h2{font-size:1em;margin:1em 0 .3em}aside ol,aside ul{padding-left:1.2em;margin:0}
aside li{margin:.25em 0;cursor:pointer}aside small{color:#666}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #999;vertical-align:middle;margin-right:.3em}
#page{flex:1;margin:0;padding:1em;white-space:pre-wrap;word-break:break-all;background:#fff;
  font-family:"Noto Sans Mono CJK SC","Noto Sans CJK SC",monospace;border-left:1px solid #ddd}
.seg{border-radius:2px}.seg[data-role=headline]{font-weight:bold}.seg.orphan{outline:1px dashed #c00}
.seg[data-join=previous]::before{content:"⤷";color:#c00;font-weight:bold}
del{color:#999;text-decoration-color:#c00}del[data-removed=duplicate]{background:#eee}
.uncovered{background:#f99}
body.focus .seg:not(.on){background:none!important}body.focus .seg.on{outline:2px solid #333}
"""

JS = """
(function(){
  var items=document.querySelectorAll('aside li[data-article]');
  items.forEach(function(li){
    var id=li.getAttribute('data-article');
    var segs=document.querySelectorAll('.seg[data-article="'+CSS.escape(id)+'"]');
    var nseg=li.querySelector('.nseg');li.setAttribute('data-shown',segs.length);
    if(String(segs.length)!==nseg.getAttribute('data-n')){nseg.textContent+=' ('+segs.length+' shown)';nseg.style.color='#c00'}
    li.addEventListener('click',function(){
      var on=!li.classList.contains('on');
      document.querySelectorAll('.on').forEach(function(x){x.classList.remove('on')});
      document.body.classList.toggle('focus',on);
      if(on){li.classList.add('on');segs.forEach(function(s){s.classList.add('on')});
        if(segs.length){segs[0].scrollIntoView({block:'center'})}}
    });
  });
  document.body.setAttribute('data-ready','1');
})();
"""


def _segment(s: dict, colours: dict[str, str]) -> str:
    text = e(s["_text"])
    if s["removed"]:
        why = s["removal_reason"] or s["removed"]
        if s["duplicate_of"]:
            why += f" · duplicate of {s['duplicate_of']}"
        return (f'<del data-removed="{e(s["removed"])}" data-segment="{e(s["segment_id"])}" '
                f'title="{e(why)}">{text}</del>')  # fmt: skip
    attrs = f'data-segment="{e(s["segment_id"])}" data-role="{e(s["role"])}"'
    title = f"{s['role']} · {s['segment_id']} · {s['char_start']}–{s['char_end']}"
    if s["joins_previous"]:
        attrs += ' data-join="previous"'
        title += " · joined to the previous fragment"
    aid = s["article_id"]
    if aid is None:
        return f'<span class="seg orphan" {attrs} title="{e(title + " · in no article")}">{text}</span>'
    return (f'<span class="seg" id="{e(s["_anchor"])}" data-article="{e(aid)}" {attrs} '
            f'style="background-color:{colours[aid]}" title="{e(title)}">{text}</span>')  # fmt: skip


def _gap(text: str) -> str:
    return f'<span class="uncovered" title="in no segment">{e(text)}</span>' if text.strip() else e(text)


def page_body(view: PageView, colours: dict[str, str]) -> tuple[str, list[str]]:
    """The page text marked up, and warnings about offsets that do not fit the text."""
    out, warnings, pos, n = [], [], 0, len(view.text)
    for i, s in enumerate(view.segments):
        start, end = max(s["char_start"], pos), min(s["char_end"], n)
        if start != s["char_start"] or end != s["char_end"]:
            warnings.append(f"segment {s['segment_id']} ({s['char_start']}–{s['char_end']}) overlaps "
                            f"another or runs past the text ({n} characters): clipped")  # fmt: skip
        if start >= end:
            continue
        out.append(_gap(view.text[pos:start]))
        out.append(_segment({**s, "_text": view.text[start:end], "_anchor": f"seg-{i}"}, colours))
        pos = end
    out.append(_gap(view.text[pos:]))
    return "".join(out), warnings


def _side(view: PageView, colours: dict[str, str]) -> str:
    first = {}
    for i, s in enumerate(view.segments):
        if s["article_id"] is not None:
            first.setdefault(s["article_id"], f"seg-{i}")
    items = []
    for a in view.articles:
        aid = a["article_id"]
        title = a["headline"] or ("(caption)" if a["kind"] == "caption" else "(no headline)")
        items.append(
            f'<li data-article="{e(aid)}"><span class="swatch" style="background-color:{colours[aid]}"></span>'
            f'<a href="#{e(first.get(aid, ""))}">{e(title)}</a><br><small>{e(a["kind"])} · '
            f'{e(a["n_chars"])} chars · <span class="nseg" data-n="{len(a["segment_ids"])}">{len(a["segment_ids"])} segments</span></small></li>'
        )  # fmt: skip
    removed = {}
    for s in view.segments:
        if s["removed"]:
            k = removed.setdefault(s["removed"], [0, 0])
            k[0] += 1
            k[1] += sum(1 for c in s["text"] or "" if not c.isspace())
    rem = "".join(f"<li><del>{e(k)}</del>: {n} spans, {c} chars</li>" for k, (n, c) in sorted(removed.items()))
    return (f"<aside><h2>Articles ({len(view.articles)})</h2><ol>{''.join(items)}</ol>"
            f"<h2>Removed</h2><ul>{rem or '<li>nothing</li>'}</ul>"
            "<h2>Legend</h2><ul><li>colour: one per article (click to focus)</li>"
            "<li><del>struck</del>: removed, hover for why</li><li><b>⤷</b>: fragment joined to the previous one</li>"
            '<li><span class="uncovered">red</span>: text in no segment</li></ul></aside>')  # fmt: skip


def render_page_html(view: PageView) -> str:
    colours = {a["article_id"]: colour(i) for i, a in enumerate(view.articles)}
    for s in view.segments:  # segments of articles missing from the articles table still get a colour
        if s["article_id"] is not None and s["article_id"] not in colours:
            colours[s["article_id"]] = colour(len(colours))
    body, offset_warnings = page_body(view, colours)
    # HTML drops one newline right after <pre>: the "\n" written before the body keeps the page's own
    p = view.page
    warns = "".join(f'<p class="warn">{e(w)}</p>' for w in (*view.warnings, *offset_warnings))
    meta = f"{p['source_path']} · page {p['page_no']} · {p['layout']} · {p['n_chars']} chars · run {p['run_id']}"
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{e(p["page_id"])} · pagesplit review</title>'
        f"<style>{CSS}</style></head><body><header><h1>{e(p['page_id'])}</h1><p>{e(meta)}</p></header>{warns}"
        f'<main>{_side(view, colours)}<pre id="page">\n{body}</pre></main><script>{JS}</script></body></html>'
    )  # fmt: skip
