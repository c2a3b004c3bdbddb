"""The policy's marks as the terminal and lines reports show them: ✗ only for what fails the run,
a line only for what the policy lists."""

import subprocess
import sys

import pytest

from .conftest import ROOT

# the 20% cap was a warning then; the filter leaves out the file's inconsistent tranches (an error)
WARNED = ["cases/violations/strategic-over-20pct.yaml", "--as-of", "2021-01-05", "--rule", "ipo.strategic.cap_ratio"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("fail_on, mark, code", [("error", "•", 0), ("warning", "✗", 1)])
def test_the_console_marks_a_warning_violation_as_failing_only_when_it_fails_the_run(fail_on, mark, code):
    proc = run(*WARNED, "--format", "console", "--fail-on", fail_on)
    [line] = [x for x in proc.stdout.splitlines() if "ipo.strategic.cap_ratio.lt100m" in x]
    assert line.strip().startswith(f"{mark} ") and proc.returncode == code, line


def test_lines_lists_not_evaluated_findings_only_when_they_fail_the_run():
    listed = run("cases/real/weihua-2024.yaml", "--format", "lines", "--fail-on", "not-evaluated")
    quiet = run("cases/real/weihua-2024.yaml", "--format", "lines")
    assert "ipo.strategic.cap_ratio.lt100m [error not-evaluated]" in listed.stdout and listed.returncode == 1
    assert "cap_ratio" not in quiet.stdout and quiet.returncode == 0
