"""`offering-check rules`: the catalogue as a list that reads at 80–100 columns.

Each rule is a block: its id (never cut) with severity and confidence, its title, then one line
per version: the boards it applies to by name, the dates it is in force, and the document cited.
Lines wrap at the terminal's width (CJK characters count two columns).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from typing import TextIO

from .boards import board_name, declared_boards
from .cli_text import wrap

WORDS: dict[str, dict] = {
    "zh": {"all": "所有板块", "now": "至今", "to": "至", "cite": "依据",
           "count": "{ids} 条规则，{versions} 个版本",
           "case": {"ipo": "首发", "restructuring": "重组", "investor": "投资者记录"}},
    "en": {"all": "every board", "now": "to date", "to": "to", "cite": "source",
           "count": "{ids} rules in {versions} versions",
           "case": {"ipo": "IPO", "restructuring": "restructuring", "investor": "investor records"}},
}


def width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


def _window(row: dict, w: dict, lang: str) -> str:
    start = row["from"]
    if isinstance(start, dict):
        start = ", ".join(f"{board_name(b, lang)} {d}" for b, d in start.items())
    return f"{start} {w['to']} {row['until']}" if row["until"] else f"{start} {w['now']}"


def _boards(row: dict, w: dict, lang: str) -> str:
    kind = w["case"].get(row["case"], row["case"])
    if row["boards"] == "all":
        return kind if row["case"] != "ipo" else f"{kind} · {w['all']}"
    order = list(declared_boards())
    boards = sorted(row["boards"], key=lambda b: order.index(b) if b in order else len(order))
    return f"{kind} · " + ("、" if lang == "zh" else ", ").join(board_name(b, lang) for b in boards)


def write(out: TextIO, rows: Iterable[dict], lang: str, columns: int | None = None) -> None:
    """`rows` are `rule_row` dicts, the versions of one rule next to each other."""
    from .report.common import cite_text
    w, columns = WORDS[lang], columns or width()
    ids: list[str] = []
    versions = 0
    for row in rows:
        versions += 1
        if not ids or ids[-1] != row["id"]:
            if ids:
                out.write("\n")
            ids.append(row["id"])
            out.write(f"{row['id']}  [{row['severity']} · {row['confidence']}]\n")
            _para(out, row["title"][lang], columns, "  ")
        _para(out, f"{_boards(row, w, lang)} · {_window(row, w, lang)}", columns, "  ")
        _para(out, f"{w['cite']} {cite_text(row['citation'])}", columns, "    ")
    out.write(("\n" if ids else "") + w["count"].format(ids=len(set(ids)), versions=versions) + "\n")


def _para(out: TextIO, text: str, columns: int, indent: str) -> None:
    for line in wrap(text, columns - len(indent)):
        out.write(indent + line + "\n")
