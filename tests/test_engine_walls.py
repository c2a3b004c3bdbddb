"""Each engine hazard of ../shared/engine-notes.md §5 that our use could reach, and its wall.

What the whole compiled catalogue sends to durable_rules is scanned as sent (each shard's
`Ruleset._definition`); hazards that crash the C core are shown in a subprocess, once on the raw
engine (the hazard is real: the process dies or facts vanish) and once through our Engine (the
wall holds). Already in tests/test_engine.py: no Host and no threads (H4–H6), sessions deleted
(H20), priming (H3, our side), exact integers at float traps (H9), the encoder refusing floats and
NaN (H7), hash collisions (H14), absent → not_evaluated and mistyped → input error (H10, H11),
zero divisors, and the limits canary (H16).
"""

from __future__ import annotations

import pytest

from checker.casetypes import FACT_KINDS
from checker.engine import MAX_PROPERTIES, Engine, EngineError, _noop

from .test_compile import walk
from .test_engine import run_py

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
    # Whether the raw engine dies depends on the heap layout: engine-notes saw 3 segfaults in 3
    # runs; under CI's Python 3.12 it survived once. So the raw outcome is shown, not asserted.
    print(f"[H3] raw engine, 300 unprimed deletes: exit {proc.returncode}")
    # ours: every ruleset of every engine has the priming rule, and it ran (in the one sid we use)
    for _, _, _, shard in definitions(checker):
        assert "__prime__" in shard.ruleset._definition
    # (the primed engine surviving 300 unmatched cases: test_engine.py::test_priming_prevents_the_delete_state_crash)
