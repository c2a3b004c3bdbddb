"""Load one YAML file safely, keeping the line and column of every node.

The document is built from the parser's event stream (libyaml's C parser where present), never
with `yaml.load`: so duplicate keys, alias expansion, nesting depth and non-standard tags are all
caught here with the file, line and column, and the builder is iterative (no recursion to blow).

Values: mapping keys are their plain text (a key `on:` stays "on"); YAML floats become `Decimal`
built from the text itself, so `46.08` is exactly 46.08; `.nan`/`.inf` are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from .errors import InputError, Position
from .filebytes import MAX_BYTES, read_bytes
from .positions import LazyPositions

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64
MAX_NODES = 200_000

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_T + "map", _T + "seq"}

Path = tuple  # tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML document: plain data plus where each node stood.

    `marks` and `key_marks` hold the parser's 0-based marks by path; a Position is made only when
    one is asked for (most nodes are never reported)."""

    file: str
    data: Any
    marks: dict[Path, Any] = field(default_factory=dict)
    key_marks: dict[Path, Any] = field(default_factory=dict)
    order: tuple[str, ...] = ()   # the case model's top-level keys in order, once validated

    def position(self, path: Path) -> Position:
        """Where the node at `path` (or its nearest existing ancestor) starts. A path whose top-level
        block is not in the file points where that block belongs: at the next top-level block of
        the model's order that the file has (the line to insert it before), else the last one."""
        path = tuple(path)
        top = path[:1]
        while path:
            mark = self.marks.get(path)
            if mark is not None:
                return _pos(self.file, mark)
            path = path[:-1]
        if top and top[0] in self.order and isinstance(self.data, dict):
            later = self.order[self.order.index(top[0]) + 1:]
            here = [k for k in later if k in self.data] or [k for k in self.data if k in self.order][-1:]
            if here:
                return self.key_position((here[0],))
        mark = self.marks.get(())
        return _pos(self.file, mark) if mark is not None else Position(self.file, 1, 1)

    def positions_of(self, paths: dict[str, Path]) -> LazyPositions:
        """name → Position of each path, made when first read (a fact's fields are many, and most
        are never reported)."""
        return LazyPositions(self, paths)

    def key_position(self, path: Path) -> Position:
        """Where the key of `path` stands; the node's own position if it has no key."""
        mark = self.key_marks.get(tuple(path))
        return _pos(self.file, mark) if mark is not None else self.position(path)


_constructor = SafeConstructor()


def _char_at(text: str, mark) -> str:
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def _tag(tag: str) -> str:
    return "!!" + tag[len(_T):] if tag.startswith(_T) else tag


