"""Verdicts that can be trusted: a case never checked is never clean, a rules date cannot switch
the case's own rules off unnoticed, a plan is judged as a plan, and findings point at the figure
that decides them, in the case's own words."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.examples import apply_set
from checker.humanize import percent
from checker.loading import load_file
from checker.rulepack import load_pack

from .conftest import DAPUWEI, ROOT, edited, line_of

VIOLATOR = str(Path(ROOT, "cases", "violations", "strategic-over-20pct.yaml"))
FORMATS = ("json", "sarif", "junit", "markdown", "html", "lines")


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=180)


def sme_plan(tmp_path) -> str:
    """A 2026 plan on the SME board, which ceased with its 2021 merger: nothing can be checked."""
    return edited(tmp_path, "board: chinext", "board: szse_sme", name="sme-plan.yaml")


def test_a_case_on_a_board_not_covered_is_not_checked_and_fails_the_run(tmp_path):
    path = sme_plan(tmp_path)
    proc = run(path, "--format", "lines")
    assert proc.returncode == 1, proc.stderr
    line = line_of(path, "board: szse_sme")
    assert proc.stdout.startswith(f"{path}:{line}:") and "coverage.not_checked [not-checked]" in proc.stdout
    assert "，1 个未检查（板块或日期未覆盖；计为失败" in proc.stderr
    accepted = run(path, "--format", "lines", "--accept-uncovered")
    assert accepted.returncode == 0
    assert "[not-checked accepted]" in accepted.stdout


def test_not_checked_has_its_own_status_and_count_in_every_format(tmp_path):
    path = sme_plan(tmp_path)
    targets = ",".join(f"{f}={tmp_path / ('out.' + f)}" for f in FORMATS)
    assert run(path, DAPUWEI, "--format", targets).returncode == 1
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert report["summary"]["not_checked"] == 1 and report["summary"]["clean"] == 0
    assert report["accept_uncovered"] is False
    case = next(c for c in report["cases"] if c["file"] == path)
    assert case["status"] == "not_checked" and case["coverage"] == "not_checked"
    assert next(c for c in report["cases"] if c["file"] == DAPUWEI)["coverage"] == "checked"
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "coverage.not_checked")
    assert result["kind"] == "fail" and result["level"] == "error"
    junit = (tmp_path / "out.junit").read_text(encoding="utf-8")
    assert '<testcase classname="dapuwei-2026" name="coverage.not_checked"' in junit
    assert '<failure type="error"' in junit.split('name="coverage.not_checked"')[1].split("</testcase>")[0]
    markdown = (tmp_path / "out.markdown").read_text(encoding="utf-8")
    assert "未检查" in markdown and "coverage.not\\_checked" in markdown
    assert 'class="badge not_checked"' in (tmp_path / "out.html").read_text(encoding="utf-8")


def test_accepting_uncovered_cases_is_recorded_in_the_header(tmp_path):
    out = tmp_path / "r.json"
    assert run(sme_plan(tmp_path), "--format", f"json={out}", "--accept-uncovered").returncode == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["accept_uncovered"] is True and report["summary"]["not_checked"] == 1


def test_a_case_dated_before_its_boards_start_is_not_checked_at_its_date(tmp_path):
    path = edited(tmp_path, "t_day: 2026-04-03", "t_day: 2019-04-03")
    proc = run(path, "--format", "lines")
    assert proc.returncode == 1
    assert f"{path}:{line_of(path, 't_day: 2019-04-03')}:" in proc.stdout and "not-checked" in proc.stdout


def test_a_rules_date_before_the_boards_start_cannot_switch_every_check_off(tmp_path):
    path = edited(tmp_path, "  t_day: 2026-04-03\n",
                  "  t_day: 2026-04-03\n  rules_date_reason: 过渡期安排\n  rules_date: 2020-01-01\n",
                  source=VIOLATOR)
    proc = run(path, "--format", "lines")
    assert proc.returncode == 1
    assert f"{path}:{line_of(path, 'rules_date: 2020-01-01')}:" in proc.stdout
    assert "coverage.not_checked" in proc.stdout


def test_a_rules_date_far_before_t_is_a_warning_at_its_line_that_fails_unless_accepted(tmp_path):
    path = edited(tmp_path, "  t_day: 2026-04-03\n",
                  "  t_day: 2026-04-03\n  rules_date_reason: 过渡期安排\n  rules_date: 2026-01-02\n")
    proc = run(path, "--format", "lines")
    assert proc.returncode == 1
    assert f"{path}:{line_of(path, 'rules_date: 2026-01-02')}:" in proc.stdout
    assert "coverage.rules_date [warning not-covered]" in proc.stdout
    assert run(path, "--format", "lines", "--accept-uncovered").returncode == 0
    near = edited(tmp_path, "  t_day: 2026-04-03\n",
                  "  t_day: 2026-04-03\n  rules_date_reason: 过渡期安排\n  rules_date: 2026-01-03\n",
                  name="near.yaml")
    out = tmp_path / "near.json"
    assert run(near, "--format", f"json={out}").returncode == 0   # exactly three months: no finding
    case = json.loads(out.read_text(encoding="utf-8"))["cases"][0]
    assert case["dates"] == {"rules": "2026-01-03", "rules_key": "timetable.rules_date", "event": "2026-04-03",
                             "event_key": "timetable.t_day", "reason": "过渡期安排"}


@pytest.mark.parametrize("text,needle", [
    ("  t_day: 2026-04-03\n  rules_date: 2026-03-01\n", "rules_date_reason"),
    ("  t_day: 2026-04-03\n  rules_date_reason: x\n  rules_date: 2026-04-04\n", "after t_day"),
])
def test_a_rules_date_without_reason_or_after_t_is_an_input_error_at_its_line(tmp_path, text, needle):
    path = edited(tmp_path, "  t_day: 2026-04-03\n", text)
    proc = run(path, "--format", "lines")
    assert proc.returncode == 2
    assert proc.stdout.startswith(f"{path}:{line_of(path, 'rules_date:')}:") and needle in proc.stdout


def test_a_restructuring_rules_date_after_its_announcement_is_an_input_error(tmp_path):
    source = str(Path(ROOT, "cases", "restructuring", "zhongxin-zhuyuan.yaml"))
    path = edited(tmp_path, "rules_date: 2015-01-28", "rules_date: 2015-01-28\nannouncement_date: 2015-01-01",
                  source=source)
    proc = run(path, "--format", "lines")
    assert proc.returncode == 2 and "after announcement_date" in proc.stdout


def test_reports_show_the_rules_date_beside_the_cases_own_date(tmp_path):
    path = edited(tmp_path, "  t_day: 2026-04-03\n",
                  "  t_day: 2026-04-03\n  rules_date_reason: 询价公告早于新规\n  rules_date: 2026-03-20\n")
    for fmt in ("markdown", "console", "junit"):
        out = run(path, "--format", fmt).stdout.replace("\\_", "_")   # markdown escapes _
        assert "2026-03-20" in out and "timetable.t_day 2026-04-03" in out and "询价公告早于新规" in out, fmt


HOLDERS = {"complete": True, "filing_date": dt.date(2025, 6, 30), "new_holders_dated": True,
           "items": [{"name": "控股股东", "relationship": "controlling_holder", "shares": 1000, "lockup_months": 36,
                      "price_drop_extension_months": 6, "since_profitable_lockup": True}]}
HOLDERS_TEXT = ("holders:\n  complete: true\n  filing_date: 2025-06-30\n  new_holders_dated: true\n  items:\n"
                "    - {name: 控股股东, relationship: controlling_holder, shares: 1000, lockup_months: 36,\n"
                "       price_drop_extension_months: 6, since_profitable_lockup: true}\n")


def complete_plan():
    """大普微 as a plan with every plan-stage figure a rule needs (the figures added are fictitious)."""
    return apply_set(load_file(DAPUWEI), {"issuer.listing_standard_market_cap": 5000000000,
                                          "strategic.investors.2.investor_count": 5,
                                          "allocation.online_cap_shares": 6500,
                                          "offering.par_value": 1, "holders": HOLDERS})


def test_a_complete_plan_passes_fail_on_not_evaluated_with_results_stage_rules_pending(checker, tmp_path):
    result = checker.check_document(DAPUWEI, complete_plan())
    statuses = {f.status for f in result.findings}
    assert statuses == {"pending"}, [(f.rule_id, f.status) for f in result.findings]
    pending = {f.rule_id for f in result.findings}
    assert {"ipo.abort.paid_below_70pct", "ipo.clawback.tiers.chinext_mid"} <= pending
    assert all(checker.catalogue.by_id(r).spec.stage == "results" for r in pending)
    assert result.status == "clean" and result.coverage == "checked"
    path = tmp_path / "plan.yaml"
    text = Path(DAPUWEI).read_text(encoding="utf-8").replace("      aggregate: true\n",
                                                             "      aggregate: true\n      investor_count: 5\n")
    text = text.replace("issuer:\n", "issuer:\n  listing_standard_market_cap: 5000000000\n", 1)
    text = text.replace("offering:\n", "offering:\n  par_value: 1.00\n", 1).replace("outcome:\n", HOLDERS_TEXT + "outcome:\n", 1)
    path.write_text(text.replace("allocation:\n", "allocation:\n  online_cap_shares: 6500\n", 1), encoding="utf-8")
    proc = run(path, "--format", "lines", "--fail-on", "not-evaluated")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "" and f"{len(pending)} 项待发行结果" in proc.stderr


def test_the_same_rule_past_the_plan_stage_is_not_evaluated(checker):
    doc = apply_set(complete_plan(), {"outcome.status": "completed"})
    result = checker.check_document(DAPUWEI, doc)
    paid = next(f for f in result.findings if f.rule_id == "ipo.abort.paid_below_70pct")
    assert paid.status == "not_evaluated"


def test_a_rule_reading_results_must_declare_its_stage(tmp_path):
    pack = Path(ROOT, "rules", "ipo", "abort.yaml").read_text(encoding="utf-8")
    assert "    stage: results\n" in pack
    bad = tmp_path / "abort.yaml"
    bad.write_text(pack.replace("    stage: results\n", "", 1), encoding="utf-8")
    with pytest.raises(Exception, match="declare `stage: results`") as err:
        load_pack(str(bad))
    assert err.value.position.line > 1


def test_a_missing_block_is_pointed_at_where_it_belongs_never_at_case_type(checker):
    result = checker.check_file(str(Path(ROOT, "cases", "real", "chaoyan-2025.yaml")))
    path = str(Path(ROOT, "cases", "real", "chaoyan-2025.yaml"))
    case_type_line = line_of(path, "case_type:")
    assert all(f.position.line != case_type_line for f in result.findings)
    paid = next(f for f in result.findings if f.rule_id == "ipo.abort.paid_below_70pct")
    assert paid.position.line == line_of(path, "outcome:")   # results: belongs just before it


def test_not_evaluated_names_the_key_the_case_writes(checker, tmp_path):
    result = checker.check_file(DAPUWEI)
    texts = " ".join(f.message["zh"] + f.message["en"] + " ".join(f.missing) for f in result.findings)
    assert "payment_cutoff_minutes" not in texts and "excluded_ratio_num" not in texts
    count = next(f for f in result.findings if f.rule_id.startswith("ipo.strategic.investor_count_max"))
    assert count.missing == ["strategic.investors[2].investor_count"]
    path = edited(tmp_path, '  payment_cutoff: "16:00"\n', "")
    cutoff = next(f for f in checker.check_file(path).findings if f.rule_id == "ipo.payment.offline_cutoff_time")
    assert cutoff.missing == ["timetable.payment_cutoff"]
    assert "stated" not in cutoff.message["zh"] and "minutes" not in cutoff.message["zh"]


def test_one_share_over_a_limit_never_reads_as_equal_to_it():
    from fractions import Fraction
    assert percent(Fraction(3512001, 35120000)) == "10.000003%"
    assert percent(Fraction(8724328, 43621636)) == "20.000002%"
    assert percent(Fraction(1, 5)) == "20.0000%" and percent(Fraction(99999, 1000000)) == "9.9999%"


def test_a_rule_over_several_figures_points_at_the_first_and_lists_the_others(checker):
    path = str(Path(ROOT, "cases", "violations", "completed-below-70pct.yaml"))
    finding = next(f for f in checker.check_file(path).findings if f.rule_id == "ipo.abort.paid_below_70pct")
    assert finding.position.line == line_of(path, "offline_paid_shares:")
    related = {r["line"]: r["label"] for r in finding.related}
    assert related[line_of(path, "online_paid_shares:")] == "results.online_paid_shares"
    assert line_of(path, "issue_shares:") in related


def test_a_total_of_one_line_points_at_that_line(checker):
    path = str(Path(ROOT, "cases", "real", "chaoyan-2025.yaml"))
    doc = apply_set(load_file(path), {"strategic.investors.0.shares": 6424945})
    finding = next(f for f in checker.check_document(path, doc).findings
                   if f.rule_id == "ipo.strategic.employee_plan_cap")
    assert finding.position.line == line_of(path, "shares: 5895522")
    assert "10.0000%" not in finding.message["zh"]
