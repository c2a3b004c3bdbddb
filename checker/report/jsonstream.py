"""Write a JSON document whose long arrays are produced one item at a time, byte for byte as
`json.dumps(doc, ensure_ascii=False, indent=2, default=str)` would write the whole document.

The document is dumped once with a unique placeholder in each streamed array; the text is split
at the placeholders, and each array's items are dumped one by one at the placeholder's indentation.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import TextIO


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


class Items:
    """An array whose items come from an iterable, read once, while the document is written."""

    def __init__(self, items: Iterable):
        self.items = items


def _skeleton(node, streams: list[Items], token: str):
    """The document with each Items replaced by a one-element list holding its placeholder."""
    if isinstance(node, Items):
        streams.append(node)
        return [f"{token}{len(streams) - 1}"]
    if isinstance(node, dict):
        return {key: _skeleton(value, streams, token) for key, value in node.items()}
    if isinstance(node, list):
        return [_skeleton(value, streams, token) for value in node]
    return node


def write(fh: TextIO, doc) -> None:
    streams: list[Items] = []
    token = f"stream-{uuid.uuid4().hex}-"
    text = dumps(_skeleton(doc, streams, token))
    for number, stream in enumerate(streams):
        marker = dumps(f"{token}{number}")
        at = text.index(marker)
        line_start = text.rindex("\n", 0, at)
        indent = text[line_start + 1:at]
        fh.write(text[:line_start])                      # up to and including the "["
        rest = text[at + len(marker):]                   # "\n" + indent - 2 + "]" …
        count = 0
        for item in stream.items:
            fh.write(",\n" if count else "\n")
            fh.write(indent + dumps(item).replace("\n", "\n" + indent))
            count += 1
        text = rest if count else rest.lstrip("\n ")   # an empty array is "[]"
    fh.write(text)
