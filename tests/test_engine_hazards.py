"""The durable_rules hazards our use could reach, and the wall around each, shown to hold.

The hazards and their codes (H1–H20) are described in docs/architecture.md, section "Engine
hazards". What the whole compiled catalogue sends to durable_rules is scanned as sent (each shard's
`Ruleset._definition`). Hazards that crash the C core are exercised in a subprocess, so a regression
fails the test instead of killing the test run; where it shows the hazard is real, the raw engine is
run once (the process dies or facts vanish) and our Engine once (the wall holds).
"""

import json
import os
import subprocess
import sys
import textwrap

import durable_rules_engine as _dre
import pytest

from checker.casetypes import FACT_KINDS
from checker.check import Checker
from checker.engine import (
    MAX_PROPERTIES,
    SHARD_PATHS,
    Engine,
    EngineError,
    _noop,
    assert_no_collisions,
    encode,
    fnv1a32,
)
from checker.errors import InputError
from checker.rulepack import load_catalogue

from .conftest import DAPUWEI, edited
from .test_compile import walk

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
    one_rule = Checker(load_catalogue(str(rules)))
    result = one_rule.check_file(case)
    assert result.error is None
    assert {f.status for f in result.findings} == {"not_evaluated"}
    assert all("offering.issue_shares = 0" in f.missing for f in result.findings)
    ok = one_rule.check_file(DAPUWEI)
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


# ---- what is sent to the engine, and the raw engine beside ours -----------------------------

ALLOWED = {"$and", "$or", "$eq", "$neq", "$lt", "$lte", "$gt", "$gte", "$add", "$sub", "$mul", "$m",
           "$l", "$r"}


def definitions(checker):
    """(case type, rule name, definition) for every rule of every shard, as sent to the engine."""
    for case_type in sorted(FACT_KINDS):
        for shard in checker.engine(case_type).shards:
            for name, rule in shard.ruleset._definition.items():
                yield case_type, name, rule, shard


def test_every_rule_sent_is_one_single_fact_pattern_starting_with_kind(checker):
    # H1, H2, H12 live in joins and H13 in patterns that can match the state fact: a rule sent to
    # the engine is exactly one pattern (`all` of one `m`), and it begins with an equality on kind
    count = 0
    for _, name, rule, _ in definitions(checker):
        assert set(rule) == {"all"}, name                      # no `any`, `pri`, `count`, `cap`
        (pattern,) = rule["all"]
        assert set(pattern) == {"m"}, name
        body = pattern["m"]
        if name == "__prime__":
            assert body == {"__prime__": 1}
            continue
        first = body["$and"][0]
        assert list(first) == ["kind"] and isinstance(first["kind"], str), name
        count += 1
    assert count == len(checker.catalogue.rules)


def test_the_compiler_emits_only_whitelisted_operators(checker):
    # H8 ($div), H12 (name$not), H13 ($nex, $s), H17 (unknown operators never match)
    for _, name, rule, _ in definitions(checker):
        for key, value in walk(rule["all"][0]["m"]):
            if key.startswith("$"):
                assert key in ALLOWED, (name, key)
            assert "$" not in key[1:], (name, key)             # no `field$not`, `field$nex`
            if key == "$m":
                assert isinstance(value, str) and not value.startswith("$"), (name, value)


def test_every_action_is_a_marker_that_runs_no_logic(checker):
    # H18: the engine swallows exceptions raised in actions; ours run nothing that could raise
    for _, name, _, shard in definitions(checker):
        assert shard.ruleset._actions[name]._func is _noop, name


def test_an_engine_refusal_is_raised_never_swallowed():
    # H15: a duplicate fact id makes the engine drop the fact (code 2); our driver raises instead
    engine = Engine({"r": {"$and": [{"kind": "o"}, {"$gt": {"_0": -1}}]}}, {"r": 1})
    with pytest.raises(EngineError, match="duplicate fact id"):
        engine.evaluate([{"kind": "o", "id": "f0", "_0": 0}, {"kind": "o", "id": "f0", "_0": 0}])
    # and the engine is still usable: the session was deleted in `finally`
    assert engine.evaluate([{"kind": "o", "id": "f1", "_0": 0}]) == {("r", "f1")}


