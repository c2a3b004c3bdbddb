"""The engine's findings equal the pure-Python reference evaluator's, on every case type.

The evaluator works from the expression tree with exact fractions and Kleene logic; the engine
runs the compiled durable_rules JSON. Two draws put cases on the rules' limits:

10,000 cases, seeded (case i draws from `random.Random(f"{SEED}:{i}")`, so one case can be
replayed alone). Each case starts from the facts of a real case file (IPO, investor and
restructuring cases, every fact kind they derive) and is then pushed onto the rules' limits: for a
chosen rule, each comparison in `when` and `require` is solved for one of its fields (exactly, with
fractions) and the field set to the limit, one unit (share, fen, day, 0.0001) either side, or two;
fields are also made absent, divisors zero, flags and codes flipped, and values drawn anywhere in
the declared bounds; a min/max is made partly known (one argument on its limit, the fields of
others absent), where the known argument may settle it. The date is put on each version boundary
and the day before it. The engine runs twice: with the neutral filler of absent fields
(`encode_fact`) and with random in-range values in their place; on every (rule, fact) that the
evaluator decides, both must give its answer (so the not_evaluated decision is safe whatever an
absent field holds).

On any disagreement the whole case (date, board, every fact) and the differing (rule, fact) pairs
are printed. The run also proves it reached the limits: every rule must fire, pass and be
undecidable somewhere, every numeric `require` must be met on its limit or one unit either side
of it, every rule with a divisor must meet a zero one, and every rule that a partly known min/max
can decide must be decided so somewhere.

Besides, 1,500 IPO cases drawn by hypothesis (the offering and up to four strategic investors)
sit exactly on each limit, one share either side of it, with absent fields and zero divisors.
"""

from __future__ import annotations

import datetime as dt
import glob
import math
import os
import random
import time
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import evaluate as ev
from checker.boards import declared_boards
from checker.casetypes import FACT_KINDS
from checker.check import encode_fact
from checker.derive import derive
from checker.expr import BinOp, Bool, Call, Cmp, Field, In, Str, fields, walk
from checker.facts import Fact
from checker.loading import load_file
from checker.rulepack import load_catalogue
from checker.validate import validate

from .conftest import ROOT, RULES

SEED = 20260403
CASES = {"ipo": 6500, "restructuring": 2500, "investor": 1000}   # 10,000 in all
IPO_BOARDS = tuple(declared_boards())   # every board a rule may name
DATE_LO, DATE_HI = 1, dt.date.max.toordinal()


@pytest.fixture(scope="module")
def bundled() -> dict[str, list[tuple]]:
    """(facts, as_of, board) of every bundled case that validates, by case type (read once)."""
    out: dict[str, list[tuple]] = {t: [] for t in FACT_KINDS}
    for path in sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True)):
        doc = load_file(path)
        case = validate(doc)
        out[case.case_type].append((derive(case.case_type, case, doc), case.as_of_date, case.board))
    return out


# ---- what the rules compare ------------------------------------------------------------------


def comparisons(node) -> list[tuple]:
    """(left, right) pairs whose equality is a limit of the rule; min/max/floor/ceil give one pair
    per argument (the limit sits where the comparison meets that argument)."""
    out = []
    for n in walk(node):
        if isinstance(n, Cmp):
            left, right = n.left, n.right
            if isinstance(left, Call):
                left, right = right, left
            if isinstance(right, Call) and right.func in ("min", "max", "floor", "ceil"):
                out.extend((left, arg) for arg in right.args)
            else:
                out.append((left, right))
    return out


def bound_comparisons(rule) -> list[Cmp]:
    """The comparisons of a rule with a min/max on one side."""
    return [n for node in (rule.when, rule.require) if node is not None for n in walk(node)
            if isinstance(n, Cmp) and any(isinstance(s, Call) and s.func in ("min", "max")
                                          for s in (n.left, n.right))]


