"""The only module that imports durable_rules. It drives the released 2.0.28 engine the safe way
(docs/architecture.md#engine-safe-use; hazard Hn below is docs/architecture.md#hn, h1 … h20),
because the naive ways lose findings or crash the process:

- no `Host`, no threads: `durable.engine.Ruleset` and `durable_rules_engine` directly; each
  case is `assert_facts` → drain every action → `delete_state` in `finally` (H4–H6, H20);
- actions are markers only; hits become findings afterwards in Python, so nothing is swallowed
  inside the engine (H18);
- one live session at a time, always the same sid, and each ruleset primed once so no session is
  ever deleted before an action ran in its slot (H3);
- rules are single-fact patterns that start with `kind`, from the compiler's checked subset
  (no joins, `$not`, `$nex`, `$s` or `$div`: H1, H2, H8, H12, H13, H17), sharded so no node has
  more than SHARD_PATHS alternatives under it (H16);
- facts hold only ints, bools and short strings, every field a rule reads, unique short ids,
  at most MAX_PROPERTIES properties (H7, H10, H11, H14, H15).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Iterable

import durable.engine as _de
import durable_rules_engine as _dre

from .errors import EngineError

SHARD_PATHS = 48        # alternatives per ruleset; the engine fails at 65 simultaneous siblings
MAX_PROPERTIES = 200    # the engine silently drops facts past ~254 properties
SID = "c"
_PRIME = "__prime__"
_names = itertools.count()


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def assert_no_collisions(names: Iterable[str], what: str) -> None:
    """The engine identifies ids, field and rule names by a 32-bit FNV-1a hash only (H14)."""
    seen: dict[int, str] = {}
    for name in names:
        h = fnv1a32(name)
        if h in seen and seen[h] != name:
            raise EngineError(f"{what} '{seen[h]}' and '{name}' collide in the engine's 32-bit hash")
        seen[h] = name


def shard(items: list, weight) -> list[list]:
    """Split rules into groups whose total weight (alternatives) stays within SHARD_PATHS."""
    groups: list[list] = []
    current: list = []
    load = 0
    for item in items:
        w = weight(item)
        if w > SHARD_PATHS:
            raise EngineError(f"a rule with {w} alternatives exceeds the shard budget {SHARD_PATHS}")
        if current and load + w > SHARD_PATHS:
            groups.append(current)
            current, load = [], 0
        current.append(item)
        load += w
    if current:
        groups.append(current)
    return groups


def _noop(_context) -> None:
    return None


class _Shard:
    def __init__(self, patterns: dict[str, dict]):
        self.names = list(patterns)
        definition = {name: {"all": [{"m": body}], "run": _noop} for name, body in patterns.items()}
        definition[_PRIME] = {"all": [{"m": {_PRIME: 1}}], "run": _noop}
        self.ruleset = _de.Ruleset(f"oc{next(_names)}", None, definition)
        self.handle = self.ruleset._handle
        hits = self.run(json.dumps([{_PRIME: 1, "id": "p", "sid": SID}]))
        if hits != [(_PRIME, "p")]:
            raise EngineError(f"priming the ruleset failed: {hits!r}")

    def run(self, payload: str) -> list[tuple[str, str]]:
        handle = self.handle
        try:
            code, offset = _dre.assert_facts(handle, payload)
            if code == 2:
                raise EngineError("the engine refused a duplicate fact id")
            hits = []
            result = _dre.start_action_for_state(handle, offset)
            message = result[1] if result else None
            while message:
                hits.extend(_hits(message))
                message = _dre.complete_and_start_action(handle, offset)
            return hits
        except _dre.error as exc:
            raise EngineError(f"engine error: {exc}") from None
        finally:
            with contextlib.suppress(_dre.error):  # 309: no state was created
                _dre.delete_state(handle, SID)


# An action's message is {"<rule>":{"m":{"kind":…,"id":"<fact id>",…}}} (encode() puts kind and id
# first; facts are flat and every quote inside a string is escaped, so `{"m":{` marks one binding).
_HIT = re.compile(r'\{"([^"\\]+)":\{"m":\{"kind":"[^"\\]*","id":"([^"\\]+)"')


def _hits(message: str) -> list[tuple[str, str]]:
    """(rule, fact id) of one action; the JSON is parsed only when the message has another shape."""
    if message.count('{"m":{') == 1:
        match = _HIT.match(message)
        if match:
            return [(match.group(1), match.group(2))]
    return [(rule, bound["m"]["id"]) for rule, bound in json.loads(message).items()]


class Engine:
    """One compiled catalogue for one case type, in as many rulesets as the limits require."""

    def __init__(self, patterns: dict[str, dict], weights: dict[str, int]):
        assert_no_collisions(list(patterns) + [_PRIME], "rule ids")
        groups = shard(sorted(patterns), lambda name: weights[name])
        self.shards = [_Shard({name: patterns[name] for name in group}) for group in groups]

    def evaluate(self, facts: list[dict]) -> set[tuple[str, str]]:
        """Assert one case's facts into every shard; return the (rule id, fact id) pairs that fired."""
        for fact in facts:
            if len(fact) > MAX_PROPERTIES:
                raise EngineError(f"fact {fact.get('id')} has {len(fact)} properties")
            fact["sid"] = SID
        payload = encode(facts)
        hits: set[tuple[str, str]] = set()
        for s in self.shards:
            hits.update(s.run(payload))
        return hits


def encode(facts: list[dict]) -> str:
    """JSON the engine parses safely: ints, bools and strings only; no floats, NaN or ASCII escapes."""
    for fact in facts:
        for key, value in fact.items():
            if not isinstance(value, (bool, int, str)):
                raise EngineError(f"fact field {key} has a {type(value).__name__}; only int/bool/str "
                                  "reach the engine")
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
                raise EngineError(f"fact field {key} is out of 64-bit range")
    return json.dumps(facts, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
