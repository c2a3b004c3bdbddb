"""The IPO rules on the real 大普微 offering: no violation as published, unknowns left open, and
each limit exact to the share (one share either side of the 20% cap, the 70% paid threshold and
the co-sponsor's 3%), a correct abort, and a lock-up given as a date decided once listing is dated."""

from pathlib import Path

from .conftest import DAPUWEI, edited, line_of


def statuses(result, status):
    return sorted(f.rule_id for f in result.findings if f.status == status)


def test_dapuwei_has_no_violations(checker):
    result = checker.check_file(DAPUWEI)
    assert result.error is None
    assert statuses(result, "violation") == []
    assert result.board == "chinext" and result.as_of == "2026-04-03"


def test_dapuwei_unknowns_are_not_evaluated_never_passed(checker):
    result = checker.check_file(DAPUWEI)
    not_evaluated = statuses(result, "not_evaluated")
    # other strategic investors have no count; no subscription results yet (a plan: pending)
    assert "ipo.strategic.investor_count_max.lt100m" in not_evaluated
    assert "ipo.abort.paid_below_70pct" in statuses(result, "pending")
    count = next(f for f in result.findings if f.rule_id == "ipo.strategic.investor_count_max.lt100m")
    assert count.missing == ["strategic.investors[2].investor_count"]


def one_share_over_20pct(tmp_path) -> str:
    """大普微 with one more strategic share; the stated total and the offline tranche follow it,
    so the announcement stays self-consistent and only the 20% cap is broken."""
    path = edited(tmp_path, "      shares: 4811512", "      shares: 4811513")
    path = edited(tmp_path, "final_shares: 8724327", "final_shares: 8724328", source=path, name="b.yaml")
    return edited(tmp_path, "offline_initial_shares: 27918309", "offline_initial_shares: 27918308",
                  source=path, name="c.yaml")


def test_one_share_over_20pct_is_caught_with_its_lines_and_nothing_else(checker, tmp_path):
    path = one_share_over_20pct(tmp_path)
    base = checker.check_file(DAPUWEI)
    result = checker.check_file(path)
    assert statuses(result, "violation") == ["ipo.strategic.cap_ratio.lt100m"]
    finding = next(f for f in result.findings if f.status == "violation")
    assert finding.position.line == line_of(path, "shares: 1308649")   # a total: at its first line
    assert line_of(path, "shares: 4811513") in [r["line"] for r in finding.related]
    assert "8,724,328" in finding.actual["zh"] and "8,724,327.2" in finding.expected["zh"]
    assert statuses(result, "not_evaluated") == statuses(base, "not_evaluated")


def _with_results(tmp_path, online_paid: int) -> str:
    return edited(tmp_path, "outcome:\n  status: planned\n",
                  "results:\n  offline_paid_shares: 20000000\n"
                  f"  online_paid_shares: {online_paid}\n\noutcome:\n  status: completed\n")


def test_70pct_threshold_is_exact(checker, tmp_path):
    ok = checker.check_file(_with_results(tmp_path, 4428117))    # 24,428,117 paid
    short = checker.check_file(_with_results(tmp_path, 4428116))  # 24,428,116 paid
    assert "ipo.abort.paid_below_70pct" not in statuses(ok, "violation") + statuses(ok, "not_evaluated")
    assert statuses(short, "violation") == ["ipo.abort.paid_below_70pct"]


def test_a_correct_abort_is_not_a_violation(checker, tmp_path):
    path = edited(tmp_path, "outcome:\n  status: planned\n",
                  "results:\n  offline_paid_shares: 20000000\n  online_paid_shares: 4428116\n\n"
                  "outcome:\n  status: aborted\n  reason: 缴款认购不足70%\n")
    assert statuses(checker.check_file(path), "violation") == []


def test_cosponsor_is_3pct_to_the_whole_share(checker, tmp_path):
    # 3% of 43,621,636 = 1,308,649.08: rounded down or up passes, one more or less fails
    cases = ((1308648, ["ipo.cosponsor.tier.2bn_5bn"]), (1308649, []), (1308650, []),
             (1308651, ["ipo.cosponsor.tier.2bn_5bn"]))
    for shares, expected in cases:
        path = edited(tmp_path, "shares: 1308649", f"shares: {shares}", name=f"c{shares}.yaml")
        found = [r for r in statuses(checker.check_file(path), "violation") if r.startswith("ipo.cosponsor")]
        assert found == expected


def test_lockup_given_as_a_date_needs_the_listing_date(checker, tmp_path):
    path = edited(tmp_path, "      lockup_months: 12\n\n", "      lockup_until: 2027-12-31\n\n")
    result = checker.check_file(path)
    assert "ipo.strategic.lockup_min" in statuses(result, "not_evaluated")
    text = Path(path).read_text(encoding="utf-8").replace("  payment_date: 2026-04-08\n",
                                                       "  payment_date: 2026-04-08\n  listing_date: 2026-04-15\n")
    Path(path).write_text(text, encoding="utf-8")
    result = checker.check_file(path)
    assert "ipo.strategic.lockup_min" not in statuses(result, "not_evaluated") + statuses(result, "violation")
