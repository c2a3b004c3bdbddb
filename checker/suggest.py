"""Did-you-mean for an unknown rule id or topic, one way everywhere: the known names that extend it
(`ipo.strategic` → its rules), else those that contain it, else the close spellings."""

from __future__ import annotations

import difflib
import functools


@functools.lru_cache(maxsize=1024)
def _near(name: str, names: tuple[str, ...], n: int) -> tuple[str, ...]:
    found = [x for x in names if x.startswith(name)] or [x for x in names if name in x]
    if found and name:
        return tuple(found[:n])
    return tuple(difflib.get_close_matches(name, names, n=n, cutoff=0.6))


def near(name: str, names, n: int = 3) -> list[str]:
    """At most `n` known names close to `name`, best first; none when nothing is close."""
    return list(_near(name, tuple(sorted(set(names))), n))


def hint(found: list[str] | None, lang: str) -> str:
    """"（是否为 a、b？）" / " (did you mean a, b?)"; empty when nothing is close."""
    if not found:
        return ""
    return f"（是否为 {'、'.join(found)}？）" if lang == "zh" else f" (did you mean {', '.join(found)}?)"
