"""A batch holds no results: they are spooled to a private temp file and reports stream from it.

The memory proof traces the parent's allocations (tracemalloc) while it checks N and 4N generated
cases and writes the JSON report; the peak must stay under a fixed bound that a held list of the
same results exceeds (measured in the same test, so the bound is shown to be able to fail).
"""

import io
import json
import os
import stat
import tracemalloc

import pytest

from bench.generate import generate
from checker import policy
from checker.batch import run_batch
from checker.batch.pool import WorkerPool
from checker.batch.spool import ResultSpool
from checker.check import Options
from checker.commands import CheckerFactory
from checker.findings import CaseResult, Outline
from checker.policy import Tally, summary
from checker.report import emit, json_report, lines
from checker.rulepack import load_catalogue, rules_dir

from .conftest import DAPUWEI, ROOT

MB = 2**20
BOUND = 6 * MB      # the parent's traced peak, whatever the batch size (measured: ≈2.3 MB)


@pytest.fixture(scope="module")
def factory():
    return CheckerFactory(rules_dir(), Options(today=None), load_catalogue(rules_dir()))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(240, str(tmp_path_factory.mktemp("spool") / "cases"), seed=3)


def spooled_fds(folder) -> list[str]:
    """This process's open files in `folder` (an unlinked spool shows as '… (deleted)')."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def test_reads_in_input_order_any_number_of_times_as_fresh_objects(tmp_path):
    results = [CaseResult.for_file(f"case{i}.yaml") for i in range(5)]
    with ResultSpool(5, folder=str(tmp_path)) as spool:
        for i in (3, 0, 4, 1):                           # arrival order is not input order
            spool.put(i, results[i])
        assert spool.missing() == [2]
        with pytest.raises(LookupError, match="result 2 has not arrived"):
            spool[2]
        spool.put(2, results[2])
        with pytest.raises(ValueError, match="already spooled"):
            spool.put(2, results[2])
        assert [r.file for r in spool] == [r.file for r in spool] == [f"case{i}.yaml" for i in range(5)]
        assert len(spool) == 5 and spool[-1].file == "case4.yaml" and [r.file for r in spool[1:3]] == [
            "case1.yaml", "case2.yaml"]
        first = spool[0]
        first.case_id = "changed"
        assert spool[0] is not first and spool[0].case_id == "case0"
        with pytest.raises(IndexError):
            spool[5]


def test_the_spool_file_is_private_unlinked_and_gone_when_closed(tmp_path):
    spool = ResultSpool(1, folder=str(tmp_path))
    spool.put(0, CaseResult.for_file("a.yaml"))
    info = os.fstat(spool._file.fileno())
    assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_nlink == 0   # no name anyone could open
    assert os.listdir(tmp_path) == [] and len(spooled_fds(tmp_path)) == 1
    spool.close()
    assert spool.closed and spooled_fds(tmp_path) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_interrupted_batch_closes_its_spool(tmp_path, factory, monkeypatch, jobs):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    seen = []

    def interrupt(_index, result):
        seen.append(result.file)
        if len(seen) == 3:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_batch([DAPUWEI] * 6, factory, jobs=jobs, on_result=interrupt)
    assert len(seen) == 3 and spooled_fds(tmp_path) == [] and os.listdir(tmp_path) == []


def test_a_soak_keeps_nothing(factory):
    seen = []
    assert WorkerPool(factory, 2).run([DAPUWEI] * 4, seen.append, keep=False) is None
    assert len(seen) == 4


def traced_peak(files, factory, jobs, folder) -> tuple[int, int]:
    """The parent's traced peak over the batch, the summary pass and the JSON report, and the
    traced size of the same results held in a list."""
    tracemalloc.start()
    try:
        with run_batch(files, factory, jobs=jobs) as spool:
            tally = Tally()
            for result in spool:
                tally.add(result)
            with open(folder / "r.json", "w", encoding="utf-8") as fh:
                json_report.write(fh, spool, {"tool": "t"}, tally.summary())
            peak = tracemalloc.get_traced_memory()[1]
            held = list(spool)
            held_size = tracemalloc.get_traced_memory()[0]
            assert len(held) == len(files)
    finally:
        tracemalloc.stop()
    return peak, held_size


def test_the_parent_holds_no_results_in_process(factory, generated, tmp_path):
    with run_batch(generated[:10], factory, jobs=1) as warm:    # imports, per-day rule lists
        list(warm)
    small, held_small = traced_peak(generated[:60], factory, 1, tmp_path)
    large, held_large = traced_peak(generated, factory, 1, tmp_path)
    print(f"traced peak {small / MB:.1f} MB at 60 cases, {large / MB:.1f} MB at 240; a held list "
          f"{held_small / MB:.1f} and {held_large / MB:.1f} MB")
    assert small < BOUND and large < BOUND
    assert held_large > 2 * BOUND          # what the bound guards against: results kept in memory


def test_the_parent_holds_no_results_with_workers(factory, generated, tmp_path):
    peak, held = traced_peak(generated, factory, 2, tmp_path)
    print(f"traced peak of the parent {peak / MB:.1f} MB at 240 cases; a held list {held / MB:.1f} MB")
    assert peak < BOUND < held


def test_a_json_report_of_2000_cases_streams_from_the_spool(factory, generated, tmp_path):
    files = []
    for i in range(2000):                  # the 240 generated cases again under new names (generating is slow)
        files.append(str(tmp_path / f"case{i:04d}.yaml"))
        os.link(generated[i % len(generated)], files[-1])
    with run_batch(files, factory, jobs=2) as spool:
        expected = summary(spool)
        target = tmp_path / "r.json"
        emit.emit([("json", str(target))], spool, {"tool": {"name": "offering-check"}}, expected, "en")
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert len(doc["cases"]) == 2000 and [c["file"] for c in doc["cases"]] == files
        assert doc["summary"] == json.loads(json.dumps(expected))
        assert doc["summary"]["cases"] == 2000 and doc["summary"]["violations"] > 0
        assert all(case == json.loads(json.dumps(r.to_dict(), default=str))   # as the policy marked them
                   for case, r in zip(doc["cases"], policy.marked(spool, {}), strict=True))


def test_streamed_json_is_byte_for_byte_the_whole_document_dumped_at_once(factory):
    """The streamed writer against the old one-shot `json.dumps` of the whole document."""
    paths = [DAPUWEI, os.path.join(ROOT, "cases/violations/strategic-over-20pct.yaml"), "/nonexistent.yaml"]
    with run_batch(paths, factory, jobs=1) as spool:
        header = {"tool": {"name": "offering-check", "version": "0"}, "filters": None, "waivers": []}
        stats = summary(spool)
        whole = {"schema_version": json_report.SCHEMA_VERSION, **header, "summary": stats,
                 "cases": [r.to_dict() for r in policy.marked(spool, header)]}
        once = json.dumps(whole, ensure_ascii=False, indent=2, default=str) + "\n"
        assert emit.render("json", spool, header, stats, "zh") == once
        empty = {**whole, "cases": []}
        assert emit.render("json", [], header, stats, "zh") == json.dumps(
            empty, ensure_ascii=False, indent=2, default=str) + "\n"


class CountingSpool(ResultSpool):
    """A spool that counts the results it unpickles."""

    reads = 0

    def __getitem__(self, index):
        self.reads += 1
        return super().__getitem__(index)


@pytest.mark.parametrize("fail_on", ["error", "not-evaluated"])
def test_the_lines_report_reads_only_the_cases_it_lists(factory, generated, fail_on):
    files = [*generated[:80], "/nonexistent.yaml"]
    checker = factory()
    results = [checker.check_file(p) for p in files]
    spool = CountingSpool(len(results))
    with spool:
        for i, r in enumerate(results):
            spool.put(i, r)
        assert [spool.outline(i) for i in range(len(results))] == [Outline.of(r) for r in results]
        assert [Outline.of(r.brief()) for r in results] == [Outline.of(r) for r in results]
        header = {"fail_on": fail_on, "exit_code": 1}
        from_spool, from_list = io.StringIO(), io.StringIO()
        said = lines.write(from_spool, spool, header, {}, "en")
        assert said == lines.write(from_list, results, header, {}, "en")
        assert from_spool.getvalue() == from_list.getvalue() and from_spool.getvalue().count("\n") > 20
        listed = [r for r in results if r.error or any(policy.listed(f, fail_on) for f in r.findings)
                  or any(n["kind"].startswith("waiver_") for n in r.notices)]
        assert spool.reads == len(listed)
        if fail_on == "error":
            assert 0 < len(listed) < len(results)   # some cases were skipped unread
        else:
            assert "not evaluated (listed)" in said


def test_a_full_temporary_folder_says_so_with_what_a_case_needs():
    """The spool on a device that is full (/dev/full answers every write with ENOSPC)."""
    from checker.errors import EXIT_INTERNAL, SpaceError
    spool = ResultSpool(5000)
    try:
        spool.put(0, CaseResult.for_file("a.yaml"))            # room for the first one
        spool._file.close()
        spool._file = open("/dev/full", "r+b")                 # noqa: SIM115 (closed by spool.close)
        with pytest.raises(SpaceError) as info:
            spool.put(1, CaseResult.for_file("b.yaml"))
        assert info.value.exit_code == EXIT_INTERNAL
        assert "TMPDIR" in info.value.message and "5,000 cases" in info.value.message
    finally:
        spool.close()
