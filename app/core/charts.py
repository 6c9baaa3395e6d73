"""Server-rendered charts: inline SVG that reads without JavaScript and without images.

Every chart is decorative next to a table holding the same numbers (the table is what screen
readers and exports use), so the SVG carries a short <title> and role="img", and no chart
shows a number the table does not. No inline style attributes (the CSP forbids them): colours
are SVG presentation attributes or CSS classes from lotsbok.css.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def bar_width(value: float | int | None, maximum: float | int | None, *, full: int = 100) -> int:
    """A bar's length in percent (0–full) of the largest value; at least 1 for a non-zero value
    so a small number still shows."""
    if not value or not maximum or maximum <= 0:
        return 0
    return max(1, min(full, round(full * float(value) / float(maximum))))


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    target: float | None = None,
    low: float | None = None,
    high: float | None = None,
    width: int = 320,
    height: int = 120,
) -> Markup:
    """A small line chart of (label, value) with an optional dashed target line.

    None values leave a gap. `low`/`high` fix the y range (e.g. 1–6 for a scale); otherwise it
    spans the data and the target.
    """
    values = [v for _, v in points if v is not None]
    if not values:
        return Markup("")
    candidates = [*values, *([target] if target is not None else [])]
    y_low = low if low is not None else min(candidates)
    y_high = high if high is not None else max(candidates)
    if y_high - y_low < 1e-9:
        y_low, y_high = y_low - 1, y_high + 1
    pad_left, pad_right, pad_top, pad_bottom = 8, 8, 10, 20
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    step = plot_w / max(1, len(points) - 1)

    def x(i: int) -> float:
        return pad_left + (i * step if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return pad_top + plot_h * (1 - (v - y_low) / (y_high - y_low))

    parts = [
        f'<svg class="chart chart--line" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" focusable="false">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - pad_right}" y2="{pad_top + plot_h}" '
        'stroke="#767676" stroke-width="1"/>',
    ]
    if target is not None:
        ty = y(target)
        parts.append(
            f'<line class="chart-target" x1="{pad_left}" y1="{ty:.1f}" x2="{width - pad_right}" y2="{ty:.1f}" '
            'stroke="#b3261e" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (_, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="#005a9c" stroke-width="2"/>')
    for i, (label, value) in enumerate(points):
        if value is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="#005a9c"/>')
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 4}" font-size="10" text-anchor="middle" fill="#333">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above is escaped or numeric


def bar_chart(
    rows: Sequence[tuple[str, float | int]], *, title: str, width: int = 320, row_height: int = 18
) -> Markup:
    """Horizontal bars (label, value) as SVG, scaled to the largest value."""
    if not rows:
        return Markup("")
    label_w, value_w = 120, 40
    maximum = max((v for _, v in rows), default=0)
    height = row_height * len(rows) + 4
    parts = [
        f'<svg class="chart chart--bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" focusable="false"><title>{escape(title)}</title>'
    ]
    bar_space = width - label_w - value_w
    for i, (label, value) in enumerate(rows):
        top = 2 + i * row_height
        length = bar_space * bar_width(value, maximum) / 100
        short = label if len(label) <= 20 else label[:19] + "…"
        parts.append(
            f'<text x="0" y="{top + row_height - 5}" font-size="11" fill="#333">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{top + 2}" width="{length:.1f}" height="{row_height - 6}" fill="#005a9c"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{top + row_height - 5}" font-size="11" fill="#333">'
            f"{escape(_fmt(value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above is escaped or numeric


def _fmt(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")
