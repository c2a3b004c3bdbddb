"""The result cache: a re-run of unchanged files takes every result from it and writes the same
reports byte for byte, in process and with workers; a changed case file, rule pack or option
misses; waivers are judged on each run's day; a damaged or foreign cache is ignored and rewritten;
--no-cache, OFFERING_CHECK_CACHE=off and `cache --clear` do what they say."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker import digest, result_cache

from .conftest import ROOT

FORMATS = {"json": "r.json", "sarif": "r.sarif", "junit": "r.xml", "markdown": "r.md", "html": "r.html",
           "console": "r.txt"}
HITS = re.compile(r"offering-check: (\d+) (?:个文件的结果取自缓存（共 \d+ 个文件）|of \d+ file\(s\) from the result cache)")


def run(cache: Path, *args, epoch: str = "1777593600"):
    env = {**os.environ, "OFFERING_CHECK_CACHE": str(cache), "SOURCE_DATE_EPOCH": epoch, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def hits(proc) -> int:
    found = HITS.search(proc.stderr)
    return int(found.group(1)) if found else 0


@pytest.fixture()
def batch(tmp_path):
    folder = tmp_path / "cases"
    for sub in ("ipo", "violations", "waived", "investor", "restructuring"):
        shutil.copytree(Path(ROOT, "cases", sub), folder / sub)
    shutil.copy(Path(ROOT, "tests/data/malformed-case.yaml"), folder / "malformed-case.yaml")
    return folder


def reports(tmp_path: Path, cache: Path, folder: Path, name: str, *extra):
    out = tmp_path / name
    out.mkdir()
    spec = ",".join(f"{fmt}={out / file}" for fmt, file in FORMATS.items())
    proc = run(cache, folder, "--format", spec, "--today", "2026-05-01", *extra)
    files = {fmt: (out / file).read_bytes() for fmt, file in FORMATS.items()}
    return proc, files


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rerun_takes_every_result_from_the_cache_and_writes_the_same_reports(tmp_path, batch, jobs):
    cache = tmp_path / "cache"
    off, plain = reports(tmp_path, cache, batch, "off", "-j", jobs, "--no-cache")
    assert not list((cache / "results").glob("pack-*"))
    cold, first = reports(tmp_path, cache, batch, "cold", "-j", jobs)
    warm, second = reports(tmp_path, cache, batch, "warm", "-j", jobs)
    total = len(list(batch.rglob("*.yaml")))
    assert hits(off) == hits(cold) == 0 and hits(warm) == total > 20
    assert off.returncode == cold.returncode == warm.returncode == 2     # the malformed case
    for fmt in FORMATS:
        assert plain[fmt] == first[fmt] == second[fmt], fmt
    assert len(list((cache / "results").glob("pack-*.idx"))) == 1         # the warm run added no pack


LINES_OPTIONS = [(), ("--lang", "en"), ("--accept-uncovered",), ("--fail-on", "warning"),
                 ("--fail-on", "warning", "--accept-uncovered", "--lang", "en"), ("--fail-on", "not-evaluated"),
                 ("--no-waivers",), ("--today", "2030-01-01")]


def without_hits(stderr: str) -> str:
    return "".join(line for line in stderr.splitlines(keepends=True) if not HITS.match(line))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_lines_only_rerun_shows_and_counts_what_a_run_without_the_cache_does(tmp_path, batch, jobs):
    """A re-run whose only report is the lines report reads only the cached digests: its lines, its
    summary line and its exit code are those of a run without the cache, under every policy."""
    shutil.copy(Path(ROOT, "tests/data/sme-after-merger.yaml"), batch / "sme-after-merger.yaml")  # not checked
    cache = tmp_path / "cache"
    total = len(list(batch.rglob("*.yaml")))
    for options in LINES_OPTIONS:
        args = (batch, "--format", "lines", "-j", jobs, *options)
        plain = run(cache, *args, "--no-cache")
        run(cache, *args)
        warm = run(cache, *args)
        assert hits(warm) == total, options
        assert (warm.stdout, without_hits(warm.stderr), warm.returncode) == \
            (plain.stdout, plain.stderr, plain.returncode), options
        assert "[not-checked" in plain.stdout
        assert ("[error waived]" in plain.stdout) == (options not in (("--no-waivers",), ("--today", "2030-01-01")))


def test_a_warm_lines_only_rerun_imports_no_loader_validator_or_catalogue(tmp_path, batch):
    """The lean start-up of a re-run served by the cache: the case files are read and hashed, the
    digests read; PyYAML, pydantic, rich, the rule packs and the engine are never imported."""
    cache = tmp_path / "cache"
    run(cache, batch, "--format", "lines")
    code = ("import sys\nfrom checker.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(*sorted(sys.modules), file=sys.stderr)")
    env = {**os.environ, "OFFERING_CHECK_CACHE": str(cache)}
    warm = subprocess.run([sys.executable, "-c", code, str(batch), "--format", "lines", "-j", "2"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert hits(warm) == len(list(batch.rglob("*.yaml")))
    modules = set(warm.stderr.splitlines()[-1].split())
    assert "checker.commands" in modules and "checker.result_cache" in modules   # the list is the run's
    assert not modules & {"yaml", "pydantic", "rich", "durable", "checker.rulepack", "checker.check",
                          "checker.select", "checker.loading"}


def test_the_libyaml_check_agrees_with_pyyaml():
    """The cache key names whether PyYAML parses with libyaml without importing PyYAML."""
    import yaml

    from checker.versions import installed, libyaml
    assert libyaml() == yaml.__with_libyaml__
    assert installed("yaml", "PyYAML") == yaml.__version__


def test_no_cache_neither_reads_nor_writes(tmp_path, batch):
    cache = tmp_path / "cache"
    assert hits(run(cache, batch, "--no-cache", "--format", "json")) == 0
    assert not list((cache / "results").glob("pack-*"))
    run(cache, batch, "--format", "json")
    assert hits(run(cache, batch, "--no-cache", "--format", "json")) == 0
    off = run(tmp_path / "unused", batch, "--format", "json")
    env_off = subprocess.run([sys.executable, "-m", "checker", batch, "--format", "json"], cwd=ROOT,
                             env={**os.environ, "OFFERING_CHECK_CACHE": "off"}, capture_output=True, text=True,
                             timeout=600)
    assert hits(env_off) == 0 and off.returncode == env_off.returncode


def test_a_changed_case_file_misses_and_only_it(tmp_path, batch):
    cache = tmp_path / "cache"
    total = len(list(batch.rglob("*.yaml")))
    run(cache, batch, "--format", "json")
    case = batch / "ipo/dapuwei-2026.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("    months: 6\n", "    months: 5\n", 1),
                    encoding="utf-8")
    proc = run(cache, batch, "--format", "lines")
    assert hits(proc) == total - 1
    assert "dapuwei-2026.yaml:91:" in proc.stdout and "ipo.offline.lockup_min.months" in proc.stdout


def test_a_changed_rule_pack_or_option_misses(tmp_path, batch):
    cache = tmp_path / "cache"
    total = len(list(batch.rglob("*.yaml")))
    rules = tmp_path / "rules"
    shutil.copytree(Path(ROOT, "rules"), rules)
    assert hits(run(cache, batch, "--rules", rules, "--format", "json")) == 0
    assert hits(run(cache, batch, "--rules", rules, "--format", "json")) == total
    pack = next(rules.rglob("*.yaml"))
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert hits(run(cache, batch, "--rules", rules, "--format", "json")) == 0
    assert hits(run(cache, batch, "--rules", rules, "--format", "json", "--as-of", "2026-01-05")) == 0
    assert hits(run(cache, batch, "--rules", rules, "--format", "json", "--as-of", "2026-01-05")) == total


def test_a_run_reads_only_the_packs_made_under_its_own_salt(tmp_path):
    """A pack from another catalogue, version or --as-of can never hit: its index is not even read."""
    from checker.findings import CaseResult
    result = CaseResult.for_file("x.yaml")
    first = result_cache.ResultCache(str(tmp_path), b"a" * 32, "2026-05-01", True)
    first.store(b"k" * 32, False, result.brief(), b"data", digest.encode(digest.of(result)))
    first.close()
    assert result_cache.ResultCache(str(tmp_path), b"b" * 32, "2026-05-01", True).index == {}
    again = result_cache.ResultCache(str(tmp_path), b"a" * 32, "2026-05-01", True)
    assert list(again.index) == [b"k" * 32] and again._record(again.index[b"k" * 32], None).data == b"data"


def test_waivers_are_judged_on_each_runs_day(tmp_path):
    cache = tmp_path / "cache"
    case = Path(ROOT, "cases/waived/ma-controller-lockup-waived.yaml")   # its waiver expires 2027-06-30
    before = run(cache, case, "--today", "2027-06-30", "--format", "lines")
    assert before.returncode == 0 and "[error waived]" in before.stdout
    after = run(cache, case, "--today", "2027-07-01", "--format", "lines")
    assert hits(after) == 0 and after.returncode == 1 and "waiver-expired" in after.stdout
    assert hits(run(cache, case, "--today", "2027-07-01", "--format", "lines")) == 1
    again = run(cache, case, "--today", "2027-06-30", "--format", "lines")
    assert hits(again) == 1 and again.returncode == 0 and again.stdout == before.stdout
    off = run(cache, case, "--today", "2027-06-30", "--no-waivers", "--format", "lines")
    assert hits(off) == 0 and off.returncode == 1


def test_a_damaged_pack_or_index_is_ignored_and_rewritten(tmp_path, batch):
    cache = tmp_path / "cache"
    total = len(list(batch.rglob("*.yaml")))
    cold = run(cache, batch, "--format", "json")
    [data] = (cache / "results").glob("pack-*.bin")
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF                      # one record's CRC no longer matches
    data.write_bytes(bytes(raw))
    damaged = run(cache, batch, "--format", "json")
    assert total - 2 <= hits(damaged) < total and damaged.stdout == cold.stdout
    for idx in (cache / "results").glob("pack-*.idx"):
        idx.write_bytes(b"not a pickle")
    broken = run(cache, batch, "--format", "json")
    assert hits(broken) == 0 and broken.stdout == cold.stdout
    assert hits(run(cache, batch, "--format", "json")) == total        # rewritten


def test_a_cache_others_can_write_or_a_linked_index_is_not_read(tmp_path, batch):
    cache = tmp_path / "cache"
    total = len(list(batch.rglob("*.yaml")))
    run(cache, batch, "--format", "json")
    results = cache / "results"
    results.chmod(0o777)
    assert hits(run(cache, batch, "--format", "json")) == 0
    results.chmod(0o700)
    for idx in results.glob("pack-*.idx"):
        target = tmp_path / idx.name
        idx.rename(target)
        idx.symlink_to(target)
    assert hits(run(cache, batch, "--format", "json")) == 0
    assert hits(run(cache, batch, "--format", "json")) == total   # the new pack is read


def test_old_packs_are_pruned_to_the_bounds(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for k in range(5):
        for ext, size in ((".bin", 1000), (".idx", 10)):
            path = folder / f"pack-{k}{ext}"
            path.write_bytes(b"x" * size)
            os.utime(path, (1_000_000 + k, 1_000_000 + k))
    (folder / "pack-orphan.bin").write_bytes(b"y")                    # no index, old: removed
    os.utime(folder / "pack-orphan.bin", (1_000_000, 1_000_000))
    result_cache.prune(str(folder), max_packs=3, max_bytes=10**9)
    assert sorted(p.name for p in folder.iterdir()) == [f"pack-{k}{ext}" for k in (2, 3, 4) for ext in
                                                         (".bin", ".idx")]
    result_cache.prune(str(folder), max_packs=3, max_bytes=1500)
    assert sorted(p.name for p in folder.iterdir()) == ["pack-4.bin", "pack-4.idx"]
    result_cache.prune(str(folder), max_packs=3, max_bytes=10)   # the newest pack alone is past the bound
    assert sorted(p.name for p in folder.iterdir()) == ["pack-4.bin", "pack-4.idx"]


def test_engine_errors_are_never_stored(tmp_path):
    from checker.findings import CaseResult
    cache = result_cache.ResultCache(str(tmp_path), b"salt", "2026-05-01", True)
    broken = CaseResult.for_file("x.yaml").fail("engine_error", "the worker died")
    cache.store(b"k" * 32, False, broken.brief(), b"data", digest.encode(digest.of(broken)))
    cache.close()
    assert not list((tmp_path / "results").glob("pack-*"))


def test_the_cache_command_reports_and_clears(tmp_path, batch):
    cache = tmp_path / "cache"
    run(cache, batch, "--format", "json")
    info = run(cache, "cache", "--lang", "en")
    assert info.returncode == 0 and f"cache at {cache}: 1 result pack(s)" in info.stdout
    cleared = run(cache, "cache", "--clear", "--lang", "en")
    assert cleared.returncode == 0 and re.search(r"\d+ cache file\(s\) removed", cleared.stdout)
    assert not list((cache / "results").glob("pack-*")) and not list(cache.glob("catalogue-*"))
    assert hits(run(cache, batch, "--format", "json")) == 0
