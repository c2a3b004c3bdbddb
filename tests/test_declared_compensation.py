"""Declared compensation against the agreed formula, and `offering-check compensate`, on the real
众信旅游 / 竹园国旅 terms with the HYPOTHETICAL profits of catalogue §3.1 (A = 50M / 60M / 70M;
the obligors hold 800,000 shares). The seed gives no actual profits."""

import json
import os
import subprocess
import sys
from fractions import Fraction

from checker.derive.compensation import NotComputable, terms_of
from checker.loading import load_file
from checker.validate import validate

from .conftest import ROOT, edited, line_of

SHORT = os.path.join(ROOT, "cases", "violations", "ma-compensation-one-share-short.yaml")


def cli(*args):
    proc = subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def findings(checker, path, rule_id):
    return [f for f in checker.check_file(path).findings if f.rule_id == rule_id]


def test_a_declaration_one_share_short_is_caught_at_its_line(checker):
    [finding] = findings(checker, SHORT, "ma.comp.declared_matches_formula.shares")
    assert finding.status == "violation"
    assert finding.position.line == line_of(SHORT, "shares: 233093")
    assert finding.expected["en"].startswith("233,094 shares")
    assert findings(checker, SHORT, "ma.comp.declared_matches_formula.cash") == []


def test_the_exact_declaration_passes(checker, tmp_path):
    path = edited(tmp_path, "shares: 233093", "shares: 233094", source=SHORT)
    assert findings(checker, path, "ma.comp.declared_matches_formula.shares") == []


def test_without_the_contracts_rounding_it_is_not_evaluated_and_says_why(checker, tmp_path):
    path = edited(tmp_path, "  share_rounding: up", "", source=SHORT)
    [finding] = findings(checker, path, "ma.comp.declared_matches_formula.shares")
    assert finding.status == "not_evaluated"
    assert "share rounding is not stated" in finding.message["en"]


def test_terms_of_a_case_without_commitments_name_what_is_missing():
    case = validate(load_file(os.path.join(ROOT, "cases", "restructuring", "shengli-three-targets.yaml")))
    try:
        terms_of(case)
    except NotComputable as exc:
        assert "performance.committed_profit" in exc.reason["en"]
    else:
        raise AssertionError("胜利精密's commitments are cut off in the seed: no terms")


def test_three_year_schedule_matches_the_hand_computation(tmp_path):
    # Hand computation (§3.1; ΣC = 215.4M, V = 630M, P = 81.56, fractional shares kept):
    #   Y1: (56.5 − 50) / 215.4 × 630M = 19,011,142.0613 → ÷ 81.56 = 233,093.9439 shares
    #   Y2: cum gap 17.12M → 50,072,423.3983 − 19,011,142.0613 = 31,061,281.3370 → 380,839.6437 shares
    #   Y3: cum gap 35.4M → 103,537,604.4568 − 50,072,423.3983 = 53,465,181.0585; only
    #       800,000 − 233,093.9439 − 380,839.6437 = 186,066.4125 shares left → cash
    #       53,465,181.0585 − 186,066.4125 × 81.56 = 38,289,604.4618 → 38,289,604.46
    path = edited(tmp_path, "actual_profit: [50000000, null, null]", "actual_profit: [50000000, 60000000, 70000000]",
                  source=SHORT)
    path = edited(tmp_path, "share_rounding: up", "share_rounding: none", source=path, name="none.yaml")
    code, out, err = cli("compensate", path, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["status"] for r in rows] == ["computed"] * 3
    due = [Fraction(r["amount_due"]) for r in rows]
    assert [round(float(d), 2) for d in due] == [19011142.06, 31061281.34, 53465181.06]
    shares = [Fraction(r["shares_delivered"]) for r in rows]
    assert [round(float(s), 4) for s in shares] == [233093.9439, 380839.6437, 186066.4125]
    assert sum(shares) == 800000
    assert [r["cash"] for r in rows] == ["0", "0", "38289604.46"]


def test_compensate_prints_a_table(tmp_path):
    code, out, _ = cli("compensate", SHORT, "--lang", "en")
    assert code == 0
    assert "Cumulative gap" in out and "233,093.9439 → 233,094" in out and "pending" in out


def test_compensate_refuses_an_ipo_case_and_an_incomplete_one():
    code, _, err = cli("compensate", os.path.join(ROOT, "cases", "ipo", "dapuwei-2026.yaml"))
    assert code == 2 and "takes a restructuring case" in err
    code, _, err = cli("compensate", os.path.join(ROOT, "cases", "restructuring", "shengli-three-targets.yaml"))
    assert code == 2 and "performance.committed_profit" in err and "shengli-three-targets.yaml:" in err