def may_decide_partly(rule) -> bool:
    """Can a min/max of the rule settle it with an argument unknown? Not when every field of its
    arguments is also needed elsewhere in the rule (the co-investment tiers' `when` needs the price
    and the issue that their min() arguments use)."""
    atoms = [n for node in (rule.when, rule.require) if node is not None for n in walk(node)
             if isinstance(n, (Cmp, In))]
    for cmp in bound_comparisons(rule):
        other, args = bound_args(cmp)
        elsewhere = set().union(fields(other), *(fields(a) for a in atoms if a is not cmp))
        if any(fields(a) - elsewhere for a in args):
            return True
    return False


def bound_args(cmp: Cmp) -> tuple[object, list]:
    """(the other side, the min/max arguments) of a bound comparison."""
    left, right = (cmp.right, cmp.left) if isinstance(cmp.left, Call) and cmp.left.func in ("min", "max") \
        else (cmp.left, cmp.right)
    return left, list(right.args)


def partly_known(rng: random.Random, rule, values: dict, specs) -> None:
    """Keep one argument of a min/max, put it on its limit (or beside it), and make the fields of
    the other arguments absent (those the kept argument and the other side do not need)."""
    cmps = bound_comparisons(rule)
    if not cmps:
        return
    other, args = bound_args(rng.choice(cmps))
    kept = rng.choice(args)
    push_to_limit(rng, other, kept, values, specs, sorted(fields(other) | fields(kept)))
    needed = fields(other) | fields(kept)
    for arg in args:
        if arg is not kept and rng.random() < 0.8:
            for name in fields(arg) - needed:
                values[name] = None


def decided_partly(rule, values: dict) -> bool:
    """Does a min/max comparison of the rule decide with one of its arguments unknown?"""
    for cmp in bound_comparisons(rule):
        _, args = bound_args(cmp)
        unknown = any(values.get(f) is None for a in args for f in fields(a))
        if unknown and ev.truth(cmp, ev.Env(values)) is not None:
            return True
    return False


def filled(fact, specs, rng: random.Random):
    """The fact with a random in-range value in each absent field (what a filler might be)."""
    values = {name: (random_value(rng, spec) if fact.values.get(name) is None else fact.values[name])
              for name, spec in specs.items()}
    return type(fact)(fact.kind, fact.id, values)


def literals(rules) -> dict[str, set]:
    """Per text field, every literal a rule compares it with."""
    out: dict[str, set] = {}
    for rule in rules:
        for node in (rule.when, rule.require):
            for n in walk(node) if node is not None else ():
                if isinstance(n, Cmp) and isinstance(n.left, Field) and isinstance(n.right, Str):
                    out.setdefault(n.left.name, set()).add(n.right.value)
                if isinstance(n, In) and isinstance(n.operand, Field):
                    out.setdefault(n.operand.name, set()).update(o.value for o in n.options)
    return out


def version_days(rules, boards) -> list[dt.date]:
    """Every day a version starts or ends, and the day before it."""
    days = set()
    for r in rules:
        for d in [r.spec.applies.start(b) for b in boards] + [r.spec.applies.until]:
            if d:
                days |= {d, d - dt.timedelta(days=1)}
    return sorted(days)


# ---- values ----------------------------------------------------------------------------------


def bounds(spec) -> tuple[int, int]:
    """The field's bounds in engine units (value × 10^scale; dates as day ordinals)."""
    if spec.type == "date":
        return max(DATE_LO, spec.lo), min(DATE_HI, spec.hi)
    return spec.lo * 10**spec.scale, spec.hi * 10**spec.scale


def typed(units: int, spec):
    """A value in engine units as derive would hold it."""
    lo, hi = bounds(spec)
    units = min(max(units, lo), hi)
    if spec.type == "date":
        return dt.date.fromordinal(units)
    if spec.type == "dec":
        return Decimal(units).scaleb(-spec.scale)
    return units