def test_a_fact_with_too_many_properties_is_refused_not_dropped():
    # H7: past ~254 properties the engine silently drops the fact and every one after it
    engine = Engine({"r": {"$and": [{"kind": "o"}, {"$gt": {"_0": -1}}]}}, {"r": 1})
    wide = {"kind": "o", "id": "f0", "_0": 0, **{f"p{i}": i for i in range(MAX_PROPERTIES)}}
    with pytest.raises(EngineError, match="properties"):
        engine.evaluate([wide])
    fits = {"kind": "o", "id": "f0", "_0": 0, **{f"p{i}": i for i in range(MAX_PROPERTIES - 4)}}
    assert engine.evaluate([fits]) == {("r", "f0")}


RAW_SHARD = """
    import json
    from checker.engine import _Shard
    s = _Shard({"r": {"kind": "o"}})   # primed, drained like ours: only the payload is raw
    ok = {"kind": "o", "id": "f1", "sid": "c"}
"""


def test_raw_engine_drops_facts_after_an_exponent_float_or_a_wide_fact_and_ours_refuses():
    proc = run_py(RAW_SHARD + """
    first = {"kind": "o", "id": "fa", "sid": "c"}
    wide = {"kind": "o", "id": "f0", "sid": "c", **{f"p{i}": i for i in range(300)}}
    print(sorted(s.run('[{"kind":"o","id":"fa","sid":"c"},{"kind":"o","id":"f0","v":1e-05,"sid":"c"},'
                       '{"kind":"o","id":"f1","sid":"c"}]')))
    print(sorted(s.run(json.dumps([first, wide, ok]))))
    """)
    assert proc.returncode == 0, proc.stderr[-500:]
    # the hazard is real: f1 (and f0) silently vanish, no error
    assert proc.stdout.split("\n")[:2] == ["[('r', 'fa')]", "[('r', 'fa')]"]
    engine = Engine({"r": {"kind": "o"}}, {"r": 1})
    with pytest.raises(EngineError, match="only int/bool/str"):
        engine.evaluate([{"kind": "o", "id": "f0", "v": 1e-05}, {"kind": "o", "id": "f1"}])


def test_raw_engine_segfaults_on_an_exponent_float_first_and_ours_refuses_it():
    proc = run_py(RAW_SHARD + """
    s.run('[{"kind":"o","id":"f0","v":1e-05,"sid":"c"}]')
    print("survived")
    """)
    assert proc.returncode == -11 and "survived" not in proc.stdout   # SIGSEGV: the hazard is real
    proc = run_py("""
    from checker.engine import Engine, EngineError
    engine = Engine({"r": {"kind": "o"}}, {"r": 1})
    for bad in (1e-05, float("nan"), 1.5):
        try:
            engine.evaluate([{"kind": "o", "id": "f0", "v": bad}])
        except EngineError:
            print("refused")
    print(sorted(engine.evaluate([{"kind": "o", "id": "f0", "v": 1}])))
    """)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.split("\n")[:4] == ["refused"] * 3 + ["[('r', 'f0')]"]


def test_raw_engine_segfaults_deleting_an_unprimed_session_and_ours_primes_every_ruleset(checker):
    # H3: delete_state of a session in which no action ever ran frees uninitialised memory
    proc = run_py("""
    import durable.engine as de, durable_rules_engine as dre
    rs = de.Ruleset("raw", None, {"r": {"all": [{"m": {"$and": [{"kind": "o"}, {"$gt": {"_0": 1}}]}}],
                                       "run": lambda c: None}})
    for i in range(300):
        dre.assert_facts(rs._handle, '[{"kind":"nothing","id":"f0","_0":0,"sid":"c"}]')
        try:
            dre.delete_state(rs._handle, "c")
        except dre.error:
            pass
    print("survived")
    """)
    # Whether the raw engine dies depends on the heap layout: it crashed in 3 runs of 3 when the
    # hazard was measured; under CI's Python 3.12 it survived once. So the raw outcome is shown, not asserted.
    print(f"[H3] raw engine, 300 unprimed deletes: exit {proc.returncode}")
    # ours: every ruleset of every engine has the priming rule, and it ran (in the one sid we use)
    for _, _, _, shard in definitions(checker):
        assert "__prime__" in shard.ruleset._definition
    # (the primed engine surviving 300 unmatched cases: test_priming_prevents_the_delete_state_crash)
