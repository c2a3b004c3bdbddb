"""The golden reports (tests/golden): a small fixed batch in every format and both languages, each
compared byte for byte with its kept copy. After an intended change to a report:

    python -m tests.golden --update && git diff tests/golden
"""

import datetime as dt
import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.commands import rules_hash

from .conftest import ROOT, RULES
from .golden import BATCH, DAY, FILES, HASH_PLACEHOLDER, HERE, LANGS, environment, generate, golden_files

EXCERPT = 80   # diff lines shown on a failure


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    folder = tmp_path_factory.mktemp("golden")
    return folder, generate(folder)


def excerpt(rel: str, want: bytes, got: bytes) -> str:
    diff = list(difflib.unified_diff(want.decode("utf-8", "replace").splitlines(),
                                     got.decode("utf-8", "replace").splitlines(),
                                     f"tests/golden/{rel}", "this run", n=2, lineterm=""))
    if not diff:   # the same lines: line endings or the final newline differ
        at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), min(len(want), len(got)))
        return f"same lines, other bytes from offset {at}: {want[at:at + 20]!r} here, {got[at:at + 20]!r} now"
    more = f"\n… {len(diff) - EXCERPT} more diff line(s)" if len(diff) > EXCERPT else ""
    return "\n".join(line[:300] for line in diff[:EXCERPT]) + more


@pytest.mark.parametrize("rel", golden_files())
def test_the_report_is_its_golden_file_byte_for_byte(fresh, rel):
    got, want = fresh[1]["files"][rel], (HERE / rel).read_bytes()
    if got != want:
        pytest.fail(f"tests/golden/{rel} differs from this run (if the change is intended: "
                    f"python -m tests.golden --update, then review git diff tests/golden)\n"
                    + excerpt(rel, want, got), pytrace=False)


def test_no_golden_file_is_left_over():
    kept = {p.relative_to(HERE).as_posix() for lang in LANGS for p in (HERE / lang).iterdir()}
    assert kept == set(golden_files())


def test_the_rules_hash_left_out_is_the_hash_of_the_rule_packs(fresh):
    assert fresh[1]["rules_hash"] == rules_hash(RULES)
    for rel in golden_files():
        if not rel.endswith(FILES["lines"]):    # the lines report has no header
            assert HASH_PLACEHOLDER.encode() in (HERE / rel).read_bytes(), rel


def test_the_json_report_is_one_for_both_languages(fresh):
    folder = fresh[0]
    assert (folder / "en" / FILES["json"]).read_bytes() == (folder / "zh" / FILES["json"]).read_bytes()


def test_the_batch_shows_every_kind_of_case():
    doc = json.loads((HERE / "zh" / FILES["json"]).read_text(encoding="utf-8"))
    assert [c["file"] for c in doc["cases"]] == BATCH
    statuses = {c["status"] for c in doc["cases"]}
    assert {"violations", "not_checked", "input_error", "not_evaluable"} <= statuses
    assert {"ipo", "restructuring", "investor"} <= {c.get("case_type") for c in doc["cases"]}
    assert any(f["status"] == "waived" for c in doc["cases"] for f in c["findings"])
    assert doc["run_date"] == doc["waivers_today"] == DAY and doc["exit_code"] == 2


def test_the_runs_exit_as_the_reports_say(fresh):
    assert fresh[1]["codes"] == {lang: 2 for lang in LANGS}


def _check(*args, epoch: str) -> subprocess.CompletedProcess:
    env = {**environment(), "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run([sys.executable, "-m", "checker", "check", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_source_date_epoch_sets_the_run_date_but_not_the_day_waivers_are_judged_on(tmp_path):
    # the waiver holds a year from now; judged on the epoch's day, two years on, it would have expired
    expires, later = (dt.date.today() + dt.timedelta(days=days) for days in (365, 730))
    waived = Path(ROOT, "cases/waived/ma-controller-lockup-waived.yaml").read_text(encoding="utf-8")
    assert "expires: 2027-06-30" in waived
    case = tmp_path / "case.yaml"
    case.write_text(waived.replace("expires: 2027-06-30", f"expires: {expires}"), encoding="utf-8")
    out = tmp_path / "report.json"
    epoch = int(dt.datetime(later.year, later.month, later.day, tzinfo=dt.UTC).timestamp())
    proc = _check(str(case), "--format", f"json={out}", epoch=str(epoch))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["run_date"] == later.isoformat() and doc["waivers_today"] < expires.isoformat()
    assert [f["status"] for f in doc["cases"][0]["findings"] if f["rule_id"] == "ma.lockup.36m_cases"] \
        == ["waived"]


@pytest.mark.parametrize("epoch", ["yesterday", "-1", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_a_usage_error_before_checking(tmp_path, epoch):
    out = tmp_path / "report.json"
    proc = _check(BATCH[0], "--format", f"json={out}", epoch=epoch)
    assert proc.returncode == 2
    assert f"SOURCE_DATE_EPOCH={epoch!r}" in proc.stderr and not out.exists()
