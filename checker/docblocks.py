"""A small document model (headings, paragraphs, list items, anchors) and its two renderings:
Markdown for docs/ and plain text for a terminal. Inline parts are text, Code or Link."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Raw:
    """Text already written as Markdown (a note with `code` or **bold**): kept as it is in
    Markdown, its marks dropped in plain text."""

    text: str


@dataclass(frozen=True)
class Heading:
    level: int
    parts: tuple


@dataclass(frozen=True)
class Para:
    parts: tuple


@dataclass(frozen=True)
class Item:
    depth: int
    parts: tuple


@dataclass(frozen=True)
class Anchor:
    name: str


Block = Heading | Para | Item | Anchor   # what a document is a list of


def heading(level: int, *parts) -> Heading:
    return Heading(level, parts)


def para(*parts) -> Para:
    return Para(parts)


def item(depth: int, *parts) -> Item:
    return Item(depth, parts)


_SPECIAL = re.compile(r"[\\*`]|<(?=[A-Za-z/!?])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def escape(text: str) -> str:
    """Plain text safe in Markdown: no emphasis, code or HTML where none was meant."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline_markdown(parts) -> str:
    out = []
    for part in parts:
        if isinstance(part, Code):
            out.append(_code(part.text))
        elif isinstance(part, Link):
            out.append(f"[{escape(part.text)}]({part.href})")
        elif isinstance(part, Raw):
            out.append(part.text.replace("\n", " "))
        else:
            out.append(escape(str(part)))
    return "".join(out)


def _plain(part) -> str:
    if isinstance(part, Raw):
        return part.text.replace("**", "").replace("`", "")
    return part.text if isinstance(part, (Code, Link)) else str(part)


def inline_text(parts) -> str:
    return "".join(_plain(part) for part in parts).replace("\n", " ")


def _join(lines: list[tuple[str, str]]) -> str:
    """Blocks one blank line apart; consecutive list items together."""
    out: list[str] = []
    previous = None
    for kind, text in lines:
        if out and not (kind == previous == "item"):
            out.append("")
        out.append(text)
        previous = kind
    return "\n".join(out) + "\n"


def to_markdown(blocks) -> str:
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(("heading", "#" * min(block.level, 6) + " " + inline_markdown(block.parts)))
        elif isinstance(block, Para):
            lines.append(("para", inline_markdown(block.parts)))
        elif isinstance(block, Item):
            lines.append(("item", "  " * block.depth + "- " + inline_markdown(block.parts)))
        elif isinstance(block, Anchor):
            lines.append(("anchor", f'<a id="{block.name}"></a>'))
    return _join(lines)


def width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_text(blocks) -> str:
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            text = inline_text(block.parts)
            if block.level <= 2:
                rule = ("=" if block.level == 1 else "-") * width(text)
                lines.append(("heading", f"{text}\n{rule}"))
            else:
                lines.append(("heading", f"[{text}]" if block.level == 3 else f"{text}:"))
        elif isinstance(block, Para):
            lines.append(("para", inline_text(block.parts)))
        elif isinstance(block, Item):
            lines.append(("item", "  " * (block.depth + 1) + "- " + inline_text(block.parts)))
    return _join(lines)
