"""Absent means unknown: a fact the case does not state gives not_evaluated naming it, never a
pass or a violation read from false, zero or empty; stating it decides. One test per field family,
each on a bundled case edited through its document (as the rules' own examples are)."""

import os
from decimal import Decimal

from checker.examples import apply_set
from checker.loading import load_file

from .conftest import DAPUWEI, ROOT

HUADIAN = os.path.join(ROOT, "cases", "real", "huadianxinneng-2025.yaml")
ONLINE = os.path.join(ROOT, "cases", "violations", "online-and-payment.yaml")


def check(checker, path, changes):
    result = checker.check_document(path, apply_set(load_file(path), changes))
    assert result.error is None, result.error
    return result


def findings(checker, path, rule_id, changes):
    return [f for f in check(checker, path, changes).findings if f.rule_id == rule_id]


def status(checker, path, rule_id, changes):
    """'violation', 'not_evaluated' (with the fields it names) or 'pass' (no finding)."""
    mine = findings(checker, path, rule_id, changes)
    assert len({f.status for f in mine}) <= 1, [f.status for f in mine]
    return mine[0].status if mine else "pass"


def missing(checker, path, rule_id, changes):
    (finding,) = [f for f in findings(checker, path, rule_id, changes) if f.status == "not_evaluated"]
    return finding


ABOVE_CEILING = {"offering.price": Decimal("61.18")}   # 大普微's ceiling is 61.17


def test_a_notice_not_listed_is_unknown_and_stating_it_decides(checker):
    rule = "ipo.pricing.ceiling_notice"
    gone = missing(checker, DAPUWEI, rule, {**ABOVE_CEILING, "disclosures": []})
    assert gone.missing == ["disclosures.investment_risk_notice"]
    assert gone.position.line > 1     # not the case_type line: where the disclosures are written
    assert status(checker, DAPUWEI, rule, ABOVE_CEILING) == "pass"    # the old list form: listed = true
    assert status(checker, DAPUWEI, rule, {**ABOVE_CEILING, "disclosures": {"investment_risk_notice": True}}) \
        == "pass"
    assert status(checker, DAPUWEI, rule, {**ABOVE_CEILING, "disclosures": {"investment_risk_notice": False}}) \
        == "violation"
    assert status(checker, DAPUWEI, rule, {**ABOVE_CEILING, "disclosures": [],
                                           "disclosures_complete": True}) == "violation"
    # the P/E notice of a profitable issuer: the same
    pe = {"issuer.profitable": True, "pricing.issue_pe": Decimal("30.02"), "pricing.industry_pe": Decimal("30.01")}
    assert missing(checker, DAPUWEI, "ipo.pricing.pe_notice", {**pe, "disclosures": []}).missing == [
        "disclosures.investment_risk_notice"]
    assert status(checker, DAPUWEI, "ipo.pricing.pe_notice", pe) == "pass"


def test_a_placing_object_that_does_not_say_whether_it_bid_is_not_taken_as_no_bid(checker):
    rule = "ipo.online.one_channel"
    gone = missing(checker, ONLINE, rule, {"placing_objects.1.bid": None})
    assert gone.missing == ["placing_objects[1].bid"]   # the key as the case writes it
    assert status(checker, ONLINE, rule, {"placing_objects.1.bid": True}) == "violation"
    assert status(checker, ONLINE, rule, {"placing_objects.1.bid": False}) == "pass"


def test_an_unrecorded_regulator_order_is_unknown(checker):
    rule = "ipo.abort.regulator_order"
    completed = {"outcome.status": "completed"}   # on a plan the rule waits for the outcome (pending)
    assert status(checker, DAPUWEI, rule, {}) == "pending"
    assert missing(checker, DAPUWEI, rule, completed).missing == ["outcome.regulator_order"]
    assert status(checker, DAPUWEI, rule, {"outcome.regulator_order": False}) == "pass"
    assert status(checker, DAPUWEI, rule, {"outcome.regulator_order": True}) == "violation"
    assert status(checker, DAPUWEI, rule, {"outcome.status": "suspended"}) == "pass"   # either way


NO_LINES = {"strategic.investors": [], "strategic.final_shares": None}


def test_no_strategic_lines_is_not_proof_of_no_sponsor_co_investment(checker):
    rule, star = "ipo.abort.cosponsor_failed.star", {"issuer.board": "star"}
    gone = missing(checker, DAPUWEI, rule, {**star, **NO_LINES})
    assert gone.missing == ["strategic.sponsor_paid"]
    assert "strategic.final_shares" in gone.message["en"]
    # final_shares: 0 says there is no placement, hence no co-investment on STAR: a violation
    assert status(checker, DAPUWEI, rule, {**star, **NO_LINES, "strategic.final_shares": 0}) == "violation"
    assert status(checker, DAPUWEI, rule, star) == "pass"


