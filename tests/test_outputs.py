"""Outputs never destroy data: a report never replaces a case file or a device, and a stdout that
closes early or fills up ends the run with one line on stderr, not a traceback."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DAPUWEI, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("how", ["output", "format"])
def test_a_report_naming_an_input_case_is_refused_before_checking(tmp_path, how):
    case = tmp_path / "case.yaml"
    shutil.copy(DAPUWEI, case)
    before = case.read_bytes()
    args = ["--output", case, "--format", "json"] if how == "output" else ["--format", f"json={case}"]
    proc = run(tmp_path, *args)
    assert proc.returncode == 2 and "would overwrite it" in proc.stderr
    assert case.read_bytes() == before


@pytest.mark.parametrize("how", ["linked folder", "hard link"])
def test_a_report_reaching_an_input_case_by_another_name_is_refused(tmp_path, how):
    folder = tmp_path / "cases"
    folder.mkdir()
    case = folder / "case.yaml"
    shutil.copy(DAPUWEI, case)
    before = case.read_bytes()
    if how == "linked folder":
        (tmp_path / "alias").symlink_to(folder)
        dest = tmp_path / "alias" / "case.yaml"
    else:
        dest = tmp_path / "report.json"
        os.link(case, dest)
    proc = run(folder, "--format", f"json={dest}")
    assert proc.returncode == 2 and "would overwrite it" in proc.stderr, proc.stderr
    assert case.read_bytes() == before


def test_a_report_to_a_device_a_fifo_or_a_link_is_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    target = tmp_path / "target.txt"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    for dest in (os.devnull, fifo, link):
        proc = run(DAPUWEI, "--format", f"json={dest}")
        assert proc.returncode == 2 and "not a regular file" in proc.stderr, (dest, proc.stderr)
    assert Path(os.devnull).is_char_device() and fifo.is_fifo() and link.is_symlink()
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_stdout_closed_early_ends_with_one_line_and_no_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "checker", "cases/", "--format", "json", "--lang", "en"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()   # like `| head -c 100`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=180) == 3
    assert "Traceback" not in err and "could not be written to stdout" in err


def test_a_full_stdout_ends_with_one_line_and_no_traceback():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "checker", DAPUWEI, "--format", "json"], cwd=ROOT,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=180)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "No space left on device" in proc.stderr
