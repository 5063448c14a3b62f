"""Small server-side SVG charts for the organizer dashboard (no Django, no JavaScript).

Each function takes plain numbers and already-translated strings and returns one `<svg>`
element as a string. Every number is drawn as visible text next to its bar, the chart has a
`<title>` and a `<desc>` that states every figure in words (screen readers read those), and
each bar carries its own `<title>` as a tooltip. All text is escaped here, so the caller may
insert the result into a page as it is.

The charts scale with their container (viewBox and width 100%). Label columns are sized from
the longest label, counting Korean and Japanese characters as twice as wide as Latin ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT_SIZE = 13
ROW_HEIGHT = 24
BAR_HEIGHT = 15
PAD = 8
WIDTH = 640
# Colours chosen to keep text readable (contrast ≥ 4.5:1 against white for the value labels).
COLOURS = ("#1d5fa8", "#b5591b", "#2e7d4f", "#7a4fb0", "#a3344a")
TEXT = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#d9e0e8"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # Shown instead of the plain number, e.g. "12 (40%)"; the number itself when empty.
    value_text: str = ""
    # Extra words for the bar's tooltip and the description, e.g. a definition.
    note: str = ""

    @property
    def text(self) -> str:
        return self.value_text or str(self.value)


@dataclass(frozen=True)
class PairRow:
    label: str
    values: tuple[int, int]


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """An estimate of the drawn width of `text`: wide (CJK) characters count as one em."""
    ems = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            ems += 1.0
        elif char in "ijlft.,:;'|!() ":
            ems += 0.35
        elif char.isupper() or char in "mw–—":
            ems += 0.75
        else:
            ems += 0.62
    return ems * size


def _label_column(labels: Sequence[str], minimum: float = 60, maximum: float = 280) -> float:
    widest = max((text_width(label) for label in labels), default=0)
    return max(minimum, min(maximum, widest + PAD))


def _clip(text: str, width: float) -> str:
    """Shorten a label that would overflow its column (the full text stays in the tooltip)."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _open(
    chart_id: str, title: str, description: str, height: float, width: float = WIDTH
) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-size="{FONT_SIZE}" font-family="system-ui, \'Noto Sans CJK KR\', '
        f"'Noto Sans CJK JP', sans-serif\">",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _scale(maximum: int, room: float) -> float:
    return room / maximum if maximum > 0 else 0.0


