"""`--format`: one format with --output, or NAME=FILE,NAME=FILE; `-` is stdout, at most once;
anything ambiguous is a usage error (exit 2) before any case is checked."""

import json
import subprocess
import sys

import pytest

from checker.report.targets import STDOUT, UsageError, parse

from .conftest import DAPUWEI, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_single_format_goes_to_output_or_stdout(tmp_path):
    out = str(tmp_path / "r.sarif")
    assert parse("sarif", out) == [("sarif", out)]
    assert parse("json") == [("json", STDOUT)]
    assert parse("console") == [("console", STDOUT)]


def test_several_formats_each_to_its_file(tmp_path):
    a, b = str(tmp_path / "a.sarif"), str(tmp_path / "b.html")
    assert parse(f"sarif={a}, html={b},markdown") == [("sarif", a), ("html", b), ("markdown", STDOUT)]
    assert parse(f"json=-,html={b}") == [("json", STDOUT), ("html", b)]


@pytest.mark.parametrize("spec, output, message", [
    ("pdf", None, "unknown format 'pdf'"),
    ("sarif,html", None, "only one format can go to stdout"),
    ("json=-,markdown=-", None, "only one format can go to stdout"),
    ("sarif=", None, "no file after '='"),
    ("sarif,,html=x.html", None, "empty entry"),
    ("sarif,html=x.html", "out.sarif", "--output names the file of a single format"),
    ("sarif=a.sarif", "b.sarif", "--output names the file of a single format"),
])
def test_ambiguous_specs_are_usage_errors(spec, output, message):
    with pytest.raises(UsageError, match=message):
        parse(spec, output)


def test_destinations_are_checked_before_the_batch(tmp_path):
    with pytest.raises(UsageError, match="two formats would write the same file"):
        parse(f"json={tmp_path}/r.txt,markdown={tmp_path}/./r.txt")
    with pytest.raises(UsageError, match="does not exist"):
        parse(f"html={tmp_path}/missing/r.html")
    with pytest.raises(UsageError, match="is a folder"):
        parse("html", str(tmp_path))


def test_cli_usage_error_exits_2_and_writes_nothing(tmp_path):
    proc = run(DAPUWEI, "--format", f"sarif,html,json={tmp_path / 'r.json'}")
    assert proc.returncode == 2
    assert "only one format can go to stdout" in proc.stderr and proc.stdout == ""
    assert list(tmp_path.iterdir()) == []
    proc = run(DAPUWEI, "--format", "yaml")
    assert proc.returncode == 2 and "unknown format 'yaml'" in proc.stderr


def test_cli_one_format_with_output_and_one_to_stdout(tmp_path):
    out = tmp_path / "out.sarif"
    proc = run(DAPUWEI, "--format", "sarif", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    proc = run(DAPUWEI, "--format", f"json=-,markdown={tmp_path / 'r.md'}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["cases"][0]["case_id"] == "dapuwei-2026"
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# 发行合规检查报告")


def test_console_report_opens_with_the_audit_header(tmp_path):
    out = tmp_path / "r.txt"
    proc = run(DAPUWEI, "--format", f"console={out}", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("Tool version offering-check") and "Rule packs hash (SHA-256)" in first
