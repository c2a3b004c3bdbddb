"""Derived values: each has a name, a doc line in checker/facts.py, and a test here."""

import datetime as dt
from decimal import Decimal

from checker.casetypes import FACT_KINDS
from checker.derive import derive
from checker.derive.dates import add_months, whole_months
from checker.loading import load_file
from checker.validate import validate

from .conftest import DAPUWEI, edited


def facts_of(path):
    doc = load_file(path)
    case = validate(doc)
    return derive("ipo", case, doc)


def test_offering_totals_of_dapuwei():
    offering = facts_of(DAPUWEI)[0].values
    assert offering["strategic.total_shares"] == 8_724_327
    assert offering["offering.net_public_shares"] == 34_897_309
    assert offering["strategic.sponsor_shares"] == 1_308_649
    assert offering["strategic.employee_plan_shares"] == 2_604_166
    assert offering["strategic.investor_count"] is None          # an aggregate line without a count
    assert offering["pricing.ceiling"] == Decimal("61.1700")
    assert offering["disclosures.investment_risk_notice"] is True


def test_every_derived_field_is_declared():
    for fact in facts_of(DAPUWEI):
        assert set(fact.values) <= set(FACT_KINDS["ipo"][fact.kind]), fact.kind
        for spec in FACT_KINDS["ipo"][fact.kind].values():
            assert spec.doc


def test_investor_count_with_aggregate_counts(tmp_path):
    path = edited(tmp_path, "      aggregate: true\n", "      aggregate: true\n      investor_count: 5\n")
    assert facts_of(path)[0].values["strategic.investor_count"] == 7


def test_ceiling_is_lowest_of_four_benchmarks(tmp_path):
    path = edited(tmp_path, "  ceiling: 61.1700\n",
                  "  benchmarks: {median_all: 62.0000, wavg_all: 61.9000, median_ltf: 61.1700, wavg_ltf: 61.5000}\n")
    assert facts_of(path)[0].values["pricing.ceiling"] == Decimal("61.1700")
    partial = edited(tmp_path, "  ceiling: 61.1700\n", "  benchmarks: {median_all: 62.0000}\n", name="p.yaml")
    assert facts_of(partial)[0].values["pricing.ceiling"] is None


def test_investor_facts_carry_offering_values():
    investors = [f for f in facts_of(DAPUWEI) if f.kind == "strategic_investor"]
    assert [f.values["investor.type"] for f in investors] == ["sponsor_subsidiary", "employee_plan", "other"]
    assert {f.values["offering.issue_shares"] for f in investors} == {43_621_636}
    assert [f.id for f in investors] == ["f1", "f2", "f3"]


def test_lockup_months_from_a_date():
    listing = dt.date(2026, 4, 15)
    assert whole_months(listing, dt.date(2027, 4, 14)) == 12    # 上市之日起12个月 ends the day before
    assert whole_months(listing, dt.date(2027, 4, 13)) == 11
    assert whole_months(listing, dt.date(2027, 12, 31)) == 20
    assert whole_months(dt.date(2026, 1, 31), dt.date(2026, 2, 26)) == 0
    assert whole_months(dt.date(2026, 1, 31), dt.date(2026, 2, 27)) == 1   # 1-31 + 1 month clamps to 2-28
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_aggregate_line_hiding_an_employee_plan_makes_its_shares_absent(tmp_path):
    # An "other" aggregate that includes an employee plan must not let the 10% cap pass on 0 shares.
    path = edited(tmp_path, "      aggregate: true\n", "      aggregate: true\n      includes_employee_plan: true\n")
    offering = facts_of(path)[0]
    assert offering.values["strategic.employee_plan_shares"] is None
    assert "includes_employee_plan" in offering.absent_reasons["strategic.employee_plan_shares"]["en"]
    assert facts_of(DAPUWEI)[0].values["strategic.employee_plan_shares"] == 2_604_166