def _describe(bars: Sequence[Bar]) -> str:
    parts = []
    for bar in bars:
        part = f"{bar.label}: {bar.text}"
        if bar.note:
            part += f" ({bar.note})"
        parts.append(part)
    return "; ".join(parts) + "." if parts else ""


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    *,
    empty_text: str,
    colour: str = COLOURS[0],
) -> str:
    """Horizontal bars, one row per bar: label, bar, value."""
    if not bars:
        return _empty(chart_id, title, empty_text)
    labels = _label_column([bar.label for bar in bars])
    value_room = max(text_width(bar.text) for bar in bars) + PAD
    room = WIDTH - labels - value_room - 2 * PAD
    scale = _scale(max(bar.value for bar in bars), room)
    height = len(bars) * ROW_HEIGHT + 2 * PAD
    out = _open(chart_id, title, _describe(bars), height)
    x0 = labels + PAD
    out.append(f'<line x1="{x0:g}" y1="{PAD}" x2="{x0:g}" y2="{height - PAD:g}" stroke="{GRID}"/>')
    for i, bar in enumerate(bars):
        y = PAD + i * ROW_HEIGHT
        length = bar.value * scale
        tooltip = f"{bar.label}: {bar.text}" + (f" ({bar.note})" if bar.note else "")
        out.append(f"<g><title>{escape(tooltip)}</title>")
        out.append(
            f'<text x="{labels:g}" y="{y + ROW_HEIGHT / 2 + 4:g}" text-anchor="end" '
            f'fill="{TEXT}">{escape(_clip(bar.label, labels - 4))}</text>'
        )
        if length > 0:
            out.append(
                f'<rect x="{x0:g}" y="{y + (ROW_HEIGHT - BAR_HEIGHT) / 2:g}" '
                f'width="{max(length, 1):.1f}" height="{BAR_HEIGHT}" fill="{colour}" rx="2"/>'
            )
        out.append(
            f'<text x="{x0 + length + 4:.1f}" y="{y + ROW_HEIGHT / 2 + 4:g}" '
            f'fill="{TEXT}" font-weight="600">{escape(bar.text)}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def paired_bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[PairRow],
    *,
    series: tuple[str, str],
    empty_text: str,
) -> str:
    """Two bars per row (e.g. demand against supply), with a legend naming both series."""
    if not rows:
        return _empty(chart_id, title, empty_text)
    labels = _label_column([row.label for row in rows])
    value_room = max(text_width(str(v)) for row in rows for v in row.values) + PAD
    room = WIDTH - labels - value_room - 2 * PAD
    scale = _scale(max(max(row.values) for row in rows), room)
    # Legend entries side by side, wrapping onto a second line when they do not fit.
    legend: list[tuple[float, float, str, str]] = []
    lx, ly = labels + PAD, float(PAD)
    for name, colour in zip(series, COLOURS[:2], strict=True):
        entry = 16 + text_width(name) + 20
        if legend and lx + entry > WIDTH:
            lx, ly = labels + PAD, ly + ROW_HEIGHT - 4
        legend.append((lx, ly, name, colour))
        lx += entry
    legend_height = ly - PAD + ROW_HEIGHT
    row_height = 2 * BAR_HEIGHT + 10
    height = legend_height + len(rows) * row_height + 2 * PAD
    description = "; ".join(
        f"{row.label}: {series[0]} {row.values[0]}, {series[1]} {row.values[1]}" for row in rows
    )
    out = _open(chart_id, title, description + ".", height)
    x0 = labels + PAD
    for lx, ly, name, colour in legend:
        out.append(
            f'<rect x="{lx:g}" y="{ly:g}" width="12" height="12" fill="{colour}" rx="2"/>'
            f'<text x="{lx + 16:g}" y="{ly + 11:g}" fill="{TEXT}">{escape(name)}</text>'
        )
    top = PAD + legend_height
    out.append(
        f'<line x1="{x0:g}" y1="{top:g}" x2="{x0:g}" y2="{height - PAD:g}" stroke="{GRID}"/>'
    )
    for i, row in enumerate(rows):
        y = top + i * row_height
        tooltip = f"{row.label}: {series[0]} {row.values[0]}, {series[1]} {row.values[1]}"
        out.append(f"<g><title>{escape(tooltip)}</title>")
        out.append(
            f'<text x="{labels:g}" y="{y + BAR_HEIGHT + 6:g}" text-anchor="end" '
            f'fill="{TEXT}">{escape(_clip(row.label, labels - 4))}</text>'
        )
        for j, (value, colour) in enumerate(zip(row.values, COLOURS[:2], strict=True)):
            by = y + 2 + j * (BAR_HEIGHT + 2)
            length = value * scale
            if length > 0:
                out.append(
                    f'<rect x="{x0:g}" y="{by:g}" width="{max(length, 1):.1f}" '
                    f'height="{BAR_HEIGHT}" fill="{colour}" rx="2"/>'
                )
            out.append(
                f'<text x="{x0 + length + 4:.1f}" y="{by + BAR_HEIGHT - 3:g}" fill="{TEXT}" '
                f'font-size="{FONT_SIZE - 1}">{value}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def column_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    *,
    x_title: str,
    y_title: str,
    empty_text: str,
    colour: str = COLOURS[0],
) -> str:
    """Vertical columns over short category labels (e.g. a distribution over 0, 1, 2...)."""
    if not bars:
        return _empty(chart_id, title, empty_text)
    height = 220
    left, right, top, bottom = 2 * PAD + FONT_SIZE, PAD, PAD + FONT_SIZE + 4, 2 * ROW_HEIGHT
    plot_height = height - top - bottom
    slot = max(22.0, min(60.0, (WIDTH - left - right) / len(bars)))
    width = left + right + slot * len(bars)
    width = max(width, 200.0)
    scale = _scale(max(bar.value for bar in bars), plot_height)
    out = _open(chart_id, title, f"{x_title} / {y_title}. " + _describe(bars), height, width)
    base = top + plot_height
    out.append(
        f'<line x1="{left:g}" y1="{base:g}" x2="{width - right:g}" y2="{base:g}" stroke="{MUTED}"/>'
    )
    # Axis titles: y along the left edge, x under the labels.
    out.append(
        f'<text x="{PAD + FONT_SIZE - 2:g}" y="{top + plot_height / 2:g}" fill="{MUTED}" '
        f'text-anchor="middle" transform="rotate(-90 {PAD + FONT_SIZE - 2:g} '
        f'{top + plot_height / 2:g})">{escape(y_title)}</text>'
    )
    out.append(
        f'<text x="{left + (width - left - right) / 2:g}" y="{height - 6:g}" fill="{MUTED}" '
        f'text-anchor="middle">{escape(x_title)}</text>'
    )
    for i, bar in enumerate(bars):
        x = left + i * slot
        length = bar.value * scale
        centre = x + slot / 2
        tooltip = f"{bar.label}: {bar.text}" + (f" ({bar.note})" if bar.note else "")
        out.append(f"<g><title>{escape(tooltip)}</title>")
        if length > 0:
            out.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{base - length:.1f}" '
                f'width="{slot * 0.7:.1f}" height="{length:.1f}" fill="{colour}" rx="2"/>'
            )
        out.append(
            f'<text x="{centre:.1f}" y="{base - length - 4:.1f}" text-anchor="middle" '
            f'fill="{TEXT}" font-weight="600">{escape(bar.text)}</text>'
        )
        out.append(
            f'<text x="{centre:.1f}" y="{base + FONT_SIZE + 4:g}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(bar.label)}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _empty(chart_id: str, title: str, empty_text: str) -> str:
    height = ROW_HEIGHT + 2 * PAD
    out = _open(chart_id, title, empty_text, height)
    out.append(
        f'<text x="{PAD}" y="{PAD + ROW_HEIGHT / 2 + 4:g}" fill="{MUTED}">'
        f"{escape(empty_text)}</text></svg>"
    )
    return "".join(out)
