"""The restructuring case type: the seed's seven deals, the violators, input errors and versions."""

import datetime as dt
import glob
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from checker.check import Checker, Options
from checker.derive import restructuring as rd
from checker.errors import RulePackError
from checker.loading import load_file
from checker.rulepack import load_pack
from checker.validate import validate

from .conftest import ROOT, edited, line_of

DEALS = sorted(glob.glob(os.path.join(ROOT, "cases", "restructuring", "*.yaml")))
LOCKUP_12M = os.path.join(ROOT, "cases", "violations", "ma-controller-lockup-12m.yaml")
REWARD_25 = os.path.join(ROOT, "cases", "violations", "ma-reward-25pct.yaml")


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def case_of(path):
    return validate(load_file(path))


def statuses(result, rule_id):
    return {f.status for f in result.findings if f.rule_id == rule_id}


# ---- the seven seed deals ------------------------------------------------------------------------

def test_seven_seed_deals_each_name_the_document_they_come_from():
    assert len(DEALS) == 7
    for path in DEALS:
        sources = case_of(path).sources
        assert sources, f"{path} names no source"
        for source in sources:
            assert source.strip(), path
            # a document, never a file outside the repository
            assert "../" not in source and not source.startswith(("/", "~")), (path, source)
        # the first source is the acquirer's own report or pre-plan, and where it was excerpted
        assert ("报告书" in sources[0] or "预案" in sources[0]) and "《" in sources[0], (path, sources[0])
        # and every figure's comment quotes that document's words (Chinese text after a `#`)
        quotes = [line for line in Path(path).read_text(encoding="utf-8").splitlines()
                  if "# " in line and any("\u4e00" <= c <= "\u9fff" for c in line.split("# ", 1)[1])]
        assert len(quotes) >= 5, f"{path} quotes its source in {len(quotes)} comments"


@pytest.mark.parametrize("path", DEALS, ids=[os.path.basename(p) for p in DEALS])
def test_seed_deals_show_no_violation_and_no_error(checker, path):
    result = checker.check_file(path)
    assert result.error is None, result.error
    assert not [f.rule_id for f in result.findings if f.status == "violation"]
    assert result.case_type == "restructuring" and result.board is None


def test_a_figure_the_seed_does_not_give_is_not_evaluated_never_passed(checker):
    # 众信: 郭洪斌 is locked 12 months; whether he is on the controller side or held his stake 12 months is unknown
    result = checker.check_file(os.path.join(ROOT, "cases", "restructuring", "zhongxin-zhuyuan.yaml"))
    f = next(f for f in result.findings if f.rule_id == "ma.lockup.36m_cases")
    assert f.status == "not_evaluated" and "郭洪斌" in f.subject
    assert "counterparty.asset_held_months" in f.missing


def test_deal_approved_before_2014_11_23_gets_not_covered_for_the_2014_compensation_rules(checker):
    result = checker.check_file(os.path.join(ROOT, "cases", "restructuring", "shengguang-yarun.yaml"))
    assert statuses(result, "ma.comp.required") == {"not_covered"}
    assert statuses(result, "ma.lockup.base") == {"not_evaluated"}   # in force since 2011, no lock-up in the seed


# ---- acceptance: the violators --------------------------------------------------------------------

def test_controller_related_seller_locked_12_months_is_caught_with_the_line(checker):
    result = checker.check_file(LOCKUP_12M)
    violations = [f for f in result.findings if f.status == "violation"]
    assert [f.rule_id for f in violations] == ["ma.lockup.36m_cases"]
    f = violations[0]
    assert f.position.line == line_of(LOCKUP_12M, "months: 12                        # VIOLATION")
    assert "示例控股有限公司" in f.subject and f.actual["en"].startswith("12")
    assert f.citation["source"] == "上市公司重大资产重组管理办法"


def test_reward_of_25_percent_of_the_price_is_caught_with_the_line(checker):
    result = checker.check_file(REWARD_25)
    violations = [f for f in result.findings if f.status == "violation"]
    assert [f.rule_id for f in violations] == ["ma.reward.cap.price"]
    assert violations[0].position.line == line_of(REWARD_25, "amount: 100000000")
    assert "25.0000%" in violations[0].message["zh"]


