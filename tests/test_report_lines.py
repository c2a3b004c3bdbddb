"""The `lines` report (`file:line:col: rule-id [tag] message`) and `--format auto`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checker.report.targets import STDOUT, UsageError, parse

from .conftest import DAPUWEI, ROOT, edited, line_of

VIOLATOR = os.path.join("cases", "violations", "strategic-over-20pct.yaml")
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<id>[a-z0-9_.\-]+) (?P<rest>.*)$")


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_auto_is_console_on_a_terminal_and_lines_otherwise(tmp_path):
    assert parse("auto", tty=True) == [("console", STDOUT)]
    assert parse("auto", tty=False) == [("lines", STDOUT)]
    assert parse("auto", str(tmp_path / "out.txt"), tty=True) == [("lines", str(tmp_path / "out.txt"))]
    assert parse("console", tty=False) == [("console", STDOUT)]
    with pytest.raises(UsageError, match="auto, console, lines"):
        parse("line")


def test_piped_default_is_one_line_per_violation_with_the_path_as_given():
    proc = run(VIOLATOR)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(LINE.match(x) for x in lines), proc.stdout
    line = line_of(os.path.join(ROOT, VIOLATOR), "shares: 1308649")   # a total: its first line
    assert f"{VIOLATOR}:{line}:15: ipo.strategic.cap_ratio.lt100m [error] " in proc.stdout
    assert "\x1b[" not in proc.stdout and "✗" not in proc.stdout   # no colour, no rich marks
    # not_evaluated / not_covered are counted on stderr, not listed
    assert "[error not-evaluated]" not in proc.stdout
    summary = proc.stderr.strip().splitlines()[-1]
    assert summary.startswith("offering-check：读取 1 个文件，2 项违规") and "无法评估" in summary
    assert "待发行结果" in summary and summary.endswith("；退出码 1（2 项发现按 --fail-on error 计为失败）")
    english = run(VIOLATOR, "--lang", "en").stderr.strip().splitlines()[-1]
    assert english.startswith("offering-check: 1 file(s) read, 2 violation(s)") and "not evaluated" in english
    assert english.endswith("; exit code 1 (2 finding(s) fail the run under --fail-on error)")


def test_a_clean_case_prints_no_line_and_exits_0():
    proc = run(DAPUWEI)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "，0 项违规，" in proc.stderr and proc.stderr.rstrip().endswith("；退出码 0")


def test_the_summary_says_when_waivers_or_filters_were_off_and_why_the_exit_code_is_2(tmp_path):
    proc = run(VIOLATOR, "--no-waivers", "--severity", "error", "--lang", "en")
    summary = proc.stderr.strip().splitlines()[-1]
    assert ", waivers not applied (--no-waivers), filters: severity error · 0 case(s) and " in summary
    broken = tmp_path / "broken.yaml"
    broken.write_text("case_type: ipo\ncase_id: [\n", encoding="utf-8")
    proc = run(str(broken), str(tmp_path / "absent-*.yaml"), "--lang", "en")
    assert proc.returncode == 2
    assert proc.stderr.rstrip().endswith(
        f"; exit code 2 (1 file(s) with input errors; no such file, folder or matching pattern: "
        f"{tmp_path / 'absent-*.yaml'})"), proc.stderr


def test_fail_on_not_evaluated_lists_them():
    proc = run(DAPUWEI, "--fail-on", "not-evaluated", "--lang", "en")
    assert proc.returncode == 1
    listed = [x for x in proc.stdout.splitlines() if "[error not-evaluated]" in x or "[warning not-evaluated]" in x]
    assert listed and all(LINE.match(x) for x in listed)
    assert all("not evaluated" in x for x in listed)


def test_lang_en_and_zh_messages():
    zh, en = run(VIOLATOR), run(VIOLATOR, "--lang", "en")
    assert "战略配售" in zh.stdout and "strategic placement" in en.stdout


def test_input_errors_each_get_a_line(tmp_path):
    path = edited(tmp_path, "  price: 46.08\n", "  price: abc\n  bogus: 1\n")
    proc = run(path)
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    assert f"{path}:{line_of(path, 'price: abc')}:10: input-error 'offering.price': expected a number" in proc.stdout
    assert any(x.startswith(f"{path}:{line_of(path, 'bogus: 1')}:3: input-error unknown field") for x in lines)
    broken = tmp_path / "broken.yaml"
    broken.write_text("case_type: ipo\nissuer: [\n", encoding="utf-8")
    proc = run(str(broken))
    assert proc.returncode == 2 and proc.stdout.startswith(f"{broken}:3:1: input-error malformed YAML")


def test_waived_expired_and_unused_waivers(tmp_path):
    text = Path(ROOT, VIOLATOR).read_text(encoding="utf-8") + (
        "waivers:\n"
        "  - rule: ipo.strategic.cap_ratio.lt100m\n    reason: 书面同意\n    approver: 合规部\n"
        "    expires: 2026-12-31\n"
        "  - rule: ipo.cosponsor.lockup\n    reason: unused\n    approver: x\n    expires: 2026-12-31\n")
    path = tmp_path / "waived.yaml"
    path.write_text(text, encoding="utf-8")
    proc = run(str(path), "--today", "2026-06-01", "--lang", "en")
    assert proc.returncode == 1   # the consistency violation in the same file still fails
    assert re.search(r":\d+:15: ipo\.strategic\.cap_ratio\.lt100m \[error waived\] .*\(waived: 书面同意 · approver 合规部 "
                     r"· expires 2026-12-31\)$", proc.stdout, re.M), proc.stdout
    unused = line_of(str(path), "rule: ipo.cosponsor.lockup")
    assert f"{path}:{unused}:5: waiver-unused ipo.cosponsor.lockup (unused · approver x · expires 2026-12-31)" in proc.stdout
    expired = run(str(path), "--today", "2027-01-01", "--lang", "en")
    first = line_of(str(path), "rule: ipo.strategic.cap_ratio.lt100m")
    assert f"{path}:{first}:5: waiver-expired ipo.strategic.cap_ratio.lt100m (" in expired.stdout
    assert "[error waived]" not in expired.stdout and "cap_ratio.lt100m [error]" in expired.stdout


def test_lines_in_file_order_and_never_wrapped():
    proc = run("cases/violations/", "--lang", "en")
    rows = [LINE.match(x) for x in proc.stdout.splitlines()]
    assert rows and all(rows)
    assert any(len(m.group(0)) > 200 for m in rows)   # long messages stay on one line
    by_file: dict[str, list[tuple[int, int]]] = {}
    for m in rows:
        by_file.setdefault(m.group("file"), []).append((int(m.group("line")), int(m.group("col"))))
    assert all(v == sorted(v) for v in by_file.values())
    assert len(by_file) >= 8


def test_lines_to_a_file_with_another_format(tmp_path):
    out = tmp_path / "findings.txt"
    proc = run(VIOLATOR, "--format", f"lines={out},json")
    assert proc.returncode == 1
    assert proc.stdout.lstrip().startswith("{")
    assert "ipo.strategic.cap_ratio.lt100m [error]" in out.read_text(encoding="utf-8")
