"""Case text cannot forge or hide output: control characters and terminal escapes are shown as
escapes in the console and lines reports, a lone CR cannot break a Markdown table, a file name
with a newline cannot print a line of its own, and JUnit names suites by path."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import ROOT, edited

VIOLATOR = str(Path(ROOT, "cases", "violations", "strategic-over-20pct.yaml"))
HIDING = r'short_name: "大普微\e[8m\e[2K\rHIDDEN"'


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_terminal_escapes_in_case_text_are_shown_not_obeyed(tmp_path):
    path = edited(tmp_path, "short_name: 大普微", HIDING, source=VIOLATOR)
    for fmt in ("lines", "console"):
        out = run(path, "--format", fmt).stdout
        assert "\x1b" not in out and "\r" not in out, fmt
        assert "\\x1b[8m" in out and "HIDDEN" in out, fmt   # lines folds the CR as whitespace
    lines = run(path, "--format", "lines").stdout.splitlines()
    assert all(line.startswith(f"{path}:") for line in lines) and len(lines) == 2


def test_a_lone_carriage_return_cannot_break_a_markdown_table(tmp_path):
    path = edited(tmp_path, "short_name: 大普微", 'short_name: "大普微\\r| forged | row |"', source=VIOLATOR)
    md = run(path, "--format", "markdown").stdout
    assert "\r" not in md
    rows = [line for line in md.splitlines() if "forged" in line]
    assert rows and all(line.count("\\|") >= 2 for line in rows)   # the pipes stay text


def test_a_file_name_with_a_newline_prints_no_line_of_its_own(tmp_path):
    source = Path(VIOLATOR).read_text(encoding="utf-8")
    path = tmp_path / "a\nfake.yaml:1:1: ipo.forged [error] x.yaml"
    path.write_text(source, encoding="utf-8")
    out = run(tmp_path, "--format", "lines").stdout
    assert not any(line.startswith("fake.yaml") for line in out.splitlines())
    assert "a\\x0afake.yaml" in out


def test_junit_suites_are_named_by_path_so_two_files_with_one_id_stay_apart(tmp_path):
    one = edited(tmp_path, "short_name: 大普微", "short_name: 甲", source=VIOLATOR, name="one.yaml")
    two = edited(tmp_path, "short_name: 大普微", "short_name: 乙", source=VIOLATOR, name="two.yaml")
    out = tmp_path / "r.xml"
    run(one, two, "--format", f"junit={out}")
    names = [s.get("name") for s in ET.parse(out).getroot().findall("testsuite")]
    assert names == [one, two]
