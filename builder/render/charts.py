"""Indicator charts as static SVG, drawn at build time: base → latest reported value → target.

One small chart per indicator, each with its own axis, so figures in different units are never
compared on one scale. The chart works without JavaScript and carries its numbers as text: a
`<title>` and `<desc>` for screen readers, and the values printed beside the bars. Every string
is escaped here (the SVG is inserted into pages as markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH, VALUE_WIDTH = 320, 14, 6, 64, 92
COLORS = {"base": "#94a3b8", "latest": "#f97316", "target": "#3f51b5"}


@dataclass(frozen=True)
class Bar:
    key: str  # base, latest or target
    label: str  # 基数 2020
    value: float
    text: str  # as written


_WORDS = {"zh": {"base": "基数", "latest": "实际", "target": "目标"}, "en": {"base": "Base", "latest": "Actual", "target": "Target"}}


def bars_of(indicator, progress: list, lang: str = "zh") -> list[Bar]:
    """The figures of an indicator that have numbers: its base, the latest reported value, its target."""
    bars, words = [], _WORDS[lang]
    if indicator.base and indicator.base.number is not None:
        bars.append(Bar("base", f"{words['base']} {indicator.base.year or ''}".strip(), indicator.base.number, indicator.base.value))
    latest = next((p.actual for p in reversed(progress) if p.actual and p.actual.number is not None), None)
    latest = latest or (indicator.actual if indicator.actual and indicator.actual.number is not None else None)
    if latest is not None:
        bars.append(Bar("latest", f"{words['latest']} {latest.year or ''}".strip(), latest.number, latest.value))
    if indicator.target and indicator.target.number is not None:
        bars.append(Bar("target", f"{words['target']} {indicator.target.year or ''}".strip(), indicator.target.number, indicator.target.value))
    return bars


def progress_share(bars: list[Bar]) -> float | None:
    """How far the latest value has come from the base toward the target (0–1, may exceed 1)."""
    values = {b.key: b.value for b in bars}
    if {"base", "latest", "target"} <= set(values) and values["target"] != values["base"]:
        return (values["latest"] - values["base"]) / (values["target"] - values["base"])
    return None


def indicator_chart(indicator, progress: list, english=None) -> Markup | None:
    """The chart, or None when fewer than two figures are numbers (nothing to compare).

    With `english` (an `EnglishText`), labels, name and figures are in English; a figure that
    cannot be converted keeps its digits as written (the bar's length is its number either way)."""
    bars = bars_of(indicator, progress, "en" if english else "zh")
    if len(bars) < 2 or any(b.value < 0 for b in bars):
        return None
    top = max(b.value for b in bars) or 1.0
    share = progress_share(bars)
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    if english is not None:
        convert = english.format.figure
        written = {b.key: convert(b.text, indicator.unit) for b in bars}
        # A figure English cannot state exactly shows its number, marked as read from the Chinese text.
        bars = [Bar(b.key, b.label, b.value, written[b.key] or f"{english.format.number(b.value)} (see text)") for b in bars]
        name, unit = english.plain(indicator), ""
        summary = "; ".join(f"{b.label}: {b.text}" for b in bars) + (f"; progress about {share:.0%}" if share is not None else "")
        title = name
    else:
        unit = indicator.unit or ""
        name = indicator.name
        summary = "；".join(f"{b.label}：{b.text}{unit}" for b in bars) + (f"；完成进度约 {share:.0%}" if share is not None else "")
        title = f"{name}（{unit}）"
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg class="atlas-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="chart-{escape(indicator.id)}-t chart-{escape(indicator.id)}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{escape(indicator.id)}-t">{escape(title)}</title>',
        f'<desc id="chart-{escape(indicator.id)}-d">{escape(summary)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = GAP + row * (BAR_HEIGHT + GAP)
        length = max(1.0, span * bar.value / top)
        parts.append(f'<text x="0" y="{y + BAR_HEIGHT - 3}" font-size="11" fill="#475569">{escape(bar.label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" rx="2" fill="{COLORS[bar.key]}"/>')
        limit = 22 if english is not None else 12
        shown = bar.text if len(bar.text) <= limit else bar.text[: limit - 1] + "…"  # the whole text is in <desc>
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 3}" font-size="11" fill="#0f172a">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
