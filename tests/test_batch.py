"""Batches in worker processes: same results as in one process, and a worker that dies (SIGKILL, a
real segfault in the engine's C code, a hang past the timeout) costs only the case it was on.

Faults are planted by patching the checker in this process before the pool forks its workers, so
the workers really die (the parent sees a signal exit), and the pool under test is the real one.
"""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import checker.engine
from bench.bench_batch import parents
from checker.batch import run_batch
from checker.check import Checker, Options
from checker.commands import CheckerFactory
from checker.errors import EXIT_INTERNAL
from checker.policy import exit_code, summary
from checker.rulepack import load_catalogue, rules_dir

from .conftest import ROOT

CASES = sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True))
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="worker processes are found through /proc")


@pytest.fixture(scope="module")
def factory():
    return CheckerFactory(rules_dir(), Options(today=None), load_catalogue(rules_dir()))


@pytest.fixture(scope="module")
def serial(factory):
    with run_batch(CASES, factory, jobs=1) as results:
        return {r.file: r.to_dict() for r in results}


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.yaml"
    shutil.copy(os.path.join(ROOT, "cases/ipo/dapuwei-2026.yaml"), path)
    return str(path)


def plant(monkeypatch, fault):
    """Make Checker.check_file run `fault()` first when it is given the victim file."""
    original = Checker.check_file

    def check_file(self, path):
        if os.path.basename(path) == "victim.yaml":
            fault()
        return original(self, path)
    monkeypatch.setattr(Checker, "check_file", check_file)


def with_victim(victim):
    middle = len(CASES) // 2
    return CASES[:middle] + [victim] + CASES[middle:]


def assert_only_victim_lost(results, files, victim, serial, kind, words):
    assert [r.file for r in results] == files                      # one result each, in order
    lost = [r for r in results if r.error]
    assert [r.file for r in lost] == [victim]
    assert lost[0].error["kind"] == kind
    for word in words:
        assert word in lost[0].error["message"]
    for r in results:
        if r.file != victim:
            assert r.to_dict() == serial[r.file]


def test_workers_give_the_same_results_as_one_process(factory, serial):
    with run_batch(CASES, factory, jobs=2) as results:
        assert [r.file for r in results] == CASES
        assert {r.file: r.to_dict() for r in results} == serial
        assert sum(r.status == "violations" for r in results) >= 10


def test_recycled_workers_give_the_same_results(factory, serial):
    with run_batch(CASES, factory, jobs=2, max_tasks=3) as results:
        assert {r.file: r.to_dict() for r in results} == serial


def test_sigkill_mid_case_costs_that_case_only(factory, serial, victim, monkeypatch):
    plant(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))
    files = with_victim(victim)
    with run_batch(files, factory, jobs=2) as results:
        assert_only_victim_lost(results, files, victim, serial, "engine_error", ["SIGKILL", "not checked"])
        assert exit_code(results) == EXIT_INTERNAL


def test_real_segfault_in_the_engine_costs_that_case_only(factory, serial, victim, monkeypatch):
    def unsafe_encoder():
        # An exponent float with no '.' as the first fact: the C parser leaves the state offset
        # uninitialised and the process segfaults (docs/architecture.md#h7, rc -11).
        monkeypatch.setattr(checker.engine, "encode", lambda facts: '[{"v":1e-05,"sid":"c"}]')
    plant(monkeypatch, unsafe_encoder)
    files = with_victim(victim)
    with run_batch(files, factory, jobs=2) as results:
        assert_only_victim_lost(results, files, victim, serial, "engine_error", ["SIGSEGV", "segmentation"])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_case_is_stopped_at_the_timeout(factory, serial, victim, monkeypatch, jobs):
    """In worker processes the worker is killed; in this process (one file, -j 1) an alarm stops it."""
    plant(monkeypatch, lambda: time.sleep(60))
    files = with_victim(victim)
    with run_batch(files, factory, jobs=jobs, timeout=2) as results:
        assert_only_victim_lost(results, files, victim, serial, "engine_error", ["longer than 2 s"])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_is_an_internal_error_of_that_case_and_exit_3(factory, serial, victim, monkeypatch, jobs,
                                                              capfd):
    def bug():
        raise ZeroDivisionError("planted bug")
    plant(monkeypatch, bug)
    files = with_victim(victim)
    with run_batch(files, factory, jobs=jobs) as results:
        assert_only_victim_lost(results, files, victim, serial, "internal_error",
                                ["ZeroDivisionError", "planted bug"])
        assert exit_code(results) == EXIT_INTERNAL
        assert "Traceback" in capfd.readouterr().err


def test_summary_counts_top_rules_and_boards(factory):
    with run_batch(CASES, factory, jobs=2) as results:
        s = summary(results)
        assert s["cases"] == len(CASES) == sum(row["cases"] for row in s["by_board"].values())
        assert sum(s[k] for k in ("clean", "violations", "not_evaluable", "not_checked", "input_error",
                                  "engine_error", "internal_error")) == len(CASES)
        assert s["violations"] == sum(row["violations"] for row in s["by_board"].values())
        fired = [f.rule_id for r in results for f in r.findings if f.status == "violation"]
        top = s["top_rules"]
        assert top[0][1] == max(fired.count(rule) for rule in set(fired))
        assert all(n == fired.count(rule) for rule, n in top)
        assert {"chinext", "star", "restructuring"} <= set(s["by_board"])


