"""`offering-check new`: a template that validates as written, for every case type and board."""

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from checker.boards import declared_boards

from .conftest import ROOT
from .test_schema import _plain


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def schema(case_type):
    return json.loads(Path(ROOT, "cases", "schema", f"{case_type}.schema.json").read_text(encoding="utf-8"))


def names_in(node, found=None):
    found = set() if found is None else found
    if isinstance(node, dict):
        found.update(node.get("properties", {}))
        for value in node.values():
            names_in(value, found)
    elif isinstance(node, list):
        for value in node:
            names_in(value, found)
    return found


@pytest.mark.parametrize("case_type", ["ipo", "restructuring", "investor"])
def test_the_template_validates_as_written_and_checks_with_nothing_failing(tmp_path, case_type):
    out = tmp_path / "cases" / f"new-{case_type}.yaml"
    out.parent.mkdir()
    proc = run("new", case_type, "--output", str(out))
    assert proc.returncode == 0 and not proc.stdout, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# yaml-language-server: $schema=") and text.endswith("\n")
    import yaml
    jsonschema.validate(_plain(yaml.safe_load(text)), schema(case_type))
    check = run(str(out), "--format", "json")
    assert check.returncode == 0, check.stdout + check.stderr
    [case] = json.loads(check.stdout)["cases"]
    assert case["error"] is None and not any(f["status"] == "violation" for f in case["findings"])
    # nothing unstated is read as a fact: the rules that need figures are not evaluated, never passed
    assert case_type == "investor" or any(f["status"] == "not_evaluated" for f in case["findings"])
    commented = set(re.findall(r"^\s*#\s+(?:- )?\{?(\w+):", text, re.M)) | \
        set(re.findall(r"\{(\w+):|, (\w+):", "\n".join(x for x in text.splitlines() if x.startswith("#"))))
    unknown = {n for pair in commented for n in ([pair] if isinstance(pair, str) else pair) if n} - \
        names_in(schema(case_type)) - {"schema", "Check", "How", "yaml"}
    assert not unknown, unknown   # every field a comment suggests is one the schema knows


@pytest.mark.parametrize("case_type", ["ipo", "restructuring", "investor"])
def test_the_examples_a_template_comments_out_are_valid_input_once_uncommented(tmp_path, case_type):
    """An example value in a block (`    # relationship: third_party`) is one the model takes."""
    out = tmp_path / "t.yaml"
    assert run("new", case_type, "--output", str(out)).returncode == 0
    text, count = re.subn(r"^(\s+)# (\w+: )", r"\1\2", out.read_text(encoding="utf-8"), flags=re.M)
    assert count > 0
    out.write_text(text, encoding="utf-8")
    check = run(str(out), "--format", "json")
    [case] = json.loads(check.stdout)["cases"]
    assert case["error"] is None and check.returncode != 2, check.stdout + check.stderr


@pytest.mark.parametrize("board", list(declared_boards()))
def test_an_ipo_template_for_each_board_checks_clean_on_a_day_the_board_is_covered(tmp_path, board):
    coverage = declared_boards()[board]
    day = [] if coverage.covered_until is None else ["--date", str(coverage.covered_from)]
    out = tmp_path / "x.yaml"
    assert run("new", "ipo", "--board", board, "--output", str(out), *day).returncode == 0
    check = run(str(out), "--format", "lines", "--lang", "en")
    assert check.returncode == 0 and "0 violation(s)" in check.stderr, check.stdout + check.stderr


def test_the_template_is_never_written_over_a_file_and_a_wrong_board_is_named(tmp_path):
    existing = tmp_path / "plan.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    proc = run("new", "ipo", "--output", str(existing))
    assert proc.returncode == 2 and "exists" in proc.stderr and existing.read_text(encoding="utf-8") == "mine\n"
    wrong = run("new", "ipo", "--board", "nasdaq")
    assert wrong.returncode == 2 and "nasdaq" in wrong.stderr and "chinext" in wrong.stderr
    ceased = run("new", "ipo", "--board", "szse_sme")
    assert ceased.returncode == 2 and "--date" in ceased.stderr


def test_stdout_from_the_checkout_points_the_modeline_at_the_bundled_schema():
    proc = run("new", "investor")
    assert proc.stdout.startswith("# yaml-language-server: $schema=cases/schema/investor.schema.json\n")
