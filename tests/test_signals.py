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
    by = "" if sig == signal.SIGINT else f" by {signal.Signals(sig).name}"
    assert proc.returncode == 3 and f"interrupted{by}" in err, err
    assert report.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(os.listdir(tmp_path)) == ["cases", "report.json"]   # no .report.json.*.tmp left
    assert gone(workers)


@linux_only
def test_a_killed_parent_takes_its_workers_with_it(tmp_path):
    proc, workers, _report = batch(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    assert gone(workers), "a worker outlived its SIGKILLed parent"
