"""The leaderboard's plot as a standalone SVG string: each contestant's score and 95% interval.

Pure and server-rendered (no script, no CDN): rows best first, a dot at the score, a bar
over the interval, a dashed line at the centre (1000); preliminary contestants are drawn
hollow. Names are escaped. Sizes are in CSS pixels and the SVG scales to its container.

Constants: ROW_HEIGHT, WIDTH, LABEL_WIDTH, MARGIN.
"""

from __future__ import annotations

from html import escape

from .ranking import CENTRE

ROW_HEIGHT = 28
WIDTH = 640
LABEL_WIDTH = 180
MARGIN = 24


def svg_plot(board: list[dict], title: str = "", axis_label: str = "") -> str:
    """An SVG of `board` rows (dicts with contestant, score, ci_low, ci_high, preliminary)."""
    height = MARGIN * 2 + ROW_HEIGHT * max(1, len(board)) + 20
    if board:
        low = min(min(r["ci_low"] for r in board), CENTRE)
        high = max(max(r["ci_high"] for r in board), CENTRE)
    else:
        low, high = CENTRE - 100, CENTRE + 100
    pad = max(10.0, (high - low) * 0.05)
    low, high = low - pad, high + pad
    left, right = LABEL_WIDTH, WIDTH - MARGIN

    def x(value: float) -> float:
        return round(left + (value - low) / (high - low) * (right - left), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'class="arena-plot" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{x(CENTRE)}" y1="{MARGIN - 8}" x2="{x(CENTRE)}" y2="{height - MARGIN - 12}" '
        'stroke="#888" stroke-dasharray="4 4"/>',
    ]
    for i, row in enumerate(board):
        y = MARGIN + ROW_HEIGHT * i + ROW_HEIGHT / 2
        fill = "none" if row.get("preliminary") else "#1d4e89"
        parts += [
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" font-size="13">{escape(str(row["contestant"]))}</text>',
            f'<line x1="{x(row["ci_low"])}" y1="{y}" x2="{x(row["ci_high"])}" y2="{y}" stroke="#1d4e89" '
            'stroke-width="3"/>',
            f'<circle cx="{x(row["score"])}" cy="{y}" r="5" fill="{fill}" stroke="#1d4e89" stroke-width="2">'
            f'<title>{escape(str(row["contestant"]))}: {row["score"]:.0f} '
            f'[{row["ci_low"]:.0f} ; {row["ci_high"]:.0f}]</title></circle>',
        ]
    axis_y = height - MARGIN
    for value in (low + pad, CENTRE, high - pad):
        parts.append(f'<text x="{x(value)}" y="{axis_y}" text-anchor="middle" font-size="11">{value:.0f}</text>')
    if axis_label:
        parts.append(f'<text x="{(left + right) / 2}" y="{axis_y + 16}" text-anchor="middle" font-size="11">'
                     f"{escape(axis_label)}</text>")
    parts.append("</svg>")
    return "\n".join(parts)


__all__ = ["svg_plot"]
