"""The console report and the help as a new user reads them: violations first and whole, the rest
folded into counts, help and messages in Chinese or English, lines that fit the terminal."""

import json
import os
import subprocess
import sys

import pytest

from checker.cli_text import _CLOSING, _width, wrap

from .conftest import ROOT


def run(*args, columns=None):
    env = {**os.environ, **({"COLUMNS": str(columns)} if columns else {})}
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def bundled():
    doc = json.loads(run("cases/", "--format", "json").stdout)
    console = run("cases/", "--format", "console").stdout
    expanded = run("cases/", "--format", "console", "--expand").stdout
    return doc, console, expanded


def test_every_violation_is_in_the_console_with_its_line_and_the_rest_is_folded(bundled):
    doc, console, expanded = bundled
    findings = [f for c in doc["cases"] for f in c["findings"]]
    violations = [f for f in findings if f["status"] in ("violation", "waived")]
    assert violations
    for f in violations:
        loc = f["location"]
        assert f"{f['rule_id']} [{f['severity']}] {loc['file']}:{loc['line']}:{loc['col']}" in console, f["rule_id"]
    not_evaluated = sum(f["status"] == "not_evaluated" for f in findings)
    assert not_evaluated > 50 and console.count("• 无法评估 ") < not_evaluated
    assert f"无法评估 {not_evaluated} 项" in console   # the folded total in the summary
    assert expanded.count("• 无法评估 ") >= not_evaluated
    assert len(console.splitlines()) * 10 < len(expanded.splitlines())


def test_the_cases_with_violations_come_before_the_others(bundled):
    doc, console, _ = bundled
    lines = console.splitlines()
    others = lines.index("其余案例")
    for case in doc["cases"]:
        if any(f["status"] == "violation" for f in case["findings"]):
            assert any(case["file"] in line for line in lines[:others]), case["file"]
        elif not case.get("error") and case.get("coverage") == "checked" and not case.get("notices") and \
                all(f["status"] in ("not_evaluated", "pending", "not_covered") for f in case["findings"]):
            [line] = [i for i, line in enumerate(lines) if f"· {case['file']} ·" in line]
            assert line > others, case["file"]


def test_help_shows_the_check_options_and_the_commands_in_either_language():
    zh, en = run("--help"), run("--help", "--lang", "en")
    assert zh.returncode == en.returncode == 0
    for out in (zh.stdout, en.stdout):
        for word in ("--format", "--fail-on", "--expand", "rules", "explain", "schema"):
            assert word in out, word
    assert zh.stdout.startswith("用法：offering-check") and "退出码" in zh.stdout
    assert en.stdout.startswith("usage: offering-check") and "Exit codes" in en.stdout
    none = run()
    assert none.returncode == 2 and "--format" in none.stderr and not none.stdout


def test_usage_errors_are_in_the_language_asked_for():
    zh, en = run("cases/", "--fail-on", "nothing"), run("cases/", "--fail-on", "nothing", "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert "错误" in zh.stderr and "error" in en.stderr and "错误" not in en.stderr


@pytest.mark.parametrize("columns", [80, 100])
def test_the_rules_listing_fits_the_terminal_and_never_cuts_an_id(columns):
    catalogue = json.loads(run("rules", "--format", "json").stdout)
    out = run("rules", columns=columns).stdout
    lines = out.splitlines()
    assert max(_width(line) for line in lines) <= columns
    heads = {line.split()[0] for line in lines if line and not line.startswith(" ")}
    ids = {r["id"] for r in catalogue}
    assert ids <= heads and f"{len(ids)} 条规则，{len(catalogue)} 个版本" in out
    assert "深交所创业板" in out and "chinext" not in out.replace("chinext_", "").replace(".chinext", "")


def test_wrap_measures_cjk_as_two_columns_and_keeps_punctuation_with_its_word():
    text = "战略配售比例上限20%（发行量不足1亿股），依据证券发行与承销管理办法第二十一条。" * 4 + " plain words at the end"
    for width in (20, 33, 60):
        lines = wrap(text, width)
        assert all(_width(line) <= width for line in lines), width
        assert not any(line[0] in _CLOSING for line in lines), width
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
