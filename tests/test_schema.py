"""`offering-check schema TYPE`: the committed schemas are the command's output, every bundled case
validates against its own, a wrong key or type does not, and every case names its schema."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from .conftest import ROOT

CASES = Path(ROOT) / "cases"
SCHEMAS = CASES / "schema"
TYPES = ("ipo", "restructuring", "investor")
BUNDLED = sorted(p for p in CASES.rglob("*.yaml"))


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def _plain(node):
    """What a YAML editor sees: unquoted dates are strings."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def load(path: Path) -> dict:
    return _plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def validator(case_type: str):
    schema = json.loads((SCHEMAS / f"{case_type}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def errors(case: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(case["case_type"]).iter_errors(case)]


@pytest.mark.parametrize("case_type", TYPES)
def test_committed_schema_is_the_commands_output(case_type, tmp_path):
    proc = run("schema", case_type)
    assert proc.returncode == 0, proc.stderr
    committed = (SCHEMAS / f"{case_type}.schema.json").read_text(encoding="utf-8")
    assert proc.stdout == committed, (f"cases/schema/{case_type}.schema.json is stale: "
                                      f"offering-check schema {case_type} --output cases/schema/{case_type}.schema.json")
    out = tmp_path / "s.json"
    assert run("schema", case_type, "--output", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == committed


@pytest.mark.parametrize("case_type", TYPES)
def test_schema_has_dialect_title_descriptions_and_no_extras(case_type):
    schema = json.loads((SCHEMAS / f"{case_type}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#" and schema["title"]
    objects = [schema, *schema["definitions"].values()]
    for obj in objects:
        if "properties" not in obj:
            continue
        assert obj["additionalProperties"] is False, obj.get("title")
        for name, prop in obj["properties"].items():
            assert prop.get("description"), f"{obj.get('title')}.{name} has no description"
    text = json.dumps(schema)
    for pydantic_only in ('"ge":', '"le":', '"gt":', '"lt":', '"$defs"'):
        assert pydantic_only not in text


def test_every_bundled_case_validates_against_its_schema():
    assert len(BUNDLED) >= 30
    seen = set()
    for path in BUNDLED:
        case = load(path)
        seen.add(case["case_type"])
        assert errors(case) == [], path
    assert seen == set(TYPES)


def test_schema_refuses_an_unknown_key_a_text_number_and_a_bad_date():
    base = load(CASES / "ipo" / "dapuwei-2026.yaml")
    unknown = {**base, "offering": {**base["offering"], "issue_sharez": 1}}
    assert any("issue_sharez" in e for e in errors(unknown))
    text_number = {**base, "offering": {**base["offering"], "issue_shares": "43,621,636"}}
    assert any(e.startswith("offering/issue_shares") for e in errors(text_number))
    text_price = {**base, "offering": {**base["offering"], "price": "46.08"}}
    assert any(e.startswith("offering/price") for e in errors(text_price))
    fraction = {**base, "offering": {**base["offering"], "issue_shares": 1.5}}
    assert any(e.startswith("offering/issue_shares") for e in errors(fraction))
    bad_date = {**base, "timetable": {**base["timetable"], "t_day": "2026-02-30"}}
    assert any(e.startswith("timetable/t_day") for e in errors(bad_date))
    assert errors({**base, "case_type": "ipo"}) == []


def test_every_bundled_case_names_its_schema_on_the_first_line():
    for path in BUNDLED:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        case_type = load(path)["case_type"]
        target = os.path.relpath(SCHEMAS / f"{case_type}.schema.json", path.parent).replace(os.sep, "/")
        assert first == f"# yaml-language-server: $schema={target}", path
        assert (path.parent / target).is_file()