def test_the_strategic_total_is_the_lines_else_the_stated_final_shares_else_unknown(checker):
    cap = "ipo.strategic.cap_ratio.lt100m"
    gone = missing(checker, DAPUWEI, cap, NO_LINES)
    assert gone.missing == ["strategic.total_shares"]
    assert "strategic.final_shares" in gone.message["en"]
    stated = {"strategic.investors": []}
    assert status(checker, DAPUWEI, cap, stated) == "pass"   # 8,724,327 stated
    assert status(checker, DAPUWEI, cap, {**stated, "strategic.final_shares": 8724328}) == "violation"
    # the net public issue follows the stated total: the tranches add up, no false alarm
    assert status(checker, DAPUWEI, "ipo.consistency.tranches.initial", stated) == "pass"
    assert status(checker, DAPUWEI, "ipo.consistency.tranches.initial", NO_LINES) == "not_evaluated"
    # the consistency rule compares lines and the stated total only when both exist
    total = "ipo.consistency.strategic_total"
    assert status(checker, DAPUWEI, total, {"strategic.final_shares": None}) == "pass"
    assert findings(checker, DAPUWEI, total, {"strategic.final_shares": None}) == []
    assert findings(checker, DAPUWEI, total, stated) == []
    assert status(checker, DAPUWEI, total, {"strategic.final_shares": 8724328}) == "violation"


FINALS = {"allocation.offline_final_shares": 20938809, "allocation.online_final_shares": 13958500}


def test_an_over_allotment_of_unstated_size_is_not_treated_as_none(checker):
    rule = "ipo.consistency.tranches.final"
    gone = missing(checker, DAPUWEI, rule, {**FINALS, "offering.greenshoe": True})
    assert gone.missing == ["offering.greenshoe_shares"]
    assert "over-allotment option whose size is not stated" in gone.message["en"]
    unsaid = missing(checker, DAPUWEI, rule, {**FINALS, "offering.greenshoe": None})
    assert unsaid.missing == ["offering.greenshoe_shares"]
    assert status(checker, DAPUWEI, rule, FINALS) == "pass"     # greenshoe: false in the case
    sized = {**FINALS, "offering.greenshoe": True, "offering.greenshoe_shares": 1000000}
    assert status(checker, DAPUWEI, rule, sized) == "violation"
    assert status(checker, DAPUWEI, rule, {**sized, "allocation.offline_final_shares": 21938809}) == "pass"
    # a real 2025 main-board offering with an exercised greenshoe
    assert status(checker, HUADIAN, rule, {}) == "pass"
    # its figures alone imply the option
    assert status(checker, DAPUWEI, rule, {**FINALS, "offering.greenshoe": None,
                                           "offering.greenshoe_exercised_shares": 1000000}) == "not_evaluated"


def test_old_shares_not_stated_leave_the_gross_proceeds_check_open(checker):
    rule, slip = "ipo.consistency.gross_proceeds", {"offering.gross_proceeds": Decimal("2010185000.00")}
    gone = missing(checker, DAPUWEI, rule, {**slip, "offering.old_shares": None})
    assert gone.missing == ["offering.has_old_shares"]
    assert "offering.old_shares" in gone.message["en"]
    assert status(checker, DAPUWEI, rule, slip) == "violation"     # old_shares: 0 in the case
    assert findings(checker, DAPUWEI, rule, {"offering.gross_proceeds": None}) == []   # nothing stated


PCT_ONLY = {"pricing.excluded_bid_shares": None, "pricing.total_bid_shares": None}


def test_a_stated_exclusion_percentage_counts_when_the_shares_are_absent(checker):
    rule = "ipo.pricing.exclusion_ratio"
    (finding,) = findings(checker, DAPUWEI, rule, {**PCT_ONLY, "pricing.excluded_bid_pct": Decimal("3.2")})
    assert finding.status == "violation"
    text = load_file(DAPUWEI)
    assert finding.position.line == text.position(("pricing", "excluded_bid_pct")).line
    assert status(checker, DAPUWEI, rule, PCT_ONLY) == "pass"     # 2.9877%
    assert status(checker, DAPUWEI, rule, {**PCT_ONLY, "pricing.excluded_bid_pct": None}) == "not_evaluated"
    # exact shares decide over a rounded percentage
    assert status(checker, DAPUWEI, rule, {"pricing.excluded_bid_shares": 3037905001,
                                           "pricing.excluded_bid_pct": Decimal("3.00")}) == "violation"
    # the consistency rule needs both the percentage and the shares
    assert findings(checker, DAPUWEI, "ipo.consistency.percent.excluded_bids", PCT_ONLY) == []
    assert status(checker, DAPUWEI, "ipo.consistency.percent.excluded_bids",
                  {"pricing.excluded_bid_pct": Decimal("2.9876")}) == "violation"


