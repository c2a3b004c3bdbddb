"""Real figures fit: every bound and precision of the case models takes what announcements print.

Each figure below is quoted from a real announcement (the bundled cases/real sources): it must
validate as written and reach the engine (inside the fact field's bounds), and one more decimal or
one more unit than the model allows must be refused with the field and its line:col.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.loading import load_file
from checker.validate import validate

from .conftest import edited

# dapuwei's own lines, replaced by a real figure from another announcement
PLAN_END = "  offline_lockup:\n    pct: 40\n"


def _case(tmp_path, old: str, new: str) -> str:
    return edited(tmp_path, old, new)


REAL = [
    # (what, old text, new text, path in the model, value)
    ("SZSE online multiple to 5 decimals (朝研 2025: 7,930.15473倍)",
     "  online_initial_pct: 20.00\n", "  online_initial_pct: 20.00\n  online_effective_multiple: 7930.15473\n",
     ("allocation", "online_effective_multiple"), Decimal("7930.15473")),
    ("SZSE online multiple past 6,000 to 5 decimals (6,423.77018倍)",
     "  online_initial_pct: 20.00\n", "  online_initial_pct: 20.00\n  online_effective_multiple: 6423.77018\n",
     ("allocation", "online_effective_multiple"), Decimal("6423.77018")),
    ("SSE online multiple to 4 decimals (奇安信 2020: 3,700.8019倍)",
     "  online_initial_pct: 20.00\n", "  online_initial_pct: 20.00\n  online_effective_multiple: 3700.8019\n",
     ("allocation", "online_effective_multiple"), Decimal("3700.8019")),
    ("offline valid subscriptions past 10^12 shares (华电新能 2025: 101,312,500万股)",
     "outcome:\n", "results:\n  offline_subscribed_shares: 1013125000000\n\noutcome:\n",
     ("results", "offline_subscribed_shares"), 1_013_125_000_000),
    ("a bid book past 10^12 shares (华电新能 2025: 107,316,630万股)",
     "  total_bid_shares: 101263500000\n", "  total_bid_shares: 1073166300000\n",
     ("pricing", "total_bid_shares"), 1_073_166_300_000),
    ("a benchmark price to 4 decimals (恒光 2021: 22.6944元/股)",
     "  ceiling: 61.1700\n", "  ceiling: 61.1700\n  benchmarks: {wavg_ltf: 22.6944}\n",
     ("pricing", "benchmarks", "wavg_ltf"), Decimal("22.6944")),
    ("a percentage to 4 decimals (华电新能 2025: 1.0217%)",
     "  excluded_bid_pct: 2.9877\n", "  excluded_bid_pct: 1.0217\n",
     ("pricing", "excluded_bid_pct"), Decimal("1.0217")),
    ("a P/E to 2 decimals (华电新能 2025: 15.56倍)",
     "  valid_bidder_count: 281\n", "  valid_bidder_count: 281\n  issue_pe: 15.56\n",
     ("pricing", "issue_pe"), Decimal("15.56")),
    ("proceeds to the fen (恒光 2021 战略配售获配金额 30,270,450.00元)",
     "  gross_proceeds: 2010085000.00\n", "  gross_proceeds: 30270450.00\n",
     ("offering", "gross_proceeds"), Decimal("30270450.00")),
    ("a lock-up ratio (华电新能 2025: 70%)",
     PLAN_END, "  offline_lockup:\n    pct: 70\n",
     ("allocation", "offline_lockup", "pct"), Decimal("70")),
]


def _get(case, path):
    node = case
    for part in path:
        node = getattr(node, part)
    return node


@pytest.mark.parametrize("what,old,new,path,expected", REAL, ids=[r[0] for r in REAL])
def test_a_real_figure_validates_and_reaches_the_engine(checker, tmp_path, what, old, new, path, expected):
    case_path = _case(tmp_path, old, new)
    assert _get(validate(load_file(case_path)), path) == expected
    result = checker.check_file(case_path)
    assert result.error is None, result.error      # inside the fact field's bounds too


@pytest.mark.parametrize("old,new,field,needle", [
    ("  online_initial_pct: 20.00\n", "  online_initial_pct: 20.00\n  online_effective_multiple: 100.000001\n",
     "allocation.online_effective_multiple", "100.000001"),
    ("outcome:\n", "results:\n  offline_subscribed_shares: 100000000000001\n\noutcome:\n",
     "results.offline_subscribed_shares", "100000000000001"),
])
def test_one_step_past_the_widened_bound_is_refused(tmp_path, old, new, field, needle):
    path = _case(tmp_path, old, new)
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    err = info.value
    assert err.field == field
    text = Path(path).read_text(encoding="utf-8")
    index = text.index(needle)
    assert (err.position.line, err.position.col) == (text.count("\n", 0, index) + 1,
                                                     index - text.rfind("\n", 0, index))


def test_a_five_decimal_multiple_just_above_100_decides_the_clawback(checker, tmp_path):
    # 100.00001 is above 100: the 100× clawback tier applies, and the message does not round it away
    path = _case(tmp_path, "  online_initial_pct: 20.00\n",
                 "  online_initial_pct: 20.00\n  online_effective_multiple: 100.00001\n"
                 "  clawback_shares: 0\n  offline_final_shares: 27918309\n  online_final_shares: 6979000\n")
    result = checker.check_file(path)
    clawback = [f for f in result.findings if f.topic.startswith("ipo.clawback") and f.status == "violation"]
    assert clawback, [(f.rule_id, f.status) for f in result.findings]
    assert any("100.00001" in f.message["en"] or "100.00001" in f.actual["en"] for f in clawback)
