"""Reports are written whole or not at all: a failing reporter leaves no file and no temp file."""

import os

import pytest

from checker.report import atomic, emit
from checker.report import html as html_report

from .conftest import DAPUWEI

HEADER = {"tool": {"name": "offering-check", "version": "0"}, "rules_hash": "0" * 64, "as_of": "case T day",
          "run_date": "2026-05-01", "fail_on": "error", "waivers_applied": True, "waivers": [], "exit_code": 0}


def listing(folder):
    return sorted(os.listdir(folder))


def test_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    atomic.write_text(str(target), "新内容\n")
    assert target.read_text(encoding="utf-8") == "新内容\n"
    assert listing(tmp_path) == ["r.json"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)   # an ordinary file, not mkstemp's 0600


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("complete old report", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        atomic.write_text(str(target), "x" * 100_000 + "\ud800")   # fails after part is written
    assert target.read_text(encoding="utf-8") == "complete old report"
    assert listing(tmp_path) == ["r.html"]


def half_written(fh, *args, **kwargs):
    fh.write("<!DOCTYPE html>" + "x" * 200_000)   # more than one buffer: part reaches the temp file
    raise RuntimeError("reporter failed")


def test_a_failing_reporter_writes_no_report_at_all(tmp_path, checker, monkeypatch):
    results = [checker.check_file(DAPUWEI)]
    summary = {"cases": 1}
    monkeypatch.setattr(html_report, "write", half_written)
    targets = [("json", str(tmp_path / "r.json")), ("html", str(tmp_path / "r.html"))]
    with pytest.raises(RuntimeError):
        emit.emit(targets, results, HEADER, summary, "zh")
    assert listing(tmp_path) == []


def test_a_failing_reporter_keeps_every_old_report(tmp_path, checker, monkeypatch, capsys):
    """The json report before the failing html one was rendered whole, but is not moved into place."""
    results = [checker.check_file(DAPUWEI)]
    for name in ("r.json", "r.html", "r.md"):
        (tmp_path / name).write_text(f"old {name}\n", encoding="utf-8")
    monkeypatch.setattr(html_report, "write", half_written)
    targets = [("json", str(tmp_path / "r.json")), ("lines", emit.STDOUT), ("html", str(tmp_path / "r.html")),
               ("markdown", str(tmp_path / "r.md"))]
    with pytest.raises(RuntimeError):
        emit.emit(targets, results, HEADER, {"cases": 1}, "zh")
    assert listing(tmp_path) == ["r.html", "r.json", "r.md"]
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in listing(tmp_path)] == [
        "old r.html\n", "old r.json\n", "old r.md\n"]
    assert capsys.readouterr().out == ""    # nor anything on stdout


def test_a_failing_stdout_report_replaces_no_file(tmp_path, checker, monkeypatch, capsys):
    results = [checker.check_file(DAPUWEI)]
    (tmp_path / "r.json").write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(html_report, "write", half_written)
    with pytest.raises(RuntimeError):
        emit.emit([("json", str(tmp_path / "r.json")), ("html", emit.STDOUT)], results, HEADER,
                  {"cases": 1}, "zh")
    assert listing(tmp_path) == ["r.json"] and (tmp_path / "r.json").read_text(encoding="utf-8") == "old\n"
    assert capsys.readouterr().out == ""


def test_an_unwritable_target_is_a_clear_error_not_a_crash(tmp_path, checker):
    from checker.report.emit import ReportWriteError
    results = [checker.check_file(DAPUWEI)]
    target = tmp_path / "gone" / "r.sarif"
    with pytest.raises(ReportWriteError, match=r"cannot write the sarif report to .*r\.sarif") as info:
        emit.emit([("sarif", str(target))], results, HEADER, {"cases": 1}, "en")
    assert info.value.exit_code == 2
    assert listing(tmp_path) == []