def test_a_consistency_rule_without_a_stated_figure_gives_no_finding(checker):
    unstated = {"offering.issue_pct": None, "strategic.initial_pct": None, "strategic.final_pct": None,
                "allocation.offline_initial_pct": None, "allocation.online_initial_pct": None,
                "strategic.investors.0.pct_of_issue": None, "strategic.investors.1.pct_of_issue": None,
                "strategic.investors.2.pct_of_issue": None}
    result = check(checker, DAPUWEI, unstated)
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("ipo.consistency.percent.")] == []
    wrong = check(checker, DAPUWEI, {"offering.issue_pct": 25})
    assert "ipo.consistency.percent.issue" in {f.rule_id for f in wrong.findings if f.status == "violation"}


def test_a_stated_net_public_issue_stands_in_for_absent_strategic_figures(checker):
    tranches, net = "ipo.consistency.tranches.initial", {"offering.net_public_shares": 34897309}
    assert status(checker, DAPUWEI, tranches, {**NO_LINES, "allocation.online_initial_shares": 6979001}) \
        == "not_evaluated"
    assert status(checker, DAPUWEI, tranches, {**NO_LINES, **net}) == "pass"
    assert status(checker, DAPUWEI, tranches, {**NO_LINES, "offering.net_public_shares": 34897308}) \
        == "violation"
    # the strategic total follows: 43,621,636 − 34,897,309 = 8,724,327, within 20%
    assert status(checker, DAPUWEI, "ipo.strategic.cap_ratio.lt100m", {**NO_LINES, **net}) == "pass"
    rule = "ipo.consistency.net_public"
    assert findings(checker, DAPUWEI, rule, {}) == []
    assert findings(checker, DAPUWEI, rule, {**NO_LINES, **net}) == []     # nothing to compare with
    assert status(checker, DAPUWEI, rule, net) == "pass"
    assert status(checker, DAPUWEI, rule, {"offering.net_public_shares": 34897310}) == "violation"


OFFLINE = os.path.join(ROOT, "cases", "violations", "offline-defaults.yaml")


def test_earlier_records_not_given_leave_the_count_and_the_restriction_unknown(checker):
    ladder = "ipo.default.offline_ladder.serious_first"     # object 3: a first item-13 record, 6 months
    unknown = {"placing_objects.3.prior_defaults": None}
    gone = missing(checker, OFFLINE, ladder, {**unknown, "placing_objects.3.defaults.0.restriction_months": 12})
    assert gone.missing == ["default.count_in_year"] and "prior_defaults" in gone.message["en"]
    assert status(checker, OFFLINE, ladder, {}) == "pass"
    assert status(checker, OFFLINE, ladder, {"placing_objects.3.defaults.0.restriction_months": 12}) \
        == "violation"
    bid = "ipo.default.offline_restricted_bid"           # object 1 bids while restricted
    gone = missing(checker, OFFLINE, bid, {"placing_objects.1.prior_defaults": None})
    assert set(gone.missing) == {"object.restricted", "object.restricted_until"}
    assert status(checker, OFFLINE, bid, {}) == "violation"
    assert status(checker, OFFLINE, bid, {"placing_objects.1.prior_defaults": []}) == "pass"


HOLDER = os.path.join(ROOT, "cases", "violations", "ma-controller-lockup-12m.yaml")


def test_a_counterparty_not_said_to_be_an_obligor_or_not_leaves_the_obligor_total_unknown(checker):
    rule, over = "ma.comp.cap.shares", {"performance.declared": [{"year": 2024, "shares": 24000001, "cash": 0}]}
    gone = missing(checker, HOLDER, rule, {**over, "counterparties.1.obligor": None})
    assert gone.missing == ["comp.obligor_shares"]
    assert status(checker, HOLDER, rule, over) == "violation"
    assert status(checker, HOLDER, rule, {**over, "counterparties.1.obligor": False}) == "violation"