def random_value(rng: random.Random, spec):
    if spec.type == "bool":
        return rng.random() < 0.5
    if spec.type == "str":
        return rng.choice(["", "other", "x"])
    lo, hi = bounds(spec)
    if spec.type == "date":
        return typed(rng.randint(dt.date(1990, 1, 1).toordinal(), dt.date(2030, 1, 1).toordinal()), spec)
    pick = rng.random()
    if pick < 0.15:
        return typed(rng.choice([lo, hi, 0, 1, hi - 1]), spec)
    top = min(hi, 10 ** rng.randint(1, 12) * 10**spec.scale)
    return typed(rng.randint(max(lo, -top), top), spec)


def solve(left, right, name: str, values: dict, spec):
    """The value of `name` (real units, a Fraction) that makes left == right, if the difference is
    affine in it with the other fields as they are; None otherwise."""
    diff = BinOp("-", left, right)
    points = []
    for x in (1, 2, 3):
        env = ev.Env({**values, name: Fraction(x)})
        g = ev.value(diff, env)
        if g is None:
            return None
        points.append(g)
    slope = points[1] - points[0]
    if slope == 0 or points[2] - points[1] != slope:
        return None
    return 1 - points[0] / slope


def push_to_limit(rng: random.Random, left, right, values: dict, specs, cmp_fields: list[str]) -> None:
    """Set one field of the comparison on its limit, or one or two units either side of it."""
    numeric = [f for f in cmp_fields if specs[f].type in ("int", "dec", "date")]
    if not numeric:
        return
    name = rng.choice(numeric)
    for other in numeric:
        if other != name and values.get(other) is None:
            values[other] = random_value(rng, specs[other])
    spec = specs[name]
    root = solve(left, right, name, values, spec)
    if root is None:
        return
    units = root * 10**spec.scale
    lo_u, hi_u = math.floor(units), math.ceil(units)
    step = rng.choice([-2, -1, 0, 0, 0, 1, 2])
    target = (lo_u if step <= 0 else hi_u) + step if lo_u != hi_u else lo_u + step
    if lo_u != hi_u and step == 0:
        target = rng.choice([lo_u, hi_u])
    values[name] = typed(target, spec)


def mutate(rng: random.Random, values: dict, rules, specs, texts: dict) -> None:
    if rules and rng.random() < 0.85:
        rule = rng.choice(rules)
        pairs = comparisons(rule.require) + (comparisons(rule.when) if rule.when is not None else [])
        for left, right in rng.sample(pairs, len(pairs)):
            if rng.random() < 0.85:
                push_to_limit(rng, left, right, values, specs, sorted(fields(left) | fields(right)))
        for node in (rule.when, rule.require):   # flags and codes: the literal, or another value
            for n in walk(node) if node is not None else ():
                if isinstance(n, Cmp) and isinstance(n.left, Field) and isinstance(n.right, (Str, Bool)):
                    name, options = n.left.name, [n.right.value]
                elif isinstance(n, In) and isinstance(n.operand, Field):
                    name, options = n.operand.name, [o.value for o in n.options]
                else:
                    continue
                if specs[name].type not in ("bool", "str"):
                    continue
                if rng.random() < 0.6:
                    values[name] = rng.choice(options)
                elif specs[name].type == "bool":
                    values[name] = not options[0]
                else:
                    values[name] = rng.choice(sorted(set(texts.get(name, ())) | {"other"}))
        if rng.random() < 0.3:
            partly_known(rng, rule, values, specs)
        if rng.random() < 0.15:
            values[rng.choice(sorted(rule.fields))] = None
        if rule.divisors and rng.random() < 0.15:
            name = rng.choice(sorted(rule.divisors))
            if bounds(specs[name])[0] <= 0:
                values[name] = typed(0, specs[name])
    for _ in range(rng.choice([0, 0, 1, 2])):
        name = rng.choice(sorted(specs))
        spec = specs[name]
        if rng.random() < 0.2:
            values[name] = None
        elif spec.type == "str" and texts.get(name) and rng.random() < 0.7:
            values[name] = rng.choice(sorted(texts[name]))
        else:
            values[name] = random_value(rng, spec)


# ---- the check -------------------------------------------------------------------------------


