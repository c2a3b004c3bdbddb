"""The JSON Schema of a case file, from the pydantic case models, for editors (yaml-language-server).

It describes what the YAML accepts: numbers as JSON numbers (never text), dates as strings in
`date` format (how an editor sees an unquoted YYYY-MM-DD), unknown keys refused
(`additionalProperties: false`). The checker's own validation stays the authority: cross-field
checks (totals, consecutive years) are not in the schema.

Draft 7, the version yaml-language-server (VS Code's YAML extension) supports: definitions under
`definitions`, and a `$ref` with sibling keywords (which draft 7 ignores) wrapped in `allOf`.
"""

from __future__ import annotations

import json

from .casetypes import CASE_TYPES

DIALECT = "http://json-schema.org/draft-07/schema#"
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
_DECIMAL = [{"type": "number"}, {"type": "string"}]   # pydantic's rendering of a Decimal


def _model(case_type: str):
    return CASE_TYPES[case_type].load_model()


def _tidy(node):
    """Standard keywords for what pydantic renders from the custom types' constraints."""
    if isinstance(node, list):
        return [_tidy(x) for x in node]
    if isinstance(node, float) and node.is_integer():
        return int(node)   # 100.0 and 100 are one bound (pydantic releases write either)
    if not isinstance(node, dict):
        return node
    out = {}
    if "$ref" in node and len(node) > 1:
        node = dict(node)
        node["allOf"] = [{"$ref": node.pop("$ref")}]
    for key, value in node.items():
        if key == "$ref":
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "$defs":
            out["definitions"] = _tidy(value)
        elif key in _BOUNDS:
            out[_BOUNDS[key]] = value
        elif key == "anyOf" and value == _DECIMAL:   # the YAML takes a number, never text
            out["type"] = "number"
        elif key == "anyOf" and len(value) == 2 and value[1] == _DECIMAL[1] \
                and value[0].get("type") == "number":
            out.update(_tidy(value[0]))   # older pydantic: the bounds inside the number member
        else:
            out[key] = _tidy(value)
    return out


def schema(case_type: str) -> dict:
    model = _model(case_type)
    body = _tidy(model.model_json_schema(mode="validation"))
    declared = CASE_TYPES[case_type]
    head = {"$schema": DIALECT, "title": declared.title, "description": declared.about}
    body.pop("title", None)
    body.pop("description", None)
    return {**head, **body}


def render(case_type: str) -> str:
    # keys sorted: pydantic releases order some keys differently; the schema is the same
    return json.dumps(schema(case_type), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
