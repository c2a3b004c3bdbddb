"""Figures written as compliance staff read them: separators, 万股, 万元/亿元, four-decimal percents.

Display only: rounding here never decides a finding (the engine compares exact integers).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction


def fixed(value: Fraction | int, places: int) -> str:
    """Exact decimal rendering, rounded half away from zero, with thousands separators."""
    if isinstance(value, int):
        return f"{value:,}" + ("." + "0" * places if places else "")
    value = Fraction(value)
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value.numerator) * 10**places, value.denominator)   # integers only
    if 2 * rest >= value.denominator:
        whole += 1
    int_part, frac_part = divmod(whole, 10**places)
    text = f"{int_part:,}"
    if places:
        text += "." + str(frac_part).rjust(places, "0")
    return sign + text


def number(value: Fraction | int, max_places: int = 4) -> str:
    """Shortest exact rendering up to `max_places` decimals (8724327.2 → '8,724,327.2')."""
    if isinstance(value, int):
        return fixed(value, 0)
    value = Fraction(value)
    for places in range(max_places + 1):
        if (value * 10**places).denominator == 1:
            return fixed(value, places)
    return fixed(value, max_places)


def shares(value, lang: str) -> str:
    base = number(value)
    if abs(value) < 10_000:
        return f"{base}股" if lang == "zh" else f"{base} shares"
    wan = fixed(Fraction(value) / 10_000, 4) + "万股"
    return f"{base}股（{wan}）" if lang == "zh" else f"{base} shares ({wan})"


def yuan(value, lang: str) -> str:
    value = Fraction(value)
    base = fixed(value, 2)
    if abs(value) >= 10**8:
        extra = fixed(value / 10**8, 4) + "亿元"
    elif abs(value) >= 10**4:
        extra = fixed(value / 10**4, 2) + "万元"
    else:
        extra = ""
    if lang == "zh":
        return f"{base}元" + (f"（{extra}）" if extra else "")
    return f"¥{base}" + (f" ({extra})" if extra else "")


def price(value, lang: str) -> str:
    text = number(Fraction(value), 4)
    if "." not in text:
        text += ".00"
    elif len(text.split(".")[1]) == 1:
        text += "0"
    return f"{text}元/股" if lang == "zh" else f"¥{text}/share"


def percent(value) -> str:
    """A ratio (0.2) as a percentage with four decimals ('20.0000%'). A value that four decimals
    would round to a figure ending in 0 gets more decimals, up to ten, until the last one is not
    0: one share over 10% reads 10.000003%, never 10.0000% (a limit is usually a round figure)."""
    exact = Fraction(value) * 100
    places = 4
    text = fixed(exact, places)
    while places < 10 and text.endswith("0") and Fraction(text.replace(",", "")) != exact:
        places += 1
        text = fixed(exact, places)
    return text + "%"


def months(value, lang: str) -> str:
    text = number(value)
    return f"{text}个月" if lang == "zh" else f"{text} months"


def multiple(value, lang: str) -> str:
    """Two decimals, or as many as the value has (up to 5, as the SZSE prints them): 100.00001
    must not read as 100.00 beside a limit of 100."""
    value = Fraction(value)
    places = next((p for p in range(2, 6) if (value * 10**p).denominator == 1), 5)
    text = fixed(value, places)
    return f"{text}倍" if lang == "zh" else f"{text}×"


def flag(value: bool, lang: str) -> str:
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def by_unit(value, unit: str | None, lang: str) -> str:
    """Render a value by the unit of the field it comes from."""
    if value is None:
        return "缺失" if lang == "zh" else "absent"
    if isinstance(value, bool):
        return flag(value, lang)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if unit == "shares":
        return shares(value, lang)
    if unit == "yuan":
        return yuan(value, lang)
    if unit == "price":
        return price(value, lang)
    if unit == "ratio":
        return percent(value)
    if unit == "percent":
        return number(value) + "%"
    if unit == "months":
        return months(value, lang)
    if unit == "multiple":
        return multiple(value, lang)
    if unit == "year":
        return str(int(value))
    if unit == "clock":
        return f"{int(value) // 60:02d}:{int(value) % 60:02d}"
    if unit == "date":
        return dt.date.fromordinal(int(value)).isoformat()
    return number(value)