def expected(rules, facts):
    """(fires, undecidable, passes, undecidable for a zero divisor) as (rule, fact) pairs."""
    fire, unknown, passed, zero = set(), set(), set(), set()
    for rule in rules:
        for fact in facts:
            if fact.kind == rule.kind:
                env = ev.Env(fact.values)
                truth = ev.finding_truth(rule.when, rule.require, env)
                {None: unknown, True: fire, False: passed}[truth].add((rule.key, fact.id))
                if truth is None and env.zero_divisors:
                    zero.add((rule.key, fact.id))
    return fire, unknown, passed, zero


def on_limit(rule, fact, specs) -> str | None:
    """Where a numeric comparison of `require` sits on this fact: "exact" (on its limit), "near"
    (one unit — share, fen, day, … — of one of its fields from the other side), "" (neither);
    None when the rule compares no numbers."""
    numeric, near = False, False
    for left, right in comparisons(rule.require):
        names = sorted(f for f in fields(left) | fields(right) if specs[f].type in ("int", "dec", "date"))
        if not names:
            continue
        numeric = True
        diff = BinOp("-", left, right)
        d = ev.value(diff, ev.Env(fact.values))
        if d is None:
            continue
        if d == 0:
            return "exact"
        for name in names:
            unit = Fraction(1, 10 ** specs[name].scale)
            for step in (unit, -unit):
                moved = ev.scalar(fact.values[name]) + step
                e = ev.value(diff, ev.Env({**fact.values, name: moved}))
                near = near or (e is not None and (e == 0 or (e > 0) != (d > 0)))
    return None if not numeric else ("near" if near else "")


def show(case_type, i, facts, as_of, board, missed, extra) -> str:
    lines = [f"case {i} ({case_type}; replay with random.Random('{SEED}:{case_type}:{i}')) as_of={as_of} board={board}"]
    for fact in facts:
        lines.append(f"  {fact.kind} {fact.id}:")
        lines.extend(f"    {k} = {v!r}" for k, v in sorted(fact.values.items()))
    lines.append(f"  fired by the evaluator only: {sorted(missed)}")
    lines.append(f"  fired by the engine only:    {sorted(extra)}")
    return "\n".join(lines)


