"""The walls around durable_rules' hazards (../shared/engine-notes.md §5), each shown to hold.

Hazards that crash the C core are exercised in a subprocess, so a regression fails the test
instead of killing the test run.
"""

import json
import os
import subprocess
import sys
import textwrap

import durable_rules_engine as _dre
import pytest

from checker.check import Checker
from checker.engine import SHARD_PATHS, Engine, EngineError, assert_no_collisions, encode, fnv1a32
from checker.errors import InputError
from checker.rulepack import load_catalogue

from .conftest import DAPUWEI, edited

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_py(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_no_host_and_no_timer_threads_are_created():
    proc = run_py("""
        import sys, threading
        from checker.check import default_checker
        result = default_checker().check_file('cases/ipo/dapuwei-2026.yaml')
        print('durable.lang' in sys.modules, threading.active_count())
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "1"]


def test_sessions_are_deleted_so_the_1024_live_state_cap_is_never_hit(checker):
    # without delete_state in `finally`, live session 1025 raises MemoryError (H20)
    engine = checker.engine("ipo")
    facts = [{"kind": "offering", "id": "f0", "_0": 0, "_asof": 0, "_board": "x"}]
    for _ in range(1100):
        assert engine.evaluate([dict(f) for f in facts]) == set()


def test_priming_prevents_the_delete_state_crash():
    # H3: deleting a session in which no action ever ran frees uninitialised pointers.
    # Every case below matches nothing; the primed engine must survive them all.
    proc = run_py("""
        from checker.engine import Engine
        engine = Engine({"r": {"$and": [{"kind": "offering"}, {"$gt": {"_0": 1}}]}}, {"r": 1})
        for i in range(300):
            assert engine.evaluate([{"kind": "nothing", "id": "f0", "_0": 0}]) == set()
        print("ok")
    """)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (proc.returncode, proc.stderr[-500:])


def test_integer_comparisons_are_exact_at_float_traps():
    # 0.3 × 43,621,636 = 13,086,490.8 exactly; as floats it is 13086490.799999999 (H9)
    engine = Engine({"r": {"$and": [{"kind": "o"}, {"$gt": {"_0": {"$sub": {
        "$l": {"$mul": {"$l": {"$m": "x"}, "$r": 10}}, "$r": {"$mul": {"$l": {"$m": "y"}, "$r": 3}}}}}}]}},
        {"r": 1})  # fires when 10x − 3y < 0, i.e. x < 0.3·y
    fires = lambda x: bool(engine.evaluate([{"kind": "o", "id": "f0", "_0": 0, "x": x, "y": 43621636}]))
    assert fires(13086490) and not fires(13086491)
    big = {"kind": "o", "id": "f0", "_0": 0, "y": 10**11}  # 0.3 × 10^11 = 3 × 10^10 exactly
    assert engine.evaluate([dict(big, x=3 * 10**10 - 1)]) and not engine.evaluate([dict(big, x=3 * 10**10)])


def test_encoder_refuses_floats_none_and_nan():
    for bad in (1e-05, None, float("nan"), 2**64):
        with pytest.raises(EngineError):
            encode([{"kind": "o", "id": "f0", "x": bad}])
    assert encode([{"kind": "o", "id": "f0", "x": 5, "名称": "大普微"}]) == \
        '[{"kind":"o","id":"f0","x":5,"名称":"大普微"}]'


def test_hash_collisions_are_detected():
    # a real FNV-1a 32-bit collision that silently drops a fact in the engine (H14)
    assert fnv1a32("inv-329599") == fnv1a32("inv-532382")
    with pytest.raises(EngineError, match="collide"):
        assert_no_collisions(["inv-329599", "inv-532382"], "fact ids")


def test_catalogue_stays_inside_the_engine_limits_with_headroom(checker, capsys):
    """The crash canary (H16, H7, H20): margins under each engine limit, printed for every engine."""
    from checker.casetypes import FACT_KINDS
    from checker.engine import MAX_PROPERTIES
    catalogue = checker.catalogue
    lines = []
    for case_type in sorted(FACT_KINDS):
        engine = checker.engine(case_type)
        rules = {r.key: r for r in catalogue.for_case(case_type)}
        loads = [sum(rules[name].compiled.paths for name in s.names) for s in engine.shards]
        # a node's sibling tests are at most the ruleset's alternatives, plus the priming rule
        siblings = max(loads) + 1
        per_ruleset = max(len(s.names) for s in engine.shards) + 1
        # kind, id, _0, _asof, _board and sid, plus one property per declared field
        props = max(len(specs) + 6 for specs in FACT_KINDS[case_type].values())
        comparisons = max(r.compiled.comparisons for r in rules.values())
        lines.append(f"{case_type}: {len(rules)} rule versions in {len(engine.shards)} ruleset(s); "
                     f"sibling tests per node ≤ {siblings} (engine: 303 at 65, hang at 512; margin "
                     f"{65 - siblings} and {512 - siblings}); rules per ruleset ≤ {per_ruleset} (engine: error 106 "
                     f"past 4,096; margin {4096 - per_ruleset}); comparisons in one pattern ≤ {comparisons}; properties per "
                     f"fact ≤ {props} (our cap {MAX_PROPERTIES}, engine drops facts past ~254; margin "
                     f"{254 - props}); live sessions 1 (cap 1,024; margin 1,023)")
        assert siblings <= SHARD_PATHS + 1 <= 65 - 16
        assert all(load <= SHARD_PATHS for load in loads)
        assert sorted(n for s in engine.shards for n in s.names) == sorted(rules)
        assert props <= MAX_PROPERTIES < 254
        assert comparisons < 100
        # one live session at most: after a case none is left (deleting again finds nothing)
        engine.evaluate([{"kind": "none", "id": "f0", "_0": 0}])
        for s in engine.shards:
            with pytest.raises(_dre.error):
                _dre.delete_state(s.handle, "c")
    with capsys.disabled():
        print("\n[limits] " + "\n[limits] ".join(lines))


def test_absent_field_is_not_evaluated_and_mistyped_is_input_error(checker, tmp_path):
    absent = edited(tmp_path, "  offline_initial_shares: 27918309\n", "", name="absent.yaml")
    result = checker.check_file(absent)
    ne = [f for f in result.findings if f.status == "not_evaluated"]
    assert any(f.rule_id == "ipo.offline.initial_ratio.growth_large_or_unprofitable"
               and f.missing == ["allocation.offline_initial_shares"] for f in ne)
    wrong = edited(tmp_path, "  offline_initial_shares: 27918309\n",
                   "  offline_initial_shares: '27918309'\n", name="wrong.yaml")
    result = checker.check_file(wrong)
    assert result.error["kind"] == "input_error"
    assert result.error["field"] == "allocation.offline_initial_shares"


def test_zero_divisor_is_not_evaluated(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: test.zero.divisor
            topic: test.zero
            title: {zh: 测试, en: test}
            severity: error
            confidence: verified
            cite: {source: 测试, version: "1"}
            applies: {case: ipo, from: 2000-01-01}
            for_each: strategic_investor
            require: investor.shares / offering.issue_shares <= 20%
            message: {zh: 超过, en: over}
            examples:
              - {expect: pass, case: cases/ipo/dapuwei-2026.yaml}
              - {expect: fail, case: cases/ipo/dapuwei-2026.yaml}
        """), encoding="utf-8")
    case = edited(tmp_path, "  issue_shares: 43621636", "  issue_shares: 0")
    result = Checker(load_catalogue(str(rules))).check_file(case)
    assert result.error is None
    assert {f.status for f in result.findings} == {"not_evaluated"}
    assert all("offering.issue_shares = 0" in f.missing for f in result.findings)
    ok = Checker(load_catalogue(str(rules))).check_file(DAPUWEI)
    assert [f.status for f in ok.findings] == []


