"""Plots for the evaluation reports, as inline PNG data URIs (matplotlib Agg, no pyplot).

No global backend is set and no window is opened: each plot is a `Figure`
rendered to bytes, so reports stay self-contained and plotting is thread-safe.

Constants: DPI, PASS_COLOR, FAIL_COLOR, PALETTE.
"""

from __future__ import annotations

import base64
import io

DPI = 96
PASS_COLOR = "#2e7d32"
FAIL_COLOR = "#c62828"
PALETTE = ("#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#37474f")


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def to_data_uri(fig) -> str:
    """The figure as a `data:image/png;base64,...` URI."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def category_plot(scores: dict[str, float], title: str) -> str:
    """Horizontal bars: share of passed items per category, 0-100 %."""
    names = list(scores)
    fig = _figure(7, 0.5 + 0.45 * max(1, len(names)))
    ax = fig.add_subplot()
    values = [100 * scores[n] for n in names]
    colors = [PASS_COLOR if v >= 100 else (FAIL_COLOR if v < 50 else PALETTE[1]) for v in values]
    bars = ax.barh(names[::-1], values[::-1], color=colors[::-1])
    ax.bar_label(bars, labels=[f"{v:.0f} %" for v in values[::-1]], padding=3)
    ax.set_xlim(0, 112)
    ax.set_xlabel("%")
    ax.set_title(title)
    return to_data_uri(fig)


def timing_plot(items: list[dict], categories: list[str], seconds_label: str, tokens_label: str) -> str:
    """Two panels, one bar per item in run order: seconds, then tokens, coloured by category."""
    fig = _figure(9, 4.6)
    top, bottom = fig.subplots(2, 1, sharex=True)
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(categories)}
    xs = list(range(1, len(items) + 1))
    colors = [colour.get(item["category"], PALETTE[-1]) for item in items]
    top.bar(xs, [item["seconds"] for item in items], color=colors)
    top.set_ylabel(seconds_label)
    bottom.bar(xs, [item["tokens"] for item in items], color=colors)
    bottom.set_ylabel(tokens_label)
    bottom.set_xlabel("#")
    from matplotlib.patches import Patch

    used = [name for name in categories if any(item["category"] == name for item in items)]
    fig.legend(handles=[Patch(color=colour[n], label=n) for n in used], loc="outside upper center",
               fontsize="small", ncols=max(1, min(6, len(used))), frameon=False)
    return to_data_uri(fig)


def grouped_bars(groups: list[str], series: dict[str, list[float]], ylabel: str, title: str) -> str:
    """Grouped vertical bars: one group per model, one bar per sample."""
    fig = _figure(1.5 + 1.4 * max(1, len(groups)), 3.6)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    for index, (label, values) in enumerate(series.items()):
        xs = [g + index * width for g in range(len(groups))]
        bars = ax.bar(xs, values, width=width, label=label, color=PALETTE[index % len(PALETTE)])
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize="small", padding=2)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))], groups)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    return to_data_uri(fig)