@pytest.mark.parametrize("case_type", list(CASES))
def test_engine_equals_reference_evaluator_on_10000_cases(checker, bundled, case_type, capsys):
    bases = bundled[case_type]
    assert bases, case_type
    all_rules = checker.catalogue.for_case(case_type)
    kinds = FACT_KINDS[case_type]
    texts = literals(all_rules)
    boards = IPO_BOARDS if case_type == "ipo" else (None,)
    days = version_days(all_rules, boards)
    engine = checker.engine(case_type)
    rules_by_kind = {k: [r for r in all_rules if r.kind == k] for k in kinds}
    stats = {"fire": Counter(), "pass": Counter(), "unknown": Counter(), "limit": Counter(),
             "exact": Counter(), "zero": Counter(), "partly": Counter()}
    failures, numeric = [], set()
    start = time.perf_counter()
    for i in range(CASES[case_type]):
        rng = random.Random(f"{SEED}:{case_type}:{i}")
        target = rng.choice(all_rules)   # every rule gets its share of cases in force
        base_facts, base_day, base_board = rng.choice(
            [b for b in bases if any(f.kind == target.kind for f in b[0])] or bases)
        board = rng.choice(boards) if case_type == "ipo" else base_board
        as_of = rng.choice(days) if rng.random() < 0.8 else base_day
        if rng.random() < 0.8:
            board = rng.choice([b for b in boards if target.spec.applies.start(b)])
            window = [d for d in days if target.spec.applies.in_force(d, board)]
            as_of = rng.choice(window or [as_of])
        in_force = [r for r in all_rules if r.spec.applies.in_force(as_of, board)]
        focus = {k: [r for r in in_force if r.kind == k] or rules_by_kind[k] for k in kinds}
        facts = []
        for fact in base_facts:
            if fact.kind not in ("offering",) and len(base_facts) > 6 and rng.random() < 0.5:
                continue   # keep big cases small: a few facts of each kind are enough
            values = dict(fact.values)
            if fact.kind == "offering":
                values["issuer.board"] = board
            if not facts or rng.random() < 0.6:
                chosen = [target] if fact.kind == target.kind and rng.random() < 0.7 else focus[fact.kind]
                mutate(rng, values, chosen, kinds[fact.kind], texts)
            facts.append(type(fact)(fact.kind, fact.id, values))
        encoded = [encode_fact(f, kinds[f.kind], as_of, board) for f in facts]
        hits = engine.evaluate(encoded)
        fire, unknown, passed, zero = expected(in_force, facts)
        got = hits - unknown
        if got != fire:
            failures.append(show(case_type, i, facts, as_of, board, fire - got, got - fire))
        fill_rng = random.Random(f"{SEED}:{case_type}:{i}:filler")
        refilled = [encode_fact(filled(f, kinds[f.kind], fill_rng), kinds[f.kind], as_of, board) for f in facts]
        got = engine.evaluate(refilled) - unknown
        if got != fire:
            failures.append("with random values in the absent fields:\n"
                            + show(case_type, i, facts, as_of, board, fire - got, got - fire))
        for key, _ in fire:
            stats["fire"][key] += 1
        for key, _ in passed:
            stats["pass"][key] += 1
        for key, _ in unknown:
            stats["unknown"][key] += 1
        for key, _ in zero:
            stats["zero"][key] += 1
        by_id = {f.id: f for f in facts}
        for key, fid in fire | passed:
            rule = checker.catalogue.by_key(key)
            if not stats["partly"][key] and decided_partly(rule, by_id[fid].values):
                stats["partly"][key] += 1
        for key, fid in fire | passed:
            if not stats["exact"][key]:
                rule = checker.catalogue.by_key(key)
                where = on_limit(rule, by_id[fid], kinds[rule.kind])
                if where is not None:
                    numeric.add(key)
                    stats["limit"][key] += bool(where)
                    stats["exact"][key] += where == "exact"
    elapsed = time.perf_counter() - start
    keys = {r.key for r in all_rules}
    divides = {r.key for r in all_rules if r.divisors}
    bounded = {r.key for r in all_rules if may_decide_partly(r)}
    with capsys.disabled():
        print(f"\n[differential] {case_type}: {CASES[case_type]} cases in {elapsed:.1f} s; "
              f"{len(keys)} rule versions; decided firings {sum(stats['fire'].values())}, "
              f"passes {sum(stats['pass'].values())}, undecidable {sum(stats['unknown'].values())}, "
              f"rules with a numeric limit {len(numeric)}: met exactly by "
              f"{sum(1 for k in numeric if stats['exact'][k])}, one unit off or on it by "
              f"{sum(1 for k in numeric if stats['limit'][k])}; rules with a divisor {len(divides)}, "
              f"undecidable on a zero divisor {sum(1 for k in divides if stats['zero'][k])}; "
              f"rules a partly known min/max may decide {len(bounded)}, decided so by "
              f"{sum(1 for k in bounded if stats['partly'][k])}")
    inexact = sorted(k for k in numeric if not stats["exact"][k])
    if inexact:   # e.g. a stated percentage whose limit falls between two whole shares
        with capsys.disabled():
            print(f"[differential] limit never met exactly (one unit either side was): {inexact}")
    assert not failures, f"{len(failures)} case(s) disagree; the first:\n" + "\n\n".join(failures[:3])
    # the draws reached every rule from both sides, its limit and its missing data (on_limit found
    # numeric limits, so the limit check below is not empty)
    assert numeric
    for what, which in (("fire", keys), ("pass", keys), ("unknown", keys), ("limit", numeric),
                        ("zero", divides), ("partly", bounded)):
        never = sorted(k for k in which if not stats[what][k])
        assert not never, f"never {what}: {never}"


# ---- IPO cases drawn by hypothesis -----------------------------------------------------------

