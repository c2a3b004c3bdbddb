"""The largest offerings (bid books past 10^12 shares, gross ≥ ¥10bn), STAR's uniform 3% and the
16:00 payment cut-off, on real figures: 华电新能 (SSE main 2025, ¥15.8bn) and 摩尔线程 (STAR 2025)."""

import os

import pytest

from checker.derive.consistency import lowest_terms
from checker.derive.timetable import clock_minutes

from .conftest import ROOT, edited, line_of

HUADIAN = os.path.join(ROOT, "cases", "real", "huadianxinneng-2025.yaml")
MOER = os.path.join(ROOT, "cases", "real", "moerxiancheng-2025.yaml")


def by_rule(result, rule_id):
    [finding] = [f for f in result.findings if f.rule_id == rule_id]
    return finding


def passes(result, rule_id):
    """No finding of any status (the variants below show the same rule does fire on these files)."""
    return result.error is None and not [f for f in result.findings if f.rule_id == rule_id]


@pytest.mark.parametrize("part,whole,bound,expected", [
    (10_964_300_000, 1_073_166_300_000, 10**12, (109_643, 10_731_663)),   # 华电新能's bid book
    (0, 5, 10**12, (0, 1)),
    (3, 10**13 + 1, 10**12, (None, None)),     # coprime and too large: no exact comparison possible
    (6, 4, 10, (3, 2)),
    (1, 0, 10, (None, None)),                  # no bids: nothing to compare
    (None, 7, 10, (None, None)),
])
def test_lowest_terms(part, whole, bound, expected):
    assert lowest_terms(part, whole, bound) == expected


def test_a_bid_book_past_a_trillion_shares_is_accepted_and_checked(checker):
    assert passes(checker.check_file(HUADIAN), "ipo.consistency.percent.excluded_bids")


def test_a_misstated_exclusion_on_a_huge_bid_book_is_caught(checker, tmp_path):
    path = edited(tmp_path, "excluded_bid_pct: 1.0217", "excluded_bid_pct: 1.0216", source=HUADIAN)
    finding = by_rule(checker.check_file(path), "ipo.consistency.percent.excluded_bids")
    assert finding.status == "violation"
    assert finding.position.line == line_of(path, "excluded_bid_pct:")


def test_a_ratio_too_large_for_exact_arithmetic_says_why(checker, tmp_path):
    path = edited(tmp_path, "total_bid_shares: 1073166300000", "total_bid_shares: 99999999999973",
                  source=HUADIAN)   # a prime: the ratio does not reduce
    finding = by_rule(checker.check_file(path), "ipo.consistency.percent.excluded_bids")
    assert finding.status == "not_evaluated"
    assert "exceed 10^12 shares" in finding.message["en"]


def test_main_board_clawback_over_10bn_excludes_the_locked_offline_shares(checker, tmp_path):
    assert passes(checker.check_file(HUADIAN), "ipo.clawback.tiers.main_high_large")
    # 40% of the issue after strategic placement alone, as a smaller offering would claw back:
    path = edited(tmp_path, "clawback_shares: 703934000", "clawback_shares: 993789000", source=HUADIAN)
    finding = by_rule(checker.check_file(path), "ipo.clawback.tiers.main_high_large")
    assert finding.status == "violation"
    assert finding.position.line == line_of(path, "clawback_shares:")
    assert "703,933,500.8" in finding.expected["en"]


def test_the_small_offering_tier_does_not_apply_over_10bn(checker):
    ids = {f.rule_id for f in checker.check_file(HUADIAN).findings}
    assert "ipo.clawback.tiers.main_high" not in ids


def test_star_exclusion_short_of_3pct_by_a_whole_bid_is_flagged(checker, tmp_path):
    assert passes(checker.check_file(MOER), "ipo.pricing.exclusion_ratio.star_uniform")
    path = edited(tmp_path, "excluded_bid_shares: 2183400000", "excluded_bid_shares: 1458000000",
                  source=MOER)   # 2% of 72,898,800,000 (minus 0.24M): legal elsewhere, not on STAR
    finding = by_rule(checker.check_file(path), "ipo.pricing.exclusion_ratio.star_uniform")
    assert finding.status == "violation" and finding.severity == "warning"
    assert finding.position.line == line_of(path, "excluded_bid_shares:")
    assert passes(checker.check_file(path), "ipo.pricing.exclusion_ratio")


@pytest.mark.parametrize("text,minutes", [("16:00", 960), ("00:00", 0), ("23:59", 1439), (None, None)])
def test_clock_minutes(text, minutes):
    assert clock_minutes(text) == minutes


def test_a_payment_cutoff_after_16_is_a_violation_at_its_line(checker, tmp_path):
    path = edited(tmp_path, 'payment_cutoff: "16:00"', 'payment_cutoff: "16:30"')
    finding = by_rule(checker.check_file(path), "ipo.payment.offline_cutoff_time")
    assert finding.status == "violation"
    assert finding.actual["en"] == "16:30"
    assert finding.position.line == line_of(path, "payment_cutoff:")


@pytest.mark.parametrize("written,needle", [
    ("payment_cutoff: 16:00", "time of day"),      # YAML 1.1 would read base 60: 960
    ('payment_cutoff: "4pm"', 'written "HH:MM"'),
    ('payment_cutoff: "24:00"', 'written "HH:MM"'),
])
def test_a_badly_written_cutoff_is_an_input_error_at_its_line(checker, tmp_path, written, needle):
    path = edited(tmp_path, 'payment_cutoff: "16:00"', written)
    result = checker.check_file(path)
    assert result.error is not None
    assert needle in result.error["message"]
    assert result.error["location"]["line"] == line_of(path, "payment_cutoff:")