def children(pid: int) -> list[int]:
    return sorted(child for child, parent in parents().items() if parent == pid)


@linux_only
def test_killing_a_worker_of_the_cli_mid_batch_costs_at_most_its_case(tmp_path):
    """A real `offering-check -j 2` batch, one worker SIGKILLed from outside.

    Which case the worker was on is the pool's to know, not the test's: it may even have been
    between cases. So: every case is reported exactly once, at most one is lost, a lost one is an
    engine error naming SIGKILL (exit 3), and every other case has its normal result."""
    files = []
    for copy in range(8):
        folder = tmp_path / "cases" / f"copy{copy}"
        folder.mkdir(parents=True)
        for case in CASES:
            target = folder / f"{os.path.basename(os.path.dirname(case))}-{os.path.basename(case)}"
            shutil.copy(case, target)
            files.append(str(target))
    report = tmp_path / "report.json"
    proc = subprocess.Popen([sys.executable, "-m", "checker", str(tmp_path / "cases"), "-j", "2",
                             "--format", f"json={report}"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        if len(workers) == 2:
            time.sleep(0.3)            # let the batch get going
            killed = children(proc.pid)[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.01)
    _out, err = proc.communicate(timeout=300)
    assert killed is not None, "the batch ended before a worker could be killed: " + err[-500:]
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert sorted(c["file"] for c in doc["cases"]) == sorted(files)
    lost = [c for c in doc["cases"] if c["status"] == "engine_error"]
    assert len(lost) <= 1
    if lost:
        assert "SIGKILL" in lost[0]["error"]["message"]
        assert proc.returncode == EXIT_INTERNAL
    else:
        assert proc.returncode == 1
    by_name = {}
    for c in doc["cases"]:
        if c["status"] != "engine_error":
            by_name.setdefault(os.path.basename(c["file"]), set()).add(c["status"])
    assert all(len(statuses) == 1 for statuses in by_name.values())   # the copies agree
    print(f"killed worker {killed}; cases lost: {len(lost)} of {len(files)}")


def run_with_terminal_stderr(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout piped); return rc, stdout, terminal text."""
    import pty
    import threading
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=slave, env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"})
    os.close(slave)
    chunks: list[bytes] = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)
    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = proc.communicate(timeout=300)
    reader.join(10)
    os.close(master)
    return proc.returncode, out.decode(), b"".join(chunks).decode(errors="replace")


@linux_only
def test_progress_bar_on_a_terminal_only():
    rc, out, terminal = run_with_terminal_stderr(["cases/", "--lang", "en", "--format", "json"])
    assert rc == 1 and json.loads(out)["summary"]["cases"] == len(CASES)
    assert "checking" in terminal and f"{len(CASES)}/{len(CASES)}" in terminal
    assert "with violations" in terminal
    piped = subprocess.run([sys.executable, "-m", "checker", "cases/", "--lang", "en", "--format", "json"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 1 and "checking" not in piped.stderr and "━" not in piped.stderr


def test_jobs_must_be_a_positive_number():
    for bad, lang, words in (("0", "zh", "不是正整数"), ("-1", "en", "positive whole number"),
                             ("two", "en", "positive whole number")):
        proc = subprocess.run([sys.executable, "-m", "checker", "cases/", "-j", bad, "--lang", lang], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and words in proc.stderr




def test_summary_and_waiver_lists_gathered_on_arrival_equal_a_pass_over_the_results(tmp_path):
    """Without filters the header and summary come from the briefs as workers return them (any
    order); with a filter, from one pass over the spool. A filter keeping everything must agree,
    waiver lists in input order included, at -j 1 and -j 2."""
    from checker import cli
    folder = tmp_path / "cases"
    shutil.copytree(os.path.join(ROOT, "cases"), folder, ignore=shutil.ignore_patterns("schema"))
    waived = folder / "waived" / "ma-controller-lockup-waived.yaml"
    text = waived.read_text(encoding="utf-8")
    for i, expires in enumerate(["2020-01-01", "2027-12-31", "2027-12-31"]):   # expired, applied, applied
        (folder / "waived" / f"copy-{i}.yaml").write_text(
            text.replace("expires: ", f"expires: {expires} #", 1), encoding="utf-8")
    reports = []
    for jobs in ("1", "2"):
        for extra in ([], ["--rule", "*"]):
            out = tmp_path / f"r{jobs}{len(extra)}.json"
            code = cli.main([str(folder), "-j", jobs, "--today", "2026-11-21", "--format", f"json={out}", *extra])
            report = json.loads(out.read_text(encoding="utf-8"))
            reports.append((code, {k: report[k] for k in ("summary", "exit_code", "waivers", "waivers_expired",
                                                          "waivers_unused")}))
    assert all(r == reports[0] for r in reports), reports
    code, head = reports[0]
    bundled = sum(1 for _ in Path(ROOT, "cases").rglob("*.yaml") if "schema" not in _.parts)
    assert head["summary"]["cases"] == bundled + 3 and len(head["waivers"]) >= 3 and head["waivers_expired"]
    assert [w["file"] for w in head["waivers"]] == sorted(w["file"] for w in head["waivers"])
