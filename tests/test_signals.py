"""However the parent ends (Ctrl-C, SIGTERM, SIGHUP, SIGKILL), its workers end with it, and a terminated run
leaves no temporary report beside its targets."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ROOT
from .test_batch import children, linux_only


def batch(tmp_path, copies: int = 6):
    for copy in range(copies):
        shutil.copytree(os.path.join(ROOT, "cases"), tmp_path / "cases" / f"copy{copy}")
    report = tmp_path / "report.json"
    report.write_text("the previous report\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "checker", str(tmp_path / "cases"), "-j", "2",
                             "--format", f"json={report}"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    workers = children(proc.pid)
    assert len(workers) == 2, "the batch ended before it could be signalled"
    return proc, workers, report


def gone(pids, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while any(os.path.exists(f"/proc/{pid}") for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(os.path.exists(f"/proc/{pid}") for pid in pids)


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_an_interrupted_parent_stops_its_workers_and_keeps_the_old_report(tmp_path, sig):
    """Ctrl-C (workers ignore it, the parent stops them), SIGTERM and SIGHUP alike."""
    proc, workers, report = batch(tmp_path)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    by = "" if sig == signal.SIGINT else f"（{signal.Signals(sig).name}）"
    assert proc.returncode == 3 and f"已中断{by}" in err, err
    assert report.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(os.listdir(tmp_path)) == ["cases", "report.json"]   # no .report.json.*.tmp left
    assert gone(workers)


@linux_only
def test_a_killed_parent_takes_its_workers_with_it(tmp_path):
    proc, workers, _report = batch(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    assert gone(workers), "a worker outlived its SIGKILLed parent"


# Runs the real command in a child; the only addition is a real SIGTERM sent to itself at the moment the
# second report has been written to its temp file but not yet renamed into place.
SIGTERM_WHILE_WRITING = """
import os, signal, sys
from checker.report import atomic
finished = []
real_finish = atomic.Pending.finish
def finish(self):
    real_finish(self)
    finished.append(self.tmp)
    if len(finished) == 2:
        assert all(os.path.exists(tmp) for tmp in finished)
        os.kill(os.getpid(), signal.SIGTERM)
atomic.Pending.finish = finish
from checker.cli import main
sys.exit(main(sys.argv[1:]))
"""


@linux_only
def test_sigterm_while_reports_are_written_leaves_no_temp_file_and_the_old_reports(tmp_path):
    names = ["report.json", "report.html", "report.md"]
    for name in names:
        (tmp_path / name).write_text(f"the previous {name}\n", encoding="utf-8")
    targets = [arg for fmt, name in zip(("json", "html", "markdown"), names, strict=True)
               for arg in ("--format", f"{fmt}={tmp_path / name}")]
    proc = subprocess.run([sys.executable, "-c", SIGTERM_WHILE_WRITING, os.path.join(ROOT, "cases"), *targets],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3 and "已中断（SIGTERM）" in proc.stderr, proc.stderr
    assert sorted(os.listdir(tmp_path)) == sorted(names)   # both temp files removed
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in names] == [f"the previous {n}\n" for n in names]
