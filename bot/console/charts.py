"""Server-rendered SVG charts for the overview page: no JavaScript, no chart library, no CDN.

Every piece of text is escaped, so a channel or intent named ``<script>`` stays text.
Colours and fonts are SVG presentation attributes, not ``style``: the console's
Content-Security-Policy (style-src 'self') would block inline styles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

# Okabe-Ito: told apart with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = 'font-family="system-ui, sans-serif"'
EMPTY_TEXT = "No data yet"
_AXIS = "#555555"
_GRID = "#dddddd"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """Coordinates with one decimal: short output, stable across platforms."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _format(value: float, percent: bool) -> str:
    if percent:
        return f"{round(value * 100, 1):g}%"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _ticks(top: float, count: int = 4, integer: bool = False) -> list[float]:
    """0 and a few round steps (1, 2, 2.5 or 5 times a power of ten) covering ``top``."""
    if top <= 0 or not math.isfinite(top):
        top = 1.0
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, float(math.ceil(step)))
    steps = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(steps + 1)]


def _open(title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="chart">',
        f"<title>{_e(title)}</title>",
        f'<text x="8" y="18" {FONT} font-size="14" font-weight="bold" fill="#222222">'
        f"{_e(title)}</text>",
    ]


def _empty(title: str, width: int, height: int) -> str:
    parts = _open(title, width, height)
    parts.append(
        f'<text x="{_n(width / 2)}" y="{_n(height / 2)}" {FONT} font-size="14" '
        f'fill="#666666" text-anchor="middle">{EMPTY_TEXT}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _date_ticks(days: Sequence[date], most: int = 6) -> list[date]:
    if len(days) <= most:
        return list(days)
    picks = {round(i * (len(days) - 1) / (most - 1)) for i in range(most)}
    return [days[i] for i in sorted(picks)]


def line_chart(
    series: dict[str, list[tuple[date, float]]],
    *,
    title: str,
    y_label: str,
    width: int = 640,
    height: int = 240,
    percent: bool = False,
) -> str:
    """One line per series over dates (e.g. conversations per day by channel, or a rate
    when ``percent``: values 0..1 shown as %). Points carry a tooltip with the exact value."""
    series = {name: sorted(points) for name, points in series.items() if points}
    if not series:
        return _empty(title, width, height)
    days = sorted({day for points in series.values() for day, _ in points})
    values = [value for points in series.values() for _, value in points]
    integer = not percent and all(float(v).is_integer() for v in values)
    ticks = _ticks(max(values), integer=integer)
    if percent:
        ticks = [t for t in ticks if t <= 1] or [0.0, 1.0]
    top = ticks[-1] or 1.0

    left, right, upper, lower = 64, 16, 56, 32
    plot_w, plot_h = width - left - right, height - upper - lower
    span = (days[-1] - days[0]).days if len(days) > 1 else 0

    def x(day: date) -> float:
        if not span:
            return left + plot_w / 2
        return left + (day - days[0]).days / span * plot_w

    def y(value: float) -> float:
        return upper + plot_h - min(max(value, 0.0), top) / top * plot_h

    parts = _open(title, width, height)
    parts += _legend(list(series), width)
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_n(y(tick) + 4)}" {FONT} font-size="11" fill="{_AXIS}" '
            f'text-anchor="end">{_e(_format(tick, percent))}</text>'
        )
    for day in _date_ticks(days):
        parts.append(
            f'<text x="{_n(x(day))}" y="{height - lower + 16}" {FONT} font-size="11" '
            f'fill="{_AXIS}" text-anchor="middle">{_e(f"{day:%b} {day.day}")}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{upper + plot_h}" y2="{upper + plot_h}" '
        f'stroke="{_AXIS}" stroke-width="1"/>'
    )
    parts.append(
        f'<text transform="translate(14 {_n(upper + plot_h / 2)}) rotate(-90)" {FONT} '
        f'font-size="11" fill="{_AXIS}" text-anchor="middle">{_e(y_label)}</text>'
    )
    for index, (name, points) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        coords = " ".join(f"{_n(x(day))},{_n(y(value))}" for day, value in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for day, value in points:
            parts.append(
                f'<circle cx="{_n(x(day))}" cy="{_n(y(value))}" r="3" fill="{colour}">'
                f"<title>{_e(name)}, {day.isoformat()}: {_e(_format(value, percent))}</title>"
                "</circle>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(names: list[str], width: int) -> list[str]:
    """Coloured swatches under the title, wrapping onto a second row if needed."""
    parts, x, row = [], 8.0, 0
    for index, name in enumerate(names):
        label = name if len(name) <= 24 else name[:23] + "…"
        item_w = 22 + 7 * len(label)
        if x + item_w > width and x > 8:
            x, row = 8.0, row + 1
        y = 32 + row * 14
        parts.append(
            f"<g><title>{_e(name)}</title>"
            f'<rect x="{_n(x)}" y="{y}" width="10" height="10" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{_n(x + 14)}" y="{y + 9}" {FONT} font-size="11" fill="#222222">'
            f"{_e(label)}</text></g>"
        )
        x += item_w
    return parts


def bar_chart(
    items: list[tuple[str, float]], *, title: str, width: int = 640, height: int = 240
) -> str:
    """Horizontal bars, largest first (e.g. the most-asked topics), each with its value."""
    items = [(label, value) for label, value in items if value is not None]
    if not items:
        return _empty(title, width, height)
    items = sorted(items, key=lambda item: -item[1])
    integer = all(float(v).is_integer() for _, v in items)
    ticks = _ticks(max(v for _, v in items), integer=integer)
    top = ticks[-1] or 1.0

    left, right, upper, lower = 180, 48, 32, 24
    plot_w, plot_h = width - left - right, height - upper - lower
    row_h = plot_h / len(items)
    bar_h = max(2.0, min(row_h * 0.7, 24.0))

    def x(value: float) -> float:
        return left + min(max(value, 0.0), top) / top * plot_w

    parts = _open(title, width, height)
    for tick in ticks:
        parts.append(
            f'<line x1="{_n(x(tick))}" x2="{_n(x(tick))}" y1="{upper}" y2="{upper + plot_h}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_n(x(tick))}" y="{height - lower + 14}" {FONT} font-size="11" '
            f'fill="{_AXIS}" text-anchor="middle">{_e(_format(tick, False))}</text>'
        )
    for index, (label, value) in enumerate(items):
        middle = upper + row_h * index + row_h / 2
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f"<g><title>{_e(label)}</title>"
            f'<text x="{left - 6}" y="{_n(middle + 4)}" {FONT} font-size="11" fill="#222222" '
            f'text-anchor="end">{_e(short)}</text></g>'
        )
        parts.append(
            f'<rect x="{left}" y="{_n(middle - bar_h / 2)}" width="{_n(x(value) - left)}" '
            f'height="{_n(bar_h)}" fill="{PALETTE[0]}">'
            f"<title>{_e(label)}: {_e(_format(value, False))}</title></rect>"
        )
        parts.append(
            f'<text x="{_n(x(value) + 4)}" y="{_n(middle + 4)}" {FONT} font-size="11" '
            f'fill="#222222">{_e(_format(value, False))}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{upper}" y2="{upper + plot_h}" '
        f'stroke="{_AXIS}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
