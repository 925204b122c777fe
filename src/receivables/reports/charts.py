"""Inline SVG charts drawn from report figures, for the self-contained HTML report.

Each function returns one ``<svg>`` element as :class:`markupsafe.Markup`, with every text
escaped here, so the template can embed it under autoescape. Colours, strokes and fonts are SVG
attributes on each element rather than page CSS, so the charts look the same in browsers, print
and PDF converters that render SVG apart from the page. Coordinates are floats because they are
pixels; the figures themselves arrive as exact ``Decimal`` values and are only placed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 720.0, 290.0
LEFT, RIGHT, TOP, BOTTOM = 70.0, 40.0, 30.0, 56.0
TICKS = 5
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="11"'

INK, MUTED, RULE = "#1d2733", "#5b6775", "#d5dbe1"
BLUE, TEAL, AMBER, RED = "#2f6db5", "#1b8a7a", "#c98a14", "#b73b3b"
# Aging bars from current to oldest: green, blue, amber, then red for every older bucket.
BUCKET_COLOURS = (TEAL, BLUE, AMBER)

Scale = Callable[[float], float]


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a name for the legend, its colour and a value per date."""

    name: str
    colour: str
    values: Sequence[Decimal | None]


def _nice_ticks(low: float, high: float) -> list[float]:
    """Choose round tick values covering ``low`` to ``high``, 1, 2 or 5 times a power of ten apart."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step) + 1
    return [first + index * step for index in range(count)]


def _tick_text(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:,.0f}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _open(title: str, height: float = HEIGHT) -> list[str]:
    label = escape(title)
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
    ]


def _text(x: float, y: float, content: str, anchor: str = "start", colour: str = MUTED) -> str:
    position = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
    return f'<text {position} fill="{colour}" {FONT}>{escape(content)}</text>'


def _rect(x: float, y: float, width: float, height: float, colour: str, tooltip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}">'
        f"<title>{escape(tooltip)}</title></rect>"
    )


def _y_axis(ticks: list[float], scale_y: Scale, unit: str) -> list[str]:
    parts = []
    for tick in ticks:
        y = scale_y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{RULE}"/>')
        parts.append(_text(LEFT - 6, y + 4, _tick_text(tick), "end"))
    parts.append(_text(LEFT - 6, TOP - 12, unit, "end"))
    return parts


def bar_chart(bars: Sequence[tuple[str, Decimal]], *, title: str, unit: str) -> Markup:
    """Draw vertical bars, one per label, such as the aging buckets from current to oldest."""
    values = [float(value) for _, value in bars]
    ticks = _nice_ticks(min(values, default=0.0), max(values, default=0.0))
    plot_height = HEIGHT - TOP - BOTTOM

    def scale_y(value: float) -> float:
        return TOP + plot_height * (ticks[-1] - value) / (ticks[-1] - ticks[0])

    parts = _open(title) + _y_axis(ticks, scale_y, unit)
    slot = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    for index, (label, value) in enumerate(bars):
        x = LEFT + index * slot + slot * 0.15
        top, base = scale_y(max(float(value), 0.0)), scale_y(min(float(value), 0.0))
        colour = BUCKET_COLOURS[index] if index < len(BUCKET_COLOURS) else RED
        parts.append(_rect(x, top, slot * 0.7, max(base - top, 0.0), colour, f"{label}: {value:,} {unit}"))
        parts.append(_text(x + slot * 0.35, top - 4, f"{value:,}", "middle", INK))
        parts.append(_text(x + slot * 0.35, HEIGHT - BOTTOM + 18, label, "middle"))
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bar_chart(bars: Sequence[tuple[str, Decimal]], *, title: str, unit: str) -> Markup:
    """Draw horizontal bars in the order given, such as the customers with the most overdue."""
    row_height, label_width = 26.0, 190.0
    height = TOP + BOTTOM / 2 + row_height * max(len(bars), 1)
    largest = max((float(value) for _, value in bars), default=0.0) or 1.0
    span = WIDTH - label_width - RIGHT - 110.0
    parts = _open(title, height)
    for index, (label, value) in enumerate(bars):
        y = TOP + index * row_height
        width = span * max(float(value), 0.0) / largest
        short = label if len(label) <= 28 else label[:27] + "\u2026"
        parts.append(_text(label_width - 8, y + 16, short, "end", INK))
        parts.append(_rect(label_width, y + 4, width, row_height - 8, RED, f"{label}: {value:,} {unit}"))
        parts.append(_text(label_width + width + 6, y + 16, f"{value:,} {unit}"))
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(dates: Sequence[date], series: Sequence[Series], *, title: str, unit: str) -> Markup:
    """Draw one line per series over ``dates``; a missing value (None) leaves a gap in its line."""
    present = [float(value) for line in series for value in line.values if value is not None]
    ticks = _nice_ticks(min(present, default=0.0), max(present, default=0.0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def scale_x(index: int) -> float:
        return LEFT + (plot_width * index / (len(dates) - 1) if len(dates) > 1 else plot_width / 2)

    def scale_y(value: float) -> float:
        return TOP + plot_height * (ticks[-1] - value) / (ticks[-1] - ticks[0])

    parts = _open(title) + _y_axis(ticks, scale_y, unit)
    # At most 12 date labels, counted back from the newest so that one is always labelled.
    every = max(1, math.ceil(len(dates) / 12))
    for index, day in enumerate(dates):
        if (len(dates) - 1 - index) % every == 0:
            parts.append(_text(scale_x(index), HEIGHT - BOTTOM + 18, day.isoformat()[:7], "middle"))
    for number, line in enumerate(series):
        parts.extend(_polylines(line, dates, scale_x, scale_y, unit))
        x = LEFT + number * 180.0
        parts.append(f'<rect x="{x:.1f}" y="{HEIGHT - 20}" width="12" height="4" fill="{line.colour}"/>')
        parts.append(_text(x + 18, HEIGHT - 14, line.name, colour=INK))
    parts.append("</svg>")
    return Markup("".join(parts))


def _polylines(
    line: Series, dates: Sequence[date], scale_x: Callable[[int], float], scale_y: Scale, unit: str
) -> list[str]:
    """Draw the runs of consecutive values of ``line`` as polylines, and a dot with a tooltip per value."""
    parts: list[str] = []
    run: list[str] = []
    for index, value in enumerate([*line.values, None]):
        if value is None:
            if run:
                points = " ".join(run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="2"/>'
                )
            run = []
            continue
        x, y = scale_x(index), scale_y(float(value))
        run.append(f"{x:.1f},{y:.1f}")
        tooltip = escape(f"{line.name} {dates[index].isoformat()}: {value} {unit}")
        dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{line.colour}">'
        parts.append(f"{dot}<title>{tooltip}</title></circle>")
    return parts
