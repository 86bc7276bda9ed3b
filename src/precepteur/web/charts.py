"""Server-rendered SVG charts (no script, nothing from a CDN): mastery over time and a
learner × skill heat map. Each returns markup that scales to its container (viewBox,
width 100%), with a title and a text equivalent for screen readers.

Constants: PALETTE, CHART_WIDTH, CHART_HEIGHT, CELL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from markupsafe import Markup, escape

PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#4d7c0f")
CHART_WIDTH, CHART_HEIGHT = 640, 260
CELL = 44
_PAD = (52, 16, 16, 28)  # left, top, right, bottom


def _color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def mastery_chart(series: Mapping[str, Sequence[tuple[datetime, float]]], title: str) -> Markup:
    """One line per skill: mastery (0–100 %) after each answer, over time."""
    left, top, right, bottom = _PAD
    width, height = CHART_WIDTH - left - right, CHART_HEIGHT - top - bottom
    moments = [when for points in series.values() for when, _ in points]
    parts = [f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="100%" role="img" '
             f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>']
    for percent in (0, 50, 80, 100):
        y = top + height * (1 - percent / 100)
        parts.append(f'<line x1="{left}" x2="{left + width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{percent} %</text>')
    if moments:
        start, end = min(moments), max(moments)
        span = (end - start).total_seconds() or 1.0
        for index, (label, points) in enumerate(series.items()):
            coords = []
            for step, (when, value) in enumerate(points):
                x = left + width * ((when - start).total_seconds() / span if end > start else step / max(1, len(points) - 1))
                coords.append(f"{x:.1f},{top + height * (1 - value):.1f}")
            color = _color(index)
            parts.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="{color}" stroke-width="2.5">'
                         f'<title>{escape(label)}</title></polyline>')
            last = coords[-1].split(",")
            parts.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="4" fill="{color}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _heat(value: float) -> str:
    """Red (0) through amber to green (1), readable under dark text."""
    value = max(0.0, min(1.0, value))
    hue = int(120 * value)
    return f"hsl({hue}, 70%, 72%)"


def heatmap(learners: Sequence[str], skills: Sequence[str], cells: Sequence[Sequence[dict | None]], title: str,
            empty: str) -> Markup:
    """Learners down, skills across; each cell shows mastery in % (empty when the learner has no answer)."""
    label_w = 120
    width = label_w + CELL * max(1, len(skills)) + 80  # room for the last slanted label
    header = 24 + 8 * max((min(len(s), 18) for s in skills), default=4)
    height = header + CELL * max(1, len(learners))
    parts = [f'<svg class="heatmap" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="heat-title" '
             f'xmlns="http://www.w3.org/2000/svg" style="max-width:{width * 1.4:.0f}px">'
             f'<title id="heat-title">{escape(title)}</title>']
    for column, skill in enumerate(skills):
        x = label_w + CELL * column + CELL / 2
        short = skill if len(skill) <= 18 else skill[:17] + "…"
        parts.append(f'<text transform="translate({x:.0f},{header - 6}) rotate(-45)" class="axis">'
                     f'{escape(short)}<title>{escape(skill)}</title></text>')
    for row, learner in enumerate(learners):
        y = header + CELL * row
        parts.append(f'<text x="{label_w - 6}" y="{y + CELL / 2 + 4:.0f}" text-anchor="end" class="axis">{escape(learner)}</text>')
        for column, cell in enumerate(cells[row]):
            x = label_w + CELL * column
            if cell is None:
                parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{CELL - 2}" class="cell-empty">'
                             f'<title>{escape(learner)} · {escape(skills[column])} : {escape(empty)}</title></rect>')
                continue
            percent = round(100 * cell["mastery"])
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{CELL - 2}" fill="{_heat(cell["mastery"])}">'
                         f'<title>{escape(learner)} · {escape(skills[column])} : {percent} % ({cell["answers"]})</title></rect>'
                         f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 4}" text-anchor="middle" class="cell-text">{percent}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["heatmap", "mastery_chart"]