def test_out_of_range_derived_value_is_an_input_error(checker, tmp_path):
    many = "".join(f"    - {{name: 投资者{i}, type: other, shares: 90000000000, lockup_months: 12}}\n"
                   for i in range(15))
    path = edited(tmp_path, "  investors:\n", "  investors:\n" + many)
    result = checker.check_file(path)
    assert result.error and result.error["kind"] == "input_error"
    assert "outside the supported range" in result.error["message"]


def test_input_error_type_is_exit_code_2():
    assert InputError("x").exit_code == 2


def test_hits_are_read_from_the_message_as_json_would_read_them():
    from checker.engine import _hits
    fact = {"kind": "offering", "id": "f0", "name": '一个"{\\"m\\":{"名字', "n": 1}
    one = json.dumps({"ipo.x@2023-02-17": {"m": fact}}, ensure_ascii=False, separators=(",", ":"))
    two = json.dumps({"a@1": {"m": fact}, "b@2": {"m": {**fact, "id": "f1"}}}, separators=(",", ":"))
    other_order = json.dumps({"c@3": {"m": {"id": "f2", "kind": "offering"}}}, separators=(",", ":"))
    assert _hits(one) == [("ipo.x@2023-02-17", "f0")]
    assert _hits(two) == [("a@1", "f0"), ("b@2", "f1")]
    assert _hits(other_order) == [("c@3", "f2")]