CATALOGUE = load_catalogue(RULES)
RULES_IPO = CATALOGUE.for_case("ipo")
SPECS = FACT_KINDS["ipo"]
# every version boundary, the day before it, and a recent day: windows are decided exactly
VERSION_DAYS = sorted(set(version_days(RULES_IPO, IPO_BOARDS)) | {dt.date(2026, 4, 3)})
PCTS = [Fraction(p, 100) for p in (2, 3, 4, 5, 10, 20, 30, 40, 50, 60, 70, 80)]


def near_share(base: int, ratio: Fraction, delta: int) -> int:
    return max(0, math.floor(ratio * base) + delta)


@st.composite
def ipo_facts(draw):
    delta = st.sampled_from([-1, 0, 1, 2])
    maybe = lambda strat: st.one_of(st.none(), strat) if draw(st.booleans()) else strat
    issue = draw(st.sampled_from([43_621_636, 99_999_999, 100_000_000, 100_000_001, 399_999_999,
                                  400_000_000, 1_000, 0]) | st.integers(0, 10**9))
    total = near_share(issue, draw(st.sampled_from(PCTS)), draw(delta))
    net = issue - total
    band = draw(st.sampled_from([10**9, 2 * 10**9, 5 * 10**9, 10**10]))
    cents = max(1, round(Fraction(band * 100, max(issue, 1))) + draw(st.integers(-1, 1)))
    price = Decimal(cents) / 100 if cents <= 10**7 else Decimal("46.08")
    ratio, cap = draw(st.sampled_from([(Fraction(5, 100), 4 * 10**7), (Fraction(4, 100), 6 * 10**7),
                                       (Fraction(3, 100), 10**8), (Fraction(2, 100), 10**9)]))
    sponsor = max(0, min(math.floor(ratio * issue), math.floor(cap / Fraction(price))) + draw(st.integers(-1, 1)))
    offline_paid = draw(st.integers(0, max(net, 0)))
    multiple = Decimal(draw(st.sampled_from([50, 100, 150, 3518]))) + Decimal(draw(st.sampled_from([0, 1]))) / 10000
    claw_ratio = draw(st.sampled_from([Fraction(5, 100), Fraction(1, 10), Fraction(1, 5), Fraction(2, 5)]))
    values = {
        "issuer.board": draw(st.sampled_from(IPO_BOARDS)),
        "issuer.profitable": draw(maybe(st.booleans())),
        "issuer.weighted_voting_rights": draw(maybe(st.booleans())),
        "issuer.red_chip": draw(maybe(st.booleans())),
        "offering.issue_shares": issue,
        "offering.post_issue_total_shares": draw(maybe(st.sampled_from([399_999_999, 400_000_000, 400_000_001]))),
        "offering.price": draw(maybe(st.just(price))),
        "offering.gross_proceeds": None,
        "offering.net_public_shares": net,
        "pricing.ceiling": draw(maybe(st.sampled_from(  # within the field's bound of ¥100,000
            [c for c in (price, price + Decimal("0.0001"), price - Decimal("0.0001")) if c <= 10**5]))),
        "pricing.valid_bidder_count": draw(maybe(st.integers(0, 40))),
        "pricing.total_bid_shares": None,
        "pricing.excluded_bid_shares": None,
        "strategic.initial_shares": total,
        "strategic.total_shares": total,
        "strategic.investor_count": draw(maybe(st.sampled_from([9, 10, 11, 34, 35, 36]))),
        "strategic.sponsor_shares": sponsor if draw(st.booleans()) else 0,
        "strategic.sponsor_lines": 1,
        "strategic.employee_plan_shares": near_share(issue, Fraction(1, 10), draw(delta)),
        "allocation.offline_initial_shares": draw(maybe(st.just(near_share(net, draw(st.sampled_from(PCTS)), draw(delta))))),
        "allocation.online_initial_shares": None,
        "allocation.online_effective_multiple": draw(maybe(st.just(multiple))),
        "allocation.clawback_shares": draw(maybe(st.just(near_share(net, claw_ratio, draw(st.sampled_from([-501, -500, -499, 0, 499, 500, 501])))))),
        "allocation.offline_lockup_ratio": draw(maybe(st.sampled_from([Decimal("0.1"), Decimal("0.099999"), Decimal("0.7"), Decimal("0.699999")]))),
        "allocation.offline_lockup_months": draw(maybe(st.sampled_from([5, 6, 7]))),
        "results.offline_paid_shares": draw(maybe(st.just(offline_paid))),
        "results.online_paid_shares": draw(maybe(st.just(max(0, near_share(net, Fraction(7, 10), draw(delta)) - offline_paid)))),
        "results.underwriter_takeup_shares": None,
        "outcome.status": draw(st.sampled_from(["planned", "completed", "aborted", "suspended"])),
        "disclosures.investment_risk_notice": draw(st.booleans()),
    }
    # the four benchmarks partly known, around the price: one given may settle the ceiling
    near_price = [c for c in (price, price + Decimal("0.0001"), price - Decimal("0.0001"), price * 2)
                  if Decimal("0.0001") <= c <= 10**5]
    four = [draw(st.one_of(st.none(), st.sampled_from(near_price))) for _ in range(4)]
    given = [b for b in four if b is not None]
    values.update({
        "pricing.ceiling_published": values["pricing.ceiling"] is not None,
        **dict(zip(("pricing.benchmarks.median_all", "pricing.benchmarks.wavg_all",
                    "pricing.benchmarks.median_ltf", "pricing.benchmarks.wavg_ltf"), four, strict=True)),
        "pricing.benchmark_count": len(given),
        "pricing.benchmarks_low": min(given) if given else None,
    })
    facts = [Fact("offering", "f0", values)]
    for i in range(draw(st.integers(0, 4))):
        facts.append(Fact("strategic_investor", f"f{i + 1}", {
            "investor.name": f"投资者{i}",
            "investor.type": draw(st.sampled_from(["sponsor_subsidiary", "employee_plan", "other"])),
            "investor.shares": draw(st.integers(0, 10**8)),
            "investor.aggregate": draw(st.booleans()),
            "investor.lockup_months": draw(maybe(st.sampled_from([11, 12, 13, 23, 24, 25]))),
            "offering.issue_shares": issue,
        }))
    as_of = draw(st.sampled_from(VERSION_DAYS))
    return facts, as_of