def test_cli_exit_codes_for_a_violator_and_a_seed_deal():
    assert run(LOCKUP_12M).returncode == 1
    proc = run(DEALS[0], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    case = json.loads(proc.stdout)["cases"][0]
    assert case["case_type"] == "restructuring"


def test_reward_computed_from_reported_profits_when_no_amount_is_declared(tmp_path, checker):
    path = edited(tmp_path, "  amount: 100000000", "  # no amount declared", REWARD_25)
    result = checker.check_file(path)
    f = next(f for f in result.findings if f.rule_id == "ma.reward.cap.price")
    assert f.status == "violation" and "100,000,000.00" in f.actual["zh"]   # 0.50 × 200,000,000


def test_declared_compensation_above_what_the_obligors_received_is_a_warning(tmp_path, checker):
    path = edited(tmp_path, "  share_rounding: up\n",
                  "  share_rounding: up\n  declared:\n    - {year: 2024, shares: 24000000, cash: 120000000.01}\n",
                  LOCKUP_12M)
    result = checker.check_file(path)
    f = next(f for f in result.findings if f.rule_id == "ma.comp.cap.value")
    assert f.status == "violation" and f.severity == "warning"
    assert f.position.line == line_of(path, "declared:")
    assert f.related[0]["label"] == "2024 年补偿"   # the declared year first, then what it was compared with
    assert f.related[0]["line"] == line_of(path, "- {year: 2024")
    assert "comp.obligor_consideration" in [r["label"] for r in f.related[1:]]


# ---- input errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("old,new,needle,words", [
    ("committed_profit: [40000000, 48000000, 56000000]", "committed_profit: [40000000, 48000000]",
     "committed_profit: [40000000, 48000000]", "2 figures for 3 years"),
    ("    relationship: controlling_holder", "    relationship: parent_company",
     "relationship: parent_company", "controlling_holder"),
    ("    obligor: true\n    lockup:\n      months: 12", "    obliger: true\n    lockup:\n      months: 12",
     "obliger: true", "did you mean 'obligor'"),
    ("    shares_received: 18000000", "    shares_received: 18,000,000", "shares_received: 18,000,000",
     "whole number"),
    ("announcement_date: 2024-06-14", "announcement_date: 2024-06-14\nrules_date: 2024-06-01",
     "rules_date: 2024-06-01", "rules_date_note"),
])
def test_bad_input_names_file_line_and_field(tmp_path, old, new, needle, words):
    path = edited(tmp_path, old, new, LOCKUP_12M)
    proc = run(path, "--format", "json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    error = json.loads(proc.stdout)["cases"][0]["error"]
    assert words in error["message"], error
    assert error["location"]["file"].endswith("case.yaml")
    assert error["location"]["line"] == line_of(path, needle), error


def test_unknown_case_type_is_a_clear_input_error(tmp_path):
    path = edited(tmp_path, "case_type: restructuring", "case_type: merger", LOCKUP_12M)
    proc = run(path, "--format", "json")
    assert proc.returncode == 2
    error = json.loads(proc.stdout)["cases"][0]["error"]
    assert "unknown case_type 'merger'" in error["message"] and "restructuring" in error["message"]
    assert error["location"]["line"] == line_of(path, "case_type: merger")


def test_a_deal_without_a_date_asks_for_one(tmp_path):
    path = edited(tmp_path, "announcement_date: 2024-06-14\n", "", LOCKUP_12M)
    proc = run(path)
    assert proc.returncode == 2 and "announcement_date" in proc.stdout + proc.stderr
    assert run(path, "--as-of", "2024-06-14").returncode == 1


def test_a_restructuring_rule_with_boards_is_refused(tmp_path):
    text = Path(ROOT, "rules", "restructuring", "rewards.yaml").read_text(encoding="utf-8")
    pack = tmp_path / "rewards.yaml"
    pack.write_text(text.replace("applies: {case: restructuring, from: 2016-01-15}",
                                 "applies: {case: restructuring, boards: [sse_main], from: 2016-01-15}", 1),
                    encoding="utf-8")
    with pytest.raises(RulePackError, match="leave out applies.boards"):
        load_pack(str(pack))


# ---- versions: the same deal on either side of a change --------------------------------------------

def test_private_fund_six_month_lockup_before_and_after_the_2025_revision(tmp_path, catalogue):
    path = edited(tmp_path, "fund_holding_months: 40", "fund_holding_months: 50", LOCKUP_12M)
    path = edited(tmp_path, "    lockup: {months: 12, starts: issuance_end, start_date: 2024-09-30, "
                            "price_drop_extension_months: 0}",
                  "    lockup: {months: 6, starts: issuance_end, start_date: 2024-09-30, "
                  "price_drop_extension_months: 0}", path, name="case6.yaml")
    before = Checker(catalogue, Options(as_of=dt.date(2025, 5, 15))).check_file(path)
    after = Checker(catalogue, Options(as_of=dt.date(2025, 5, 16))).check_file(path)
    assert statuses(before, "ma.lockup.pe_fund_reverse_link") == {"violation"}
    f = next(f for f in before.findings if f.rule_id == "ma.lockup.pe_fund_reverse_link")
    assert f.version.endswith("2025-05-16")
    assert statuses(after, "ma.lockup.pe_fund_reverse_link") == set()
    assert statuses(after, "ma.lockup.base") == set()   # a fund held 48+ months is left to the fund rule


def test_reward_cap_starts_with_the_2016_qa(catalogue):
    before = Checker(catalogue, Options(as_of=dt.date(2016, 1, 14))).check_file(REWARD_25)
    after = Checker(catalogue, Options(as_of=dt.date(2016, 1, 15))).check_file(REWARD_25)
    assert statuses(before, "ma.reward.cap") == {"not_covered"}
    assert statuses(before, "ma.reward.cap.price") == set()
    assert statuses(after, "ma.reward.cap.price") == {"violation"}


def test_cli_as_of_selects_the_rules():
    assert run(REWARD_25, "--as-of", "2016-01-14").returncode == 0
    assert run(REWARD_25, "--as-of", "2016-01-15").returncode == 1


# ---- derive -----------------------------------------------------------------------------------

def test_lockup_end_is_the_day_before_the_same_date_n_months_on():
    case = case_of(LOCKUP_12M)
    assert rd.lockup_end(case.counterparties[0]) == dt.date(2025, 9, 29)


def test_obligor_totals_and_declared_value():
    case = case_of(LOCKUP_12M)
    assert rd.obligor_totals(case) == (24000000, Decimal("600000000.00"))
    assert rd.declared_totals(case) == (0, 0, 0, Decimal(0))


def test_obligor_consideration_falls_back_to_the_price_only_when_every_counterparty_is_an_obligor():
    jiuqi = case_of(os.path.join(ROOT, "cases", "restructuring", "jiuqi-yiqilian.yaml"))
    assert rd.obligor_totals(jiuqi) == (None, Decimal(480000000))
    zhongxin = case_of(os.path.join(ROOT, "cases", "restructuring", "zhongxin-zhuyuan.yaml"))
    assert rd.obligor_totals(zhongxin) == (None, None)   # the two funds are not obligors


def test_reward_excess_and_amount():
    case = case_of(REWARD_25)
    assert rd.reward_figures(case) == (Decimal(200000000), Decimal(100000000))


def test_control_change_from_a_counterparty_gaining_control(tmp_path):
    path = edited(tmp_path, "control_change: false\n", "", LOCKUP_12M)
    assert rd.control_change(case_of(path)) is None
    path = edited(tmp_path, "    gains_control: false\n    asset_held_months: 60",
                  "    gains_control: true\n    asset_held_months: 60", path, name="c2.yaml")
    assert rd.control_change(case_of(path)) is True


def test_controller_side_compensating_in_cash_only_is_caught(checker):
    path = os.path.join(ROOT, "cases", "violations", "ma-controller-cash-compensation.yaml")
    result = checker.check_file(path)
    # the fictional deal states no market reference price: the price floor is not evaluated; the
    # 2025 topics (absorption mergers, instalments) have no rule in force in 2020: not covered
    found = [f for f in result.findings if f.rule_id != "ma.pricing.floor" and f.status != "not_covered"]
    assert {f.rule_id: f.status for f in result.findings if f.rule_id == "ma.pricing.floor"} == {
        "ma.pricing.floor": "not_evaluated"}
    assert {f.rule_id: f.status for f in found} == {
        "ma.comp.controller_shares_and_cash": "violation", "ma.comp.shares_first": "violation"}
    assert all(f.position.line == line_of(path, "method: cash") for f in found)


# ---- the issue-price floor (ma.pricing.*) --------------------------------------------------------------

AIKEDI = os.path.join(ROOT, "cases", "real", "aikedi-zhuoerbo-2025.yaml")
ZHISHANG = os.path.join(ROOT, "cases", "real", "zhishang-hengyang-2025.yaml")


def _deal_fact(path):
    doc = load_file(path)
    return next(f for f in rd.derive(validate(doc), doc) if f.kind == "deal")


def test_reference_price_is_the_chosen_window_else_the_lowest_of_the_three(tmp_path):
    fact = _deal_fact(AIKEDI)
    assert fact.values["pricing.reference_price"] == Decimal("15.26")   # no window stated: the lowest
    assert fact.values["pricing.stated_floor"] == Decimal("12.21")
    assert fact.values["pricing.issue_price"] == Decimal("14.00")        # as set, before the dividend
    chosen = edited(tmp_path, "  averages:\n    - {days: 20", "  window_days: 20\n  averages:\n    - {days: 20",
                    source=AIKEDI)
    fact = _deal_fact(chosen)
    assert fact.values["pricing.reference_price"] == Decimal("17.25")
    assert fact.values["pricing.window_stated"] is True


def test_a_missing_average_is_not_evaluated_naming_the_key(tmp_path, checker):
    path = edited(tmp_path, "{days: 120, price: 15.26, floor: 12.21}", "{days: 120, floor: 12.21}", source=AIKEDI)
    result = checker.check_file(path)
    floor = [f for f in result.findings if f.rule_id == "ma.pricing.floor"]
    assert [f.status for f in floor] == ["not_evaluated"]
    assert "pricing.averages" in floor[0].message["en"]


def test_the_issue_price_falls_back_to_the_consideration_when_not_stated_in_pricing(tmp_path):
    path = edited(tmp_path, "  issue_price: 14.00\n", "", source=AIKEDI)
    assert _deal_fact(path).values["pricing.issue_price"] == Decimal("13.70")


def test_only_the_stated_floor_is_compared_when_the_averages_are_not_given(checker):
    result = checker.check_file(ZHISHANG)
    assert statuses(result, "ma.pricing.floor") == {"not_evaluated"}
    assert statuses(result, "ma.pricing.stated_floor") == set()   # passed: 43.48 ≥ 43.4797


def test_price_floor_is_90_percent_before_2023_and_80_after(tmp_path, checker, catalogue):
    low = edited(tmp_path, "  issue_price: 14.00\n", "  issue_price: 13.00\n", source=AIKEDI)
    assert statuses(checker.check_file(low), "ma.pricing.floor") == set()          # 2025: ≥ 12.208
    old = Checker(catalogue, Options(as_of=dt.date(2022, 6, 1)))
    assert statuses(old.check_file(low), "ma.pricing.floor") == {"violation"}      # SSE main 2022: < 13.734


# ---- several commitments, cumulative-only commitments and compensation performed -------------------

ONE_SHORT = os.path.join(ROOT, "cases", "violations", "ma-compensation-one-share-short.yaml")


def test_compensation_performed_short_of_what_was_due_is_a_warning(tmp_path, checker):
    path = edited(tmp_path, "  declared:\n    - {year: 2014, shares: 233093, cash: 0}       # one share short of 233,094\n",
                  "  declared:\n    - {year: 2014, shares: 233094, cash: 0}\n"
                  "  performed:\n    - {year: 2014, shares_cancelled: 233000, cash_paid: 0, as_of: 2015-06-30}\n",
                  source=ONE_SHORT)
    result = checker.check_file(path)
    hits = [f for f in result.findings if f.rule_id == "ma.comp.performed.shares"]
    assert [f.status for f in hits] == ["violation"]
    assert hits[0].position.line == line_of(path, "shares_cancelled: 233000")
    assert statuses(result, "ma.comp.declared_matches_formula.shares") == set()   # 233,094 is right


def test_a_year_performed_without_a_declaration_is_compared_with_the_formula(tmp_path, checker):
    path = edited(tmp_path, "  declared:\n    - {year: 2014, shares: 233093, cash: 0}       # one share short of 233,094\n",
                  "  performed:\n    - {year: 2014, shares_cancelled: 233094, cash_paid: 0}\n", source=ONE_SHORT)
    result = checker.check_file(path)
    assert statuses(result, "ma.comp.performed.shares") == set()
    assert statuses(result, "ma.comp.declared_matches_formula.shares") == set()   # nothing declared: n/a


def test_one_commitment_per_asset_group_each_gets_its_own_years(tmp_path, checker):
    text = Path(ONE_SHORT).read_text(encoding="utf-8")
    block = text[text.index("performance:\n"):text.index("\nreward:")]
    body = "\n".join("    " + line[2:] if line.startswith("  ") else line for line in block.splitlines()[1:])
    second = body.replace("233093", "233094")   # the second group declares the right figure
    commitments = "commitments:\n  - asset: 竹园国旅（示例资产组一）\n" + body + "\n  - asset: 示例资产组二\n" + second
    path = tmp_path / "two.yaml"
    path.write_text(text.replace(block, commitments), encoding="utf-8")
    result = checker.check_file(str(path))
    assert result.error is None, result.error
    hits = [f for f in result.findings if f.rule_id == "ma.comp.declared_matches_formula.shares"]
    assert [f.status for f in hits] == ["violation"]           # the first group's 233,093; the second is right
    assert "示例资产组一" in hits[0].subject or "竹园国旅" in hits[0].subject


def test_performance_and_commitments_together_are_refused(tmp_path):
    path = edited(tmp_path, "\nreward:", "\ncommitments:\n  - {years: [2014]}\nreward:", source=ONE_SHORT)
    with pytest.raises(Exception, match="either performance"):
        case_of(path)


# ---- 2025: absorption mergers and instalment payment ---------------------------------------------------

def test_instalment_registration_runs_48_months_to_the_day_before(tmp_path):
    path = edited(tmp_path, "\ncounterparties:", "\ninstalments:\n  registration_date: 2025-10-10\n  tranches:\n"
                  "    - {shares: 100, issued_on: 2025-11-03}\n    - {shares: 100, issued_on: 2027-01-04}\n"
                  "\ncounterparties:", source=LOCKUP_12M)
    fact = _deal_fact(path)
    assert fact.values["instalment.registration_expiry"] == dt.date(2029, 10, 9)
    assert fact.values["instalment.registration_expiry_12m"] == dt.date(2026, 10, 9)
    assert fact.values["instalment.last_issued_on"] == dt.date(2027, 1, 4)
    assert fact.positions["instalment.last_issued_on"].line == line_of(path, "2027-01-04")


def test_absorption_merger_exempts_other_holders_from_the_12_months_from_2025(tmp_path, checker):
    path = edited(tmp_path, "announcement_date: 2024-06-14", "announcement_date: 2025-06-30\nabsorption_merger: true",
                  source=LOCKUP_12M)
    path = edited(tmp_path, "    lockup: {months: 12, starts: issuance_end", "    lockup: {months: 0, starts: issuance_end",
                  source=path, name="case2.yaml")
    result = checker.check_file(path)
    assert statuses(result, "ma.lockup.base") == set()
    assert statuses(result, "ma.lockup.absorption_target_controller") == {"not_evaluated"}


def test_a_real_compensation_only_partly_performed_is_the_one_warning(checker):
    # 世纪华通 (2025): 126,627,700 shares due, 24,473,850 cancelled by 2025-08-20 ("补偿方案部分履行完毕")
    path = os.path.join(ROOT, "tests", "data", "real-partial", "shijihuatong-2019.yaml")
    result = checker.check_file(path)
    assert result.error is None, result.error
    hits = [f for f in result.findings if f.status == "violation"]
    assert [(f.rule_id, f.severity) for f in hits] == [("ma.comp.performed.shares", "warning")]
    assert hits[0].position.line == line_of(path, "shares_cancelled: 24473850")
    assert "126,627,700" in hits[0].message["zh"] and "24,473,850" in hits[0].message["zh"]
