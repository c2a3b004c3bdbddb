"""Waivers on real case files: rule and item waivers, expiry against --today, unused and unknown
waivers, input errors, --no-waivers, what the reports show and the exit code."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.check import Checker, Options

from .conftest import DAPUWEI, ROOT, edited, line_of
from .test_ipo_limits import one_share_over_20pct, statuses

RULE = "ipo.consistency.percent.strategic_line"
SPONSOR = "国泰君安证券投资有限公司（证裕投资）"
EMPLOYEES = "海富通大普微员工参与创业板战略配售集合资产管理计划"
VIOLATOR = os.path.join(ROOT, "cases", "violations", "strategic-over-20pct.yaml")
WAIVED_CASE = os.path.join(ROOT, "cases", "waived", "ma-controller-lockup-waived.yaml")
COMPENSATION = os.path.join(ROOT, "cases", "violations", "ma-compensation-one-share-short.yaml")


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def waiver(rule: str, item: str | None = None, reason: str = "监管已书面同意", approver: str = "合规部 张三",
           expires: str | None = "2026-06-30") -> str:
    lines = [f"  - rule: {rule}"]
    if item is not None:
        lines.append(f"    item: {item}")
    lines += [f"    reason: {reason}", f"    approver: {approver}"]
    if expires is not None:
        lines.append(f"    expires: {expires}")
    return "\n".join(lines) + "\n"


def two_lines_wrong(tmp_path, *waivers: str) -> str:
    """大普微 with the stated percentage of two strategic lines off: RULE fires on both lines."""
    path = edited(tmp_path, "pct_of_issue: 3.00", "pct_of_issue: 3.50")
    text = Path(path).read_text(encoding="utf-8").replace("pct_of_issue: 5.97", "pct_of_issue: 6.50")
    if waivers:
        text += "\nwaivers:\n" + "".join(waivers)
    Path(path).write_text(text, encoding="utf-8")
    return path


def with_waivers(tmp_path, source: str, *waivers: str) -> str:
    text = Path(source).read_text(encoding="utf-8") + "\nwaivers:\n" + "".join(waivers)
    path = tmp_path / os.path.basename(source)
    path.write_text(text, encoding="utf-8")
    return str(path)


def check(catalogue, path: str, today: str = "2026-05-01", use: bool = True):
    return Checker(catalogue, Options(today=dt.date.fromisoformat(today), use_waivers=use)).check_file(path)


def by_status(result, status: str) -> list[tuple[str, str | None]]:
    return [(f.rule_id, f.item) for f in result.findings if f.status == status]


def test_the_rule_fires_on_both_lines_without_a_waiver(catalogue, tmp_path):
    result = check(catalogue, two_lines_wrong(tmp_path))
    assert by_status(result, "violation") == [(RULE, SPONSOR), (RULE, EMPLOYEES)]


def test_a_rule_waiver_covers_every_finding_of_the_rule(catalogue, tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE))
    result = check(catalogue, path)
    assert by_status(result, "violation") == []
    assert by_status(result, "waived") == [(RULE, SPONSOR), (RULE, EMPLOYEES)]
    for f in result.findings:
        if f.status == "waived":
            assert f.waiver["reason"] == "监管已书面同意" and f.waiver["approver"] == "合规部 张三"
            assert f.waiver["expires"] == "2026-06-30" and f.waiver["item"] is None
            assert f.waiver["location"]["line"] == line_of(path, f"- rule: {RULE}")
    assert result.notices == [] and result.status == "not_evaluable"   # dapuwei is at T-1: no results yet


def test_an_item_waiver_covers_only_that_item(catalogue, tmp_path):
    result = check(catalogue, two_lines_wrong(tmp_path, waiver(RULE, item=EMPLOYEES)))
    assert by_status(result, "waived") == [(RULE, EMPLOYEES)]
    assert by_status(result, "violation") == [(RULE, SPONSOR)]
    assert result.notices == []


def test_an_item_matches_its_name_with_ascii_brackets(catalogue, tmp_path):
    """NFKC: （证裕投资） and (证裕投资) are the same name; nothing looser is accepted."""
    ascii_name = SPONSOR.replace("（", "(").replace("）", ")")
    result = check(catalogue, two_lines_wrong(tmp_path, waiver(RULE, item=ascii_name)))
    assert by_status(result, "waived") == [(RULE, SPONSOR)]
    result = check(catalogue, two_lines_wrong(tmp_path, waiver(RULE, item="国泰君安证券投资有限公司")))
    assert by_status(result, "waived") == []


def test_an_item_that_matches_nothing_is_an_unused_waiver_naming_the_fired_items(catalogue, tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE, item="其他参与战略配售的投资者（含深创投集团）"))
    result = check(catalogue, path)
    assert by_status(result, "violation") == [(RULE, SPONSOR), (RULE, EMPLOYEES)]
    [notice] = result.notices
    assert notice["kind"] == "waiver_unused" and notice["level"] == "warning"
    assert notice["fired_on"] == [SPONSOR, EMPLOYEES]
    assert SPONSOR in notice["message"]["zh"] and EMPLOYEES in notice["message"]["en"]
    assert notice["location"]["line"] == line_of(path, "item: 其他参与战略配售的投资者")


def test_an_item_on_a_rule_about_the_whole_case_matches_nothing(catalogue, tmp_path):
    path = with_waivers(tmp_path, VIOLATOR, waiver("ipo.strategic.cap_ratio.lt100m", item="大普微"))
    result = check(catalogue, path)
    assert "ipo.strategic.cap_ratio.lt100m" in [r for r, _ in by_status(result, "violation")]
    [notice] = result.notices
    assert notice["kind"] == "waiver_unused" and notice["fired_on"] == [None]
    assert "the case as a whole, no item" in notice["message"]["en"]


def test_a_rule_waiver_that_matches_nothing_is_unused(catalogue, tmp_path):
    result = check(catalogue, with_waivers(tmp_path, DAPUWEI, waiver(RULE)))
    assert [(n["kind"], n["fired_on"]) for n in result.notices] == [("waiver_unused", [])]
    assert "no violation" in result.notices[0]["message"]["en"]


def test_a_compensation_year_is_an_item(catalogue, tmp_path):
    rule = "ma.comp.declared_matches_formula.shares"
    result = check(catalogue, with_waivers(tmp_path, COMPENSATION, waiver(rule, item="2014")))
    assert by_status(result, "waived") == [(rule, "2014")]
    path = with_waivers(tmp_path, COMPENSATION, waiver(rule, item="2015"))
    assert by_status(check(catalogue, path), "violation") == [(rule, "2014")]


@pytest.mark.parametrize("today, waived", [("2026-06-29", True), ("2026-06-30", True), ("2026-07-01", False)])
def test_a_waiver_applies_through_its_expiry_day(catalogue, tmp_path, today, waived):
    path = two_lines_wrong(tmp_path, waiver(RULE, expires="2026-06-30"))
    result = check(catalogue, path, today=today)
    assert bool(by_status(result, "waived")) is waived
    assert bool(by_status(result, "violation")) is not waived
    if waived:
        assert result.notices == []
    else:
        [notice] = result.notices
        assert notice["kind"] == "waiver_expired" and notice["expires"] == "2026-06-30"
        assert notice["today"] == "2026-07-01" and notice["violations"] == 2


def test_a_waiver_turns_a_violation_into_waived_until_it_expires(catalogue, tmp_path):
    path = one_share_over_20pct(tmp_path)
    text = Path(path).read_text(encoding="utf-8") + (
        "\nwaivers:\n  - rule: ipo.strategic.cap_ratio.lt100m\n    reason: 测试\n"
        "    approver: 合规部\n    expires: 2026-06-30\n")
    Path(path).write_text(text, encoding="utf-8")
    before = Checker(catalogue, Options(today=dt.date(2026, 6, 30))).check_file(path)
    after = Checker(catalogue, Options(today=dt.date(2026, 7, 1))).check_file(path)
    assert statuses(before, "waived") == ["ipo.strategic.cap_ratio.lt100m"]
    assert statuses(before, "violation") == []
    assert statuses(after, "violation") == ["ipo.strategic.cap_ratio.lt100m"]
    assert [n["kind"] for n in after.notices] == ["waiver_expired"]


@pytest.mark.parametrize("field, blank", [("reason", '"   "'), ("approver", '" "'), ("reason", '""')])
def test_a_blank_reason_or_approver_is_an_input_error_at_its_line(catalogue, tmp_path, field, blank):
    kwargs = {field: blank}
    path = two_lines_wrong(tmp_path, waiver(RULE, **kwargs))
    result = check(catalogue, path)
    assert result.status == "input_error" and result.findings == []
    assert f"waivers[0].{field}" in result.error["message"]
    assert result.error["location"]["line"] == line_of(path, f"    {field}: {blank}")


def test_a_missing_expiry_is_an_input_error(catalogue, tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE, expires=None))
    result = check(catalogue, path)
    assert result.status == "input_error"
    assert result.error["message"] == "required field 'waivers[0].expires' is missing"
    assert result.error["location"]["line"] == line_of(path, f"- rule: {RULE}")


def test_an_unknown_rule_is_reported_with_a_suggestion_and_fails_the_run(catalogue, tmp_path):
    path = two_lines_wrong(tmp_path, waiver("ipo.consistency.percent.strategic_lines"))
    result = check(catalogue, path)
    assert by_status(result, "violation") == [(RULE, SPONSOR), (RULE, EMPLOYEES)]   # still checked
    [notice] = result.notices
    assert notice["kind"] == "waiver_unknown_rule" and notice["level"] == "error"
    assert notice["did_you_mean"][0] == RULE
    assert notice["location"]["line"] == line_of(path, "- rule: ipo.consistency.percent.strategic_lines")
    proc = run(path, "--today", "2026-05-01", "--format", "json")
    assert proc.returncode == 2, proc.stderr
    doc = json.loads(proc.stdout)
    assert [w["kind"] for w in doc["waivers_unused"]] == ["waiver_unknown_rule"]
    near = "、".join(notice["did_you_mean"])
    line = f":{notice['location']['line']}:{notice['location']['col']}: waiver-unknown-rule " \
           f"ipo.consistency.percent.strategic_lines（是否为 {near}？）"
    lines = run(path, "--today", "2026-05-01", "--format", "lines")
    assert line in lines.stdout
    assert lines.stderr.rstrip().endswith("；退出码 2（1 项豁免所列规则不存在）"), lines.stderr
    english = run(path, "--today", "2026-05-01", "--format", "lines", "--lang", "en").stderr
    assert english.rstrip().endswith("; exit code 2 (1 waiver(s) naming an unknown rule)"), english
    hint = f"ipo.consistency.percent.strategic_lines（是否为 {near}？）"    # in the header's waiver list
    assert hint in run(path, "--today", "2026-05-01", "--format", "html").stdout
    assert hint.replace("_", "\\_") in run(path, "--today", "2026-05-01", "--format", "markdown").stdout


def test_an_unknown_rule_fails_even_when_nothing_else_does(tmp_path):
    path = with_waivers(tmp_path, DAPUWEI, waiver("ipo.strategic.cap_ratio.lt100"))
    assert run(path, "--today", "2026-05-01").returncode == 2
    assert run(path, "--today", "2026-05-01", "--no-waivers").returncode == 2


def test_exit_code_follows_the_waivers(tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE))
    assert run(path, "--today", "2026-06-30").returncode == 0      # waived: does not fail
    assert run(path, "--today", "2026-07-01").returncode == 1      # expired: the violation stands
    assert run(path, "--today", "2026-06-30", "--no-waivers").returncode == 1


def test_no_waivers_waives_nothing_and_the_reports_say_so(tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE, item=EMPLOYEES), waiver("ipo.pricing.pe_notice"))
    proc = run(path, "--today", "2026-05-01", "--no-waivers", "--format", "json")
    doc = json.loads(proc.stdout)
    case = doc["cases"][0]
    assert doc["waivers_applied"] is False and doc["waivers"] == [] and case["notices"] == []
    assert [f["status"] for f in case["findings"] if f["rule_id"] == RULE] == ["violation", "violation"]
    text = run(path, "--today", "2026-05-01", "--no-waivers", "--lang", "en", "--format", "console").stdout
    assert "Waivers not applied (--no-waivers)" in text


def test_the_audit_header_counts_applied_expired_and_unused(tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE, item=SPONSOR, expires="2026-12-31"),
                           waiver(RULE, item=EMPLOYEES, expires="2026-04-30"),
                           waiver("ipo.pricing.pe_notice", expires="2026-12-31"))
    doc = json.loads(run(path, "--today", "2026-05-01", "--format", "json").stdout)
    assert doc["waivers_today"] == "2026-05-01"
    assert [(w["rule_id"], w["item"]) for w in doc["waivers"]] == [(RULE, SPONSOR)]
    assert [(w["rule_id"], w["item"]) for w in doc["waivers_expired"]] == [(RULE, EMPLOYEES)]
    assert [w["rule_id"] for w in doc["waivers_unused"]] == ["ipo.pricing.pe_notice"]
    assert doc["exit_code"] == 1   # the expired item's violation stands
    text = run(path, "--today", "2026-05-01", "--lang", "en", "--format", "console").stdout
    assert "Waivers 1 applied · 1 expired · 1 unused (judged on 2026-05-01)" in text


def test_waived_findings_show_reason_approver_and_expiry_in_every_format(tmp_path):
    path = two_lines_wrong(tmp_path, waiver(RULE, item=EMPLOYEES, reason="书面同意函 2026-012号",
                                            approver="合规总监 李四", expires="2026-09-30"))
    out = tmp_path / "out"
    out.mkdir()
    spec = ",".join(f"{n}={out / n}" for n in ("json", "sarif", "junit", "markdown", "html", "console"))
    proc = run(path, "--today", "2026-05-01", "--format", spec, "--lang", "en")
    assert proc.returncode == 1, proc.stderr   # the sponsor line is not waived
    for name in ("json", "sarif", "junit", "markdown", "html", "console"):
        text = (out / name).read_text(encoding="utf-8")
        for needle in ("书面同意函 2026-012号", "合规总监 李四", "2026-09-30"):
            assert needle in text, (name, needle)
    sarif = json.loads((out / "sarif").read_text(encoding="utf-8"))
    [waived] = [r for r in sarif["runs"][0]["results"] if r["properties"]["status"] == "waived"]
    [suppression] = waived["suppressions"]
    assert suppression["kind"] == "inSource" and "合规总监 李四" in suppression["justification"]
    assert suppression["properties"]["expires"] == "2026-09-30"


def test_the_bundled_waiver_example(tmp_path):
    """cases/waived/: waived through 2027-06-30, a violation the day after and with --no-waivers."""
    doc = json.loads(run(WAIVED_CASE, "--today", "2027-06-30", "--format", "json").stdout)
    case = doc["cases"][0]
    assert case["status"] == "clean" and doc["exit_code"] == 0
    assert [(f["rule_id"], f["item"]) for f in case["findings"] if f["status"] == "waived"] == [
        ("ma.lockup.36m_cases", "示例控股有限公司")]
    assert run(WAIVED_CASE, "--today", "2027-07-01").returncode == 1
    assert run(WAIVED_CASE, "--today", "2027-06-30", "--no-waivers").returncode == 1


def test_two_subjects_equal_only_after_folding_are_an_input_error_naming_both_lines(catalogue, tmp_path):
    """某创投1号基金 and 某创投①号基金 fold to one name under NFKC: an item waiver could not tell them
    apart, so the case is refused rather than one waiver covering both."""
    path = two_lines_wrong(tmp_path, waiver(RULE, item="某创投1号基金"))
    text = Path(path).read_text(encoding="utf-8")
    text = text.replace(f"name: {SPONSOR}", "name: 某创投1号基金", 1).replace(f"name: {EMPLOYEES}", "name: 某创投①号基金", 1)
    Path(path).write_text(text, encoding="utf-8")
    result = check(catalogue, path)
    assert result.error and result.error["kind"] == "input_error"
    first, second = line_of(path, "name: 某创投1号基金"), line_of(path, "name: 某创投①号基金")
    assert f"line {first}" in result.error["message"] and f"line {second}" in result.error["message"]
    assert result.error["location"]["line"] == second


def test_an_empty_item_is_an_input_error_not_a_rule_wide_waiver(catalogue, tmp_path):
    text = waiver(RULE).replace("    reason:", "    item:\n    reason:")
    path = two_lines_wrong(tmp_path, text)
    result = check(catalogue, path)
    assert result.error and "item is empty" in result.error["message"]
    assert result.error["location"]["line"] == line_of(path, "    item:")


@pytest.mark.parametrize("expires,ok", [("2029-05-01", True), ("2029-05-02", False), ("9999-12-31", False)])
def test_a_waiver_may_run_at_most_three_years(catalogue, tmp_path, expires, ok):
    path = two_lines_wrong(tmp_path, waiver(RULE, expires=expires))
    result = check(catalogue, path, today="2026-05-01")
    if ok:
        assert result.error is None and by_status(result, "waived")
    else:
        assert result.error and result.error["location"]["line"] == line_of(path, f"expires: {expires}")
        assert "years" in result.error["message"] or "between" in result.error["message"]
    off = check(catalogue, path, today="2026-05-01", use=False).error   # --no-waivers judges no horizon
    assert (off is None) == (expires < "2100-12-31")   # but a date past 2100 is refused as any date is


def test_more_waivers_than_the_limit_is_an_input_error_not_a_minute_of_did_you_mean(catalogue, tmp_path):
    from checker.model.waiver import MAX_WAIVERS
    many = [waiver(f"ipo.no_such_rule_{i}", expires="2026-12-31") for i in range(MAX_WAIVERS + 1)]
    result = check(catalogue, two_lines_wrong(tmp_path, *many))
    assert result.error and "at most 500" in result.error["message"]
    within = check(catalogue, two_lines_wrong(tmp_path, *many[:MAX_WAIVERS]))
    assert result.error and within.error is None
    assert sum(n["kind"] == "waiver_unknown_rule" for n in within.notices) == MAX_WAIVERS