def _pos(file: str, mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def read_text(path: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 (a BOM is allowed), refusing oversize files and invalid bytes."""
    return decode(read_bytes(path, max_bytes), path)


def decode(raw: bytes, file: str) -> str:
    """Strict UTF-8 decoding; the error names the line and column of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        start = before.rfind(b"\n") + 1
        if start == 0 and before.startswith(b"\xef\xbb\xbf"):
            start = 3
        col = len(before[start:].decode("utf-8", errors="replace")) + 1
        raise InputError(
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); case files must be UTF-8",
            Position(file, line, col),
        ) from None
    return text.removeprefix("\ufeff")


def load_file(path: str, **limits) -> Document:
    return load_text(read_text(path, limits.pop("max_bytes", MAX_BYTES)), path, **limits)


def load_text(text: str, file: str = "<string>", *, max_depth: int = MAX_DEPTH,
              max_nodes: int = MAX_NODES) -> Document:
    """Build one document from YAML text. Raises InputError with file:line:col on any problem."""
    doc = Document(file, None)
    loader = Loader(text)
    try:
        _build(loader, doc, max_depth, max_nodes)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _pos(file, mark) if mark else Position(file, 1, 1)
        problem = exc.problem or exc.context or "malformed YAML"
        if mark and problem.startswith("found character") and _char_at(text, mark) == "\t":
            problem = "a tab character cannot indent or start YAML; use spaces"
        if problem.startswith("exceeded maximum nesting depth"):
            # newer libyaml scanners stop at their own limit (1,000) before our parser sees depth 65
            raise InputError(f"nesting deeper than {max_depth} levels", where) from None
        if exc.context and exc.context_mark and exc.problem_mark and \
                exc.context_mark.line != exc.problem_mark.line:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise InputError(f"malformed YAML: {problem}", where) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        where = Position(file, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        raise InputError(f"control character {exc.character!r} is not allowed in a case file "
                         "(control characters are not allowed)", where) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", Position(file, 1, 1)) from None
    finally:
        loader.dispose()
    return doc


_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_STR = _T + "str"


def _resolve(value: str, implicit) -> str:
    """The tag of an untagged scalar, as PyYAML's Resolver gives it (no path resolvers here)."""
    if implicit[0]:
        for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
            if regexp.match(value):
                return tag
    return _STR


def _scalar(ev: ScalarEvent, file: str) -> Any:
    tag = ev.tag
    if tag is None:
        tag = _resolve(ev.value, ev.implicit)
        if tag == _STR:
            return ev.value
    elif tag == "!" or tag == _STR:
        return ev.value
    elif tag not in _SCALAR_TAGS:
        raise InputError(f"YAML tag {_tag(tag)} is not allowed in a case file", _pos(file, ev.start_mark))
    kind = tag[len(_T):]
    if kind == "int" and not _PLAIN_INT.match(ev.value) or \
            kind == "float" and not _PLAIN_FLOAT.match(ev.value) and \
            ev.value.lower().lstrip("+-") not in (".inf", ".nan"):
        raise InputError(f"'{_short(ev.value)}' is not a plain decimal number (YAML 1.1 would read it as "
                         "octal, hexadecimal or base 60); write it in decimal, or quote it if it is text "
                         "such as a stock code or a time of day", _pos(file, ev.start_mark))
    if kind == "timestamp" and not SafeConstructor.timestamp_regexp.match(ev.value):
        raise InputError(f"invalid date '{_short(ev.value)}'; write dates as YYYY-MM-DD",
                         _pos(file, ev.start_mark))
    if kind == "bool" and ev.value.lower() not in SafeConstructor.bool_values:
        raise InputError(f"'{_short(ev.value)}' is not a yes/no value (true or false)",
                         _pos(file, ev.start_mark))
    try:
        if kind == "int":   # the plain decimal form checked above: no base prefixes, no base 60
            return int(ev.value.replace("_", ""))
        if kind == "float":
            text = ev.value.replace("_", "").lower()
            if text.lstrip("+-") in (".inf", ".nan"):
                raise InputError(f"'{ev.value}' (NaN or infinity) is not a number a case may hold",
                                 _pos(file, ev.start_mark))
            return Decimal(text)
        if kind == "null":
            return None
        node = ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark)  # type: ignore[arg-type]  # libyaml's Mark
        if kind == "bool":
            return _constructor.construct_yaml_bool(node)
        if kind == "timestamp":
            return _constructor.construct_yaml_timestamp(node)
        return ev.value   # `<<` and `=` resolve to merge/value tags: here they are text
    except (ValueError, InvalidOperation, ConstructorError) as exc:
        what = {"timestamp": "date", "int": "integer"}.get(kind, kind)
        detail = str(exc).splitlines()[0] if str(exc) else ""
        if "Exceeds the limit" in detail:
            detail = "too many digits for any figure a case may hold"
        raise InputError(f"invalid {what} '{_short(ev.value)}'" + (f": {detail}" if detail else ""),
                         _pos(file, ev.start_mark)) from None


class _Frame:
    __slots__ = ("anchor", "container", "is_map", "key", "keys", "nodes", "path")

    def __init__(self, container, path, anchor):
        self.container = container
        self.is_map = isinstance(container, dict)
        self.path = path
        self.key = None
        self.keys: dict[str, Any] = {}   # key → its mark, for the duplicate-key message
        self.nodes = 1
        self.anchor = anchor


def _build(loader, doc: Document, max_depth: int, max_nodes: int) -> None:
    file = doc.file
    marks, key_marks = doc.marks, doc.key_marks
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    total = 0
    documents = 0
    root_set = False
    get_event = loader.get_event

    def attach(value: Any, nodes: int) -> None:
        top = stack[-1]
        top.nodes += nodes
        if top.is_map:
            top.container[top.key] = value
            top.key = None
        else:
            top.container.append(value)

    while True:
        ev = get_event()
        cls = type(ev)
        top = stack[-1] if stack else None
        if top is not None and top.is_map and top.key is None and cls is not MappingEndEvent:
            if cls is not ScalarEvent:
                raise InputError("a mapping key must be a plain name", _pos(file, ev.start_mark))
            key = ev.value
            if key in top.keys:
                raise InputError(
                    f"duplicate key '{key}' (first at line {top.keys[key].line + 1}); YAML would silently "
                    "keep only the last value", _pos(file, ev.start_mark))
            top.keys[key] = ev.start_mark
            top.key = key
            key_marks[top.path + (key,)] = ev.start_mark
            continue

        if cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            if frame.anchor:
                anchors[frame.anchor] = (frame.container, frame.nodes)
            if stack:
                attach(frame.container, frame.nodes)
            continue
        if cls is StreamStartEvent or cls is DocumentEndEvent:
            continue
        if cls is StreamEndEvent:
            break
        if cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise InputError("a case file holds one YAML document; found a second one",
                                 _pos(file, ev.start_mark))
            continue

        total += 1
        if total > max_nodes:
            raise InputError(f"more than {max_nodes:,} YAML nodes (alias expansion included)",
                             _pos(file, ev.start_mark))
        path = () if top is None else top.path + ((top.key,) if top.is_map else (len(top.container),))
        marks[path] = ev.start_mark
        if cls is ScalarEvent:
            value = _scalar(ev, file)
            if ev.anchor:
                anchors[ev.anchor] = (value, 1)
            if top is None:
                doc.data, root_set = value, True
            else:
                attach(value, 1)
            continue
        if cls is AliasEvent:
            if ev.anchor not in anchors:
                raise InputError(f"alias *{ev.anchor} refers to no complete anchor",
                                 _pos(file, ev.start_mark))
            value, nodes = anchors[ev.anchor]
            total += nodes
            if total > max_nodes:
                raise InputError(
                    f"alias *{ev.anchor} expands past {max_nodes:,} YAML nodes (an alias bomb?)",
                    _pos(file, ev.start_mark))
            if top is None:
                doc.data, root_set = value, True
            else:
                attach(value, nodes)
            continue
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            if ev.tag not in (None, "!") and ev.tag not in _COLLECTION_TAGS:
                raise InputError(f"YAML tag {_tag(ev.tag)} is not allowed in a case file",
                                 _pos(file, ev.start_mark))
            if len(stack) >= max_depth:
                raise InputError(f"nesting deeper than {max_depth} levels", _pos(file, ev.start_mark))
            container: Any = {} if cls is MappingStartEvent else []
            stack.append(_Frame(container, path, ev.anchor))
            if top is None:
                doc.data, root_set = container, True
            continue
        raise InputError(f"unexpected YAML event {cls.__name__}", _pos(file, ev.start_mark))

    if not root_set:
        raise InputError("the file is empty", Position(file, 1, 1))
