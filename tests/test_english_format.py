"""The English edition's number, unit, figure and date formatter (builder/render/english_format.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from builder.errors import Problems
from builder.load import load_content
from builder.render import english_format as en

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("unit", "label"),
    [("亿元", "RMB 100 million"), ("万亿元", "RMB trillion"), ("万元", "RMB 10,000"), ("平方公里", "km²"),
     ("万 m²", "10,000 m²"), ("万㎡", "10,000 m²"), ("%", "%"), ("家", "count"), ("万人", "10,000 people"), (None, "")],
)  # fmt: skip
def test_unit_labels(unit, label):
    assert en.unit_label(unit) == label


def test_unknown_unit_has_no_label():
    assert en.unit_label("斤") is None
    assert en.amount(3, "斤") is None


@pytest.mark.parametrize(
    ("value", "unit", "english"),
    [
        ("14000", "亿元", "RMB 1.4 trillion"),
        ("1.4", "万亿元", "RMB 1.4 trillion"),
        ("11304.35", "亿元", "RMB 1.130435 trillion"),  # exact, never rounded
        ("45", "亿元", "RMB 4.5 billion"),
        ("3.2", "亿元", "RMB 320 million"),
        ("50", "万元", "RMB 500,000"),
        ("35", "万元/人", "RMB 350,000 per person"),
        ("86.09", "平方公里", "86.09 km²"),
        ("3.7", "万 m²", "37,000 m²"),
        ("100", "公顷", "100 ha"),
        ("3500", "家", "3,500"),
        ("60", "%", "60%"),
        ("2", "万人", "20,000 people"),
    ],
)
def test_amounts(value, unit, english):
    assert en.amount(value, unit) == english


def test_ranges_keep_the_scale_of_their_low_end():
    assert en.amount("30", "%", "35") == "30–35%"
    assert en.amount("3000", "亿元", "3500") == "RMB 300–350 billion"


@pytest.mark.parametrize(
    ("written", "unit", "english"),
    [
        ("≥3500", "家", "at least 3,500"),
        ("不少于 20", "个", "at least 20"),
        ("不低于 5", "%", "at least 5%"),
        ("超过 200", "亿元", "over RMB 20 billion"),
        ("突破 1000", "亿元", "over RMB 100 billion"),
        ("＞90", "%", "over 90%"),
        ("约 10 亿元", None, "about RMB 1 billion"),  # the unit written inside the figure
        ("约0.5亿元", None, "about RMB 50 million"),
        ("80 以上", "家", "at least 80"),
        ("3家以上", "家", "at least 3"),
        ("100 左右", "个", "about 100"),
        ("30-35", "%", "30–35%"),
        ("60%", "%", "60%"),
        ("1,234", "件", "1,234"),
        ("-2", "%", "-2%"),
        ("力争 50", "家", "striving for 50"),
        ("近 30", "%", "nearly 30%"),
    ],
)
def test_figures(written, unit, english):
    assert en.figure(written, unit) == english


@pytest.mark.parametrize(
    ("written", "unit"),
    [("全覆盖", None), ("百亿级规模", "亿元"), ("突破万亿规模", None), ("【5】", None), ("约 80 以上", "家"),
     ("中国联通总投资 3 亿元，中国电信总投资 5 亿元", None), ("10 亿元", "%"), ("5 斤", None)],
)  # fmt: skip
def test_figures_it_cannot_read_give_none_not_a_guess(written, unit):
    assert en.figure(written, unit) is None


@pytest.mark.parametrize(
    ("written", "english"),
    [("2022年11月25日", "November 25, 2022"), ("2024年", "2024"), ("2023年6月", "June 2023"),
     ("2023年上半年", "first half of 2023"), ("2025年底", "end of 2025"), ("2022年13月1日", None),
     ("自取得土地使用权之日起18个月内建成投产", None)],
)  # fmt: skip
def test_dates(written, english):
    assert en.date(written) == english


@pytest.mark.parametrize(
    ("written", "english"),
    [("2022—2025年", "2022–2025"), ("2022-2025 年", "2022–2025"), ("“十四五”时期（2021—2025年）", "2021–2025"),
     ("到2025年", "to 2025"), ("近期", None)],
)  # fmt: skip
def test_periods(written, english):
    assert en.period(written) == english


def test_numbers_and_years():
    assert en.number(Decimal("11304.350")) == "11,304.35"
    assert en.number(1234567) == "1,234,567"
    assert en.number("0.50") == "0.5"
    assert en.by_year(2025) == "by 2025"
    assert en.by_year(None) == ""


def test_every_unit_in_the_content_has_an_english_label():
    content = load_content(ROOT, Problems())
    units = {i.unit for i in content.records["indicators"] if i.unit}
    missing = sorted(u for u in units if en.unit_label(u) is None)
    assert not missing, f"add these units to english_format.UNITS: {missing}"


def test_every_area_unit_the_model_accepts_has_an_english_label():
    from builder.model import _UNIT_TO_KM2

    assert sorted(u for u in _UNIT_TO_KM2 if en.unit_label(u) is None) == []


def test_converted_figures_keep_the_plan_s_digits():
    """Wherever a content figure converts, the English states the same quantity: its number, times
    the unit's scale, is the number the English writes (before the magnitude word)."""
    content = load_content(ROOT, Problems())
    converted = 0
    for indicator in content.records["indicators"]:
        for fig in (indicator.base, indicator.target, indicator.actual):
            if fig is None or fig.number is None:
                continue
            english = en.figure(fig.value, indicator.unit)
            if english is None:
                continue
            converted += 1
            unit = en.unit_of(indicator.unit) if indicator.unit else None
            quantity = Decimal(str(fig.number)) * (unit.scale if unit else 1)
            words = {"trillion": 10**12, "billion": 10**9, "million": 10**6}
            digits = next(t for t in english.replace("–", " ").split() if t[0].isdigit() or t[0] == "-")
            stated = Decimal(digits.replace(",", "").rstrip("%"))
            scale = next((v for w, v in words.items() if w in english.split()), 1)
            assert stated * scale == quantity, (indicator.id, fig.value, english)
    assert converted > 250
