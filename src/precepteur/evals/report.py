"""The HTML report of one run: self-contained, readable offline, with its plots inline.

`render_report(results, lang)` turns a results.json object into one HTML page:
the model and suite, how items were scored (the judge statement), the score of
each category (plot and table), every failed item with its question, answer and
reasons, and the time and tokens of each answer (plot and table). CSS is inline
and plots are base64 PNGs, so the page loads nothing from the network.

Constants: CSS, MAX_ANSWER_CHARS.
"""

from __future__ import annotations

from html import escape

from ..i18n import t
from ._plots import category_plot, timing_plot

MAX_ANSWER_CHARS = 4000

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#2e7d32;font-weight:600}.fail{color:#c62828;font-weight:600}
.judge{background:#fff8e1;border-left:4px solid #ffb300;padding:.5rem 1rem}
.item{border:1px solid #e0e0e0;border-radius:6px;padding:.5rem 1rem;margin:.8rem 0}
.item pre{white-space:pre-wrap;background:#fafafa;padding:.5rem;margin:.2rem 0}
.why{color:#c62828}img{max-width:100%}dt{font-weight:600}
"""


def _num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}"


def _summary(results: dict, lang: str) -> str:
    rows = [
        (t("evals.report.model", lang), results["model"]),
        (t("evals.report.suite", lang), results["suite"]),
        (t("evals.report.library", lang), results.get("library") or "—"),
        (t("evals.report.started", lang), results.get("started") or "—"),
        (t("evals.report.finished", lang), results.get("finished") or t("evals.report.unfinished", lang)),
        (t("evals.report.items", lang), f"{results.get('done', len(results['items']))} / {results.get('total', '?')}"),
        (t("evals.report.overall", lang), f"{100 * results.get('overall', 0):.0f} %"),
    ]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def _scores(results: dict, lang: str) -> str:
    scores, counts = results["scores"], results.get("counts", {})
    if not scores:
        return f"<p>{escape(t('evals.report.no_items', lang))}</p>"
    plot = category_plot(scores, t("evals.report.scores", lang))
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td class=num>{counts.get(name, ['?', '?'])[0]} / "
        f"{counts.get(name, ['?', '?'])[1]}</td><td class=num>{100 * value:.0f} %</td></tr>"
        for name, value in scores.items()
    )
    head = (f"<tr><th>{escape(t('evals.report.category', lang))}</th><th>{escape(t('evals.report.passed', lang))}"
            f"</th><th>%</th></tr>")
    alt = escape(t("evals.report.scores", lang))
    return f'<img src="{plot}" alt="{alt}"><table>{head}{rows}</table>'


def _failures(results: dict, lang: str) -> str:
    failed = [item for item in results["items"] if not item["passed"]]
    if not failed:
        return f"<p class=pass>{escape(t('evals.report.no_failures', lang))}</p>"
    blocks = []
    for item in failed:
        answer = item.get("answer") or ""
        if len(answer) > MAX_ANSWER_CHARS:
            answer = answer[:MAX_ANSWER_CHARS] + " […]"
        citations = "".join(
            f"<li>{escape(c.get('document', ''))} — {escape(c.get('locator', ''))} : "
            f"« {escape(c.get('quote', ''))} »</li>"
            for c in item.get("citations") or []
        )
        error = f"<dt>{escape(t('evals.report.error', lang))}</dt><dd><pre>{escape(item['error'])}</pre></dd>" \
            if item.get("error") else ""
        blocks.append(
            f'<div class=item id="{escape(item["id"])}"><b>{escape(item["id"])}</b> · {escape(item["category"])}'
            f"<dl><dt>{escape(t('evals.report.question', lang))}</dt><dd><pre>{escape(item['question'])}</pre></dd>"
            f"<dt>{escape(t('evals.report.answer', lang))}</dt><dd><pre>{escape(answer)}</pre></dd>"
            f"<dt>{escape(t('evals.report.why', lang))}</dt><dd class=why>{escape(item.get('why') or '')}</dd>"
            + (f"<dt>{escape(t('evals.report.citations', lang))}</dt><dd><ul>{citations}</ul></dd>"
               if citations else "")
            + error + "</dl></div>"
        )
    return "".join(blocks)


def _timing(results: dict, lang: str) -> str:
    items = results["items"]
    if not items:
        return ""
    categories = list(results["scores"])
    plot = timing_plot(items, categories, t("evals.report.seconds", lang), t("evals.report.tokens", lang))
    total_s = sum(item["seconds"] for item in items)
    total_tokens = sum(item["tokens"] for item in items)
    per_category = []
    for name in categories:
        chosen = [item for item in items if item["category"] == name]
        seconds = sum(i["seconds"] for i in chosen) / len(chosen)
        tokens = sum(i["tokens"] for i in chosen) / len(chosen)
        per_category.append(f"<tr><td>{escape(name)}</td><td class=num>{_num(seconds, 2)}</td>"
                            f"<td class=num>{_num(tokens, 0)}</td></tr>")
    mean_head = (f"<tr><th>{escape(t('evals.report.category', lang))}</th>"
                 f"<th>{escape(t('evals.report.mean_seconds', lang))}</th>"
                 f"<th>{escape(t('evals.report.mean_tokens', lang))}</th></tr>")
    rows = "".join(
        f"<tr><td>{n}</td><td><a href=\"#{escape(i['id'])}\">{escape(i['id'])}</a></td><td>{escape(i['category'])}</td>"
        f"<td class={'pass' if i['passed'] else 'fail'}>{'✓' if i['passed'] else '✗'}</td>"
        f"<td class=num>{_num(i['seconds'], 2)}</td><td class=num>{i['tokens']}</td></tr>"
        for n, i in enumerate(items, start=1)
    )
    head = (f"<tr><th>#</th><th>id</th><th>{escape(t('evals.report.category', lang))}</th><th></th>"
            f"<th>{escape(t('evals.report.seconds', lang))}</th><th>{escape(t('evals.report.tokens', lang))}</th></tr>")
    totals = escape(t("evals.report.totals", lang, seconds=_num(total_s, 1), tokens=total_tokens, items=len(items)))
    alt = escape(t("evals.report.timing", lang))
    return (f'<p>{totals}</p><img src="{plot}" alt="{alt}"><table>{mean_head}{"".join(per_category)}</table>'
            f"<details><summary>{escape(t('evals.report.per_item', lang))}</summary>"
            f"<table>{head}{rows}</table></details>")


def render_report(results: dict, lang: str = "fr") -> str:
    """One self-contained HTML page for a results.json object."""
    title = t("evals.report.title", lang, suite=results["suite"], model=results["model"])
    judge = (results.get("judge") or {}).get("statement", "")
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{_summary(results, lang)}"
        f"<p class=judge><b>{escape(t('evals.report.judge', lang))}</b> {escape(judge)}</p>"
        f"<h2>{escape(t('evals.report.scores', lang))}</h2>{_scores(results, lang)}"
        f"<h2>{escape(t('evals.report.failures', lang))}</h2>{_failures(results, lang)}"
        f"<h2>{escape(t('evals.report.timing', lang))}</h2>{_timing(results, lang)}"
        f"<footer><p>{escape(t('evals.report.footer', lang))}</p></footer></body></html>"
    )