def expected_in_force(facts, as_of):
    """(fires, undecidable) of the IPO rules in force on as_of, as (rule, fact) pairs."""
    board = facts[0].values["issuer.board"]
    fire, unknown = set(), set()
    for rule in RULES_IPO:
        a = rule.spec.applies
        if not a.in_force(as_of, board):
            continue
        for fact in facts:
            if fact.kind != rule.kind:
                continue
            truth = ev.finding_truth(rule.when, rule.require, ev.Env(fact.values))
            if truth is None:
                unknown.add((rule.key, fact.id))
            elif truth:
                fire.add((rule.key, fact.id))
    return fire, unknown


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ipo_facts())
def test_engine_equals_reference_evaluator_on_drawn_ipo_cases(checker, data):
    facts, as_of = data
    board = facts[0].values["issuer.board"]
    encoded = [encode_fact(f, SPECS[f.kind], as_of, board) for f in facts]
    hits = checker.engine("ipo").evaluate(encoded)
    fire, unknown = expected_in_force(facts, as_of)
    assert hits - unknown == fire


def test_the_evaluator_sees_the_exact_boundary(checker):
    rule = checker.catalogue.by_id("ipo.strategic.cap_ratio.lt100m")
    base = {"offering.issue_shares": 43_621_636}
    at = ev.Env({**base, "strategic.total_shares": 8_724_327})
    over = ev.Env({**base, "strategic.total_shares": 8_724_328})
    assert ev.finding_truth(rule.when, rule.require, at) is False
    assert ev.finding_truth(rule.when, rule.require, over) is True
    assert ev.finding_truth(rule.when, rule.require, ev.Env(base)) is None
