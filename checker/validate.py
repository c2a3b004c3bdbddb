"""Turn a loaded document into a case model; every error names file:line:col and the field."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .casetypes import CASE_TYPES
from .errors import InputError
from .loading import Document

if TYPE_CHECKING:
    from .casetypes import CaseModel


class _CaseModels(Mapping):
    """case_type → model class (casetypes.py), each imported when first asked for: building
    pydantic models is most of the start-up, and a one-file run needs one case type's."""

    def __getitem__(self, case_type: str) -> type[BaseModel]:
        return CASE_TYPES[case_type].load_model()

    def __iter__(self):
        return iter(CASE_TYPES)

    def __len__(self) -> int:
        return len(CASE_TYPES)


CASE_MODELS: Mapping[str, type[BaseModel]] = _CaseModels()


def _short(value, limit: int = 40):
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return value
    return text[:limit] + f"… ({len(text):,} characters)"


def field_path(loc: tuple) -> str:
    """('strategic', 'investors', 2, 'shares') -> 'strategic.investors[2].shares'"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(doc: Document) -> CaseModel:
    data = doc.data
    if not isinstance(data, dict):
        raise InputError("a case file must be a mapping with case_type, issuer, …", doc.position(()))
    case_type = data.get("case_type")
    if case_type is None:
        raise InputError(f"missing 'case_type' (one of: {', '.join(CASE_MODELS)})", doc.position(()),
                         field="case_type")
    model = CASE_MODELS.get(case_type) if isinstance(case_type, str) else None
    if model is None:
        raise InputError(f"unknown case_type {case_type!r} (one of: {', '.join(CASE_MODELS)})",
                         doc.position(("case_type",)), field="case_type")
    try:
        case = model.model_validate(data)
    except ValidationError as exc:
        errors = [_to_input_error(doc, model, err) for err in exc.errors(include_url=False)]
        # at one position an unknown field comes first: it usually explains the missing one
        errors.sort(key=lambda e: ((e.position.line, e.position.col) if e.position else (0, 0),
                                   not e.message.startswith("unknown field")))
        first = errors[0]
        first.more.extend(errors[1:])
        raise first from None
    doc.order = tuple(model.model_fields)
    return cast("CaseModel", case)   # every registered model satisfies it (tests/test_registries.py)


def _known_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_of(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _named_in(message: str, doc: Document) -> tuple:
    """A whole-case check's message starts with the field it is about: point at that field."""
    head = message.removeprefix("Value error, ").split(" ", 1)[0]
    path = tuple(head.split("."))
    return path if path in doc.marks else ()


def _to_input_error(doc: Document, model: type[BaseModel], err: ErrorDetails) -> InputError:
    loc = tuple(err["loc"]) or _named_in(err["msg"], doc)
    kind = err["type"]
    name = field_path(loc)
    if kind == "missing":
        return InputError(f"required field '{name}' is missing", doc.key_position(loc[:-1]), field=name)
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
        text = f"unknown field '{name}'"
        if hint:
            text += f" (did you mean '{hint[0]}'?)"
        elif known:
            text += f"; allowed: {', '.join(known)}"
        return InputError(text, doc.key_position(loc), field=name)
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif kind in ("enum", "literal_error"):
        msg = msg.replace("Input should be", "must be") + f", got {_short(err.get('input'))!r}"
    else:
        msg = msg.replace("Input should be", "must be")
        if "input" in err and not isinstance(err["input"], (dict, list)):
            msg += f", got {_short(err['input'])!r}"
    return InputError(f"'{name}': {msg}", doc.position(loc), field=name)
