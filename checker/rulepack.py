"""Rule packs: YAML files under rules/<case type>/, validated and compiled when loaded.

A pack is a mapping with `rules:` (a list). Every rule carries an id, a topic (the catalogue
entry it implements; versions and bands of one rule share it), zh/en title and message, a
severity and confidence, a citation, where and when it applies (`applies.from` inclusive,
`applies.until` exclusive: the day a successor takes effect), the fact it reads (`for_each`),
`when` and `require` conditions, and examples that must pass and fail. Anything wrong is a
RulePackError with file:line:col, before any case is checked.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from . import expr as ex
from . import wire
from .boards import BoardCoverage, board_codes, declared_boards, expand, load_boards, pack_files, rules_dir
from .casetypes import CASE_TYPES
from .compile import check_condition, check_divisors, lower_rule
from .errors import InputError, Position, RulePackError
from .findings import share
from .loading import Document, load_file
from .topics import Topics, load_topics
from .validate import field_path


class _Strict(BaseModel):
    # built at the first validation: a catalogue read from the cache only unpickles these
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Bilingual(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


# how much of a rule's own wording was read (docs/rule-authoring.md, docs/decisions.md)
CONFIDENCE_LEVELS = ("verified", "secondary", "seed", "memory")
Confidence = Literal["verified", "secondary", "seed", "memory"]
URL_SCHEMES = ("https://", "http://")


def _has_scheme(url: str) -> str:
    if not url.startswith(URL_SCHEMES):
        raise ValueError(f"{url!r} has no scheme: write the full address, https://… or http://… "
                         "as the page was read")
    if len(url) == len(url.split("//", 1)[0]) + 2:
        raise ValueError(f"{url!r} names no host")
    return url


class Cite(_Strict):
    """A rule's citation. `source`, `number`, `article` and `version` name the official document
    (its title, its 文号, the article, which version); `urls` are the copies actually read — often
    third-party pages restating it — each a full address with its scheme; `note` says what was not
    read (e.g. "article number not read")."""

    source: str = Field(min_length=1, description="the official title, e.g. 证券发行与承销管理办法")
    number: str | None = Field(None, min_length=1, description="the 文号, e.g. 证监会令第208号")
    article: str | None = Field(None, description="article / clause, e.g. 第二十一条")
    version: str = Field(min_length=1, description="which version of the instrument")
    urls: list[Annotated[str, AfterValidator(_has_scheme)]] = Field(
        default_factory=list, description="the copies actually read, each https://… or http://…")
    note: str | None = None


class Applies(_Strict):
    """Where and when a rule version is in force.

    `from` is one date, or a mapping board → date when the same numbers took effect on each
    board on its own day (STAR 2019, ChiNext 2020, main boards 2023); the mapping then also says
    which boards the version is for, and `boards` must be left out. `until` is exclusive.
    """

    case: str = Field(description="the case type (checker/casetypes.py)")
    boards: list[str] | None = Field(None, description="boards or board groups (rules/_boards.yaml)")
    from_: dt.date | dict[str, dt.date] = Field(alias="from")

    @field_validator("boards")
    @classmethod
    def _expand(cls, names):
        return None if names is None else expand(names)

    @field_validator("from_")
    @classmethod
    def _known(cls, start):
        if isinstance(start, dict):
            boards = declared_boards()
            for code in start:
                if code not in boards:
                    raise ValueError(f"unknown board {code!r} in `from` (one of: {', '.join(boards)})")
        return start
    until: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if isinstance(self.from_, dict):
            if self.boards is not None:
                raise ValueError("give the boards either in `boards` or as the keys of `from`, not both")
            if not self.from_:
                raise ValueError("`from` needs at least one board")
        declared = CASE_TYPES.get(self.case)
        if declared is None:
            raise ValueError(f"unknown case type {self.case!r} (one of: {', '.join(CASE_TYPES)})")
        if not declared.has_board and self.board_set is not None:
            raise ValueError(f"{self.case} rules apply on every board: leave out applies.boards "
                             f"(see checker/model/{declared.model.split(':')[0]}.py)")
        if self.until is not None and self.until <= self.first:
            raise ValueError("applies.until must be after applies.from")
        return self

    @property
    def board_set(self) -> set[str] | None:
        """The boards the version is for; None: every board."""
        if isinstance(self.from_, dict):
            return set(self.from_)
        return set(self.boards) if self.boards else None

    @property
    def first(self) -> dt.date:
        return min(self.from_.values()) if isinstance(self.from_, dict) else self.from_

    def start(self, board: str | None) -> dt.date | None:
        """The day the version takes effect on `board`; None if it is not for that board."""
        if isinstance(self.from_, dict):
            return self.from_.get(board) if board is not None else None
        boards = self.board_set
        return self.from_ if boards is None or board in boards else None

    def in_force(self, day: dt.date, board: str | None) -> bool:
        start = self.start(board)
        return start is not None and start <= day and (self.until is None or day < self.until)

    def describe(self) -> str:
        end = self.until.isoformat() if self.until else "(now)"
        if isinstance(self.from_, dict):
            starts = ", ".join(f"{b} {d.isoformat()}" for b, d in self.from_.items())
            return f"{starts} – {end}"
        return f"{self.from_.isoformat()}–{end}"


class PinnedMessage(_Strict):
    """A fail example's expected message: either language or both, each the whole text."""

    zh: str | None = Field(None, min_length=1)
    en: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _some(self):
        if self.zh is None and self.en is None:
            raise ValueError("a pinned message needs zh, en or both")
        return self


class Example(_Strict):
    expect: Literal["pass", "fail", "not_evaluated", "pending"]
    case: str = Field(min_length=1, description="a case file, relative to the repository root")
    set: dict[str, Any] = Field(default_factory=dict, description="field path → value to change")
    at: str | None = Field(
        None, pattern=r"^[1-9][0-9]*:[1-9][0-9]*$",
        description="fail examples only: 'line:col' in the case file where the rule's first violation "
                    "is reported, quoted (the loader refuses a bare 54:15); elsewhere, the example fails")
    message: PinnedMessage | None = Field(
        None, description="fail examples only: the first violation's message, zh and/or en, each compared "
                          "whole and exactly")
    note: str | None = None

    @model_validator(mode="after")
    def _pins_on_fail(self):
        if self.expect != "fail" and (self.at is not None or self.message is not None):
            raise ValueError("`at` and `message` pin a violation: only on expect: fail")
        return self


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    topic: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    title: Bilingual
    severity: Literal["error", "warning", "info"]
    confidence: Confidence = Field(
        description="verified: the rule's own wording (article, version) was read; secondary: read as "
                    "restated in a Q&A, exam page, news report or forum post; seed: only a real announcement "
                    "or deal document applies it; memory: no page read confirms it (a warning only)")
    cite: Cite
    applies: Applies
    for_each: str = "offering"
    stage: Literal["plan", "results"] = Field(
        "plan", description="results: the rule needs the offering's results (subscriptions, payments, "
                            "clawback); on a plan it is `pending`, never a failure")
    when: str | None = None
    require: str
    actual: str | None = None
    expected: Bilingual | None = None
    message: Bilingual
    rationale: str | None = None
    examples: list[Example]

    @field_validator("examples")
    @classmethod
    def _both(cls, examples):
        kinds = {e.expect for e in examples}
        if not {"pass", "fail"} <= kinds:
            raise ValueError("every rule needs at least one 'pass' and one 'fail' example")
        return examples

    @model_validator(mode="after")
    def _memory_is_warning(self):
        if self.confidence == "memory" and self.severity == "error":
            raise ValueError("a rule with confidence: memory must be severity: warning until verified")
        return self


@dataclass
class Rule:
    """A loaded rule: its spec, parsed trees and compiled pattern, and where it was written."""

    spec: RuleSpec
    when: Any
    require: Any
    actual: Any               # the node whose value is reported as `actual`
    expected: Any             # node of the limit, when `expected` text is not given
    op: str | None            # the require comparison's operator, for the default expected text
    message: dict[str, list]
    expected_text: dict[str, list] | None
    fields: frozenset
    divisors: frozenset
    compiled: wire.Compiled
    file: str
    position: Position

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def key(self) -> str:
        """One version of a rule: versions share the id and differ in `applies.from`."""
        return f"{self.spec.id}@{self.spec.applies.first.isoformat()}"

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """The fields its when and require read, in order: what its truth on a fact depends on."""
        return tuple(sorted(self.fields))

    @cached_property
    def window(self) -> str:
        return self.spec.applies.describe()

    @cached_property
    def kind(self) -> str:
        return self.spec.for_each

    @cached_property
    def title(self) -> dict[str, str]:
        """The title and citation as findings carry them: one dict per rule, shared, read-only."""
        return {"zh": self.spec.title.zh, "en": self.spec.title.en}

    @cached_property
    def citation(self) -> dict:
        c = self.spec.cite
        return {"source": c.source, "number": c.number, "article": c.article, "version": c.version,
                "urls": list(c.urls), "note": c.note}


def _error(doc: Document, path: tuple, message: str, col_offset: int = 0) -> RulePackError:
    pos = doc.position(path)
    if col_offset:
        pos = Position(pos.file, pos.line, pos.col + col_offset)
    return RulePackError(message, pos, field=field_path(path))


def _parse(doc, path, text, template=False):
    try:
        return ex.parse_template(text) if template else ex.parse(text)
    except ex.ExprError as exc:
        raise _error(doc, path, f"'{field_path(path)}': {exc}", exc.col) from None


def load_pack(file: str) -> list[Rule]:
    """Load, validate and compile one rule pack file."""
    try:
        doc = load_file(file)
    except InputError as exc:  # the loader's error, reported as a rule-pack error at the same place
        raise RulePackError(exc.message, exc.position) from None
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulePackError("a rule pack is a mapping with a 'rules:' list", doc.position(()))
    unknown = set(data) - {"rules", "pack", "description", "defaults"}
    if unknown:
        raise _error(doc, (sorted(unknown)[0],), f"unknown top-level key '{sorted(unknown)[0]}'")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict) or set(defaults) - set(PACK_DEFAULTS):
        raise _error(doc, ("defaults",),
                     f"'defaults' may give {', '.join(PACK_DEFAULTS)} for the pack's rules")
    out = []
    for i, raw in enumerate(data["rules"]):
        out.append(_load_rule(doc, ("rules", i), raw, defaults))
    return out


# keys a pack's `defaults:` may give its rules; a rule's own key replaces the default whole
PACK_DEFAULTS = ("applies", "for_each", "stage")


def _load_rule(doc: Document, path: tuple, raw: Any, defaults: dict | None = None) -> Rule:
    defaults = defaults or {}
    inherited = set(defaults) - set(raw) if isinstance(raw, dict) else set()
    if inherited:
        raw = {**{k: defaults[k] for k in inherited}, **raw}
    try:
        spec = RuleSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        if err["loc"] and err["loc"][0] in inherited:   # the pack's default is at fault
            path = ("defaults",)
        loc = path + tuple(err["loc"])
        msg = err["msg"].replace("Value error, ", "")
        if err["type"] == "missing":
            msg = f"required field '{field_path(tuple(err['loc']))}' is missing"
            return_path = path + tuple(err["loc"][:-1])
        elif err["type"] == "extra_forbidden":
            msg = f"unknown field '{field_path(tuple(err['loc']))}'"
            return_path = loc
        else:
            msg = f"'{field_path(tuple(err['loc']))}': {msg}"
            return_path = loc
        rid = raw.get("id") if isinstance(raw, dict) else None
        raise _error(doc, return_path, f"rule {rid or '#' + str(path[-1])}: {msg}") from None

    kinds = CASE_TYPES[spec.applies.case].kinds
    if spec.for_each not in kinds:
        raise _error(doc, path + ("for_each",),
                     f"rule {spec.id}: for_each must be one of {', '.join(kinds) or '(none yet)'}")
    specs = kinds[spec.for_each]
    when = _parse(doc, path + ("when",), spec.when) if spec.when is not None else None
    require = _parse(doc, path + ("require",), spec.require)
    actual = _parse(doc, path + ("actual",), spec.actual) if spec.actual is not None else None
    message = {lang: _parse(doc, path + ("message", lang), getattr(spec.message, lang), True)
               for lang in ("zh", "en")}
    expected_text = None
    if spec.expected is not None:
        expected_text = {lang: _parse(doc, path + ("expected", lang), getattr(spec.expected, lang), True)
                         for lang in ("zh", "en")}
    op = limit = None
    if isinstance(require, ex.Cmp):
        op, limit = require.op, require.right
        actual = actual if actual is not None else require.left
    elif actual is None or expected_text is None:
        raise _error(doc, path + ("require",),
                     f"rule {spec.id}: a compound 'require' needs 'actual' and 'expected' to report")

    for key, node in (("when", when), ("require", require)):
        if node is not None:
            try:
                check_condition(node, specs)
                check_divisors(node, specs)
            except ex.ExprError as exc:
                raise _error(doc, path + (key,), f"rule {spec.id}: {exc}") from None
    try:
        for node in (actual,) + tuple(p for t in list(message.values()) + list((expected_text or {}).values())
                                      for p in t if not isinstance(p, str)):
            _check_display(node, specs)
        compiled = wire.rule_pattern(spec.for_each, spec.applies, lower_rule(when, require, specs))
    except ex.ExprError as exc:
        raise _error(doc, path + ("require",), f"rule {spec.id}: {exc}") from None

    used = ex.fields(require) | (ex.fields(when) if when is not None else set())
    needs_results = sorted(used & CASE_TYPES[spec.applies.case].results_fields)
    if needs_results and spec.stage != "results":
        raise _error(doc, path + ("require",), f"rule {spec.id}: it reads {', '.join(needs_results)}, "
                     "known only from the offering's results: declare `stage: results`")
    divisors = ex.denominator_fields(require) | (ex.denominator_fields(when) if when is not None else set())
    return Rule(spec, when, require, actual, limit, op, message, expected_text, frozenset(used),
                frozenset(divisors), compiled, doc.file, doc.position(path))


def _check_display(node, specs) -> None:
    """Fields named in messages must exist on the fact; display functions wrap numbers."""
    for name in ex.fields(node):
        if name not in specs:
            raise ex.ExprError(f"unknown field '{name}' in a message or actual")


@dataclass
class Catalogue:
    rules: list[Rule]
    root: str = ""
    boards: dict[str, BoardCoverage] = field(default_factory=dict)
    topics: Topics = field(default_factory=Topics)   # planned topics and notes (rules/_topics.yaml)
    source_key: str | None = None   # the catalogue cache's key of what it was built from, when cached

    @property
    def examples_root(self) -> str:
        """Example case paths are relative to the repository: the folder above rules/, or the cwd
        when the packs come from an installed package."""
        if os.path.basename(os.path.normpath(self.root)) == "rules":
            return os.path.dirname(os.path.normpath(self.root))
        return os.getcwd()

    def _share(self) -> None:
        """Let findings pickle each rule's title and citation by reference (checker/findings.py)."""
        for r in self.rules:
            share(f"{r.key}:title", r.title)
            share(f"{r.key}:citation", r.citation)

    def __setstate__(self, state: dict) -> None:   # unpickled from the catalogue cache
        self.__dict__.update(state)
        self._share()

    def __post_init__(self):
        self._share()
        self._by_key = {r.key: r for r in self.rules}
        self._versions: dict[str, list[Rule]] = {}
        for r in self.rules:
            self._versions.setdefault(r.id, []).append(r)
        for versions in self._versions.values():
            versions.sort(key=lambda r: r.spec.applies.first)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        """Every rule id, sorted."""
        return tuple(sorted({r.id for r in self.rules}))

    def by_key(self, key: str) -> Rule | None:
        return self._by_key.get(key)

    def versions(self, rule_id: str) -> list[Rule]:
        """Every version of a rule, oldest first; empty if the id is unknown."""
        return self._versions.get(rule_id, [])

    def by_id(self, rule_id: str) -> Rule | None:
        """The newest version of a rule."""
        versions = self.versions(rule_id)
        return versions[-1] if versions else None

    def for_case(self, case_type: str) -> list[Rule]:
        return [r for r in self.rules if r.spec.applies.case == case_type]


def load_catalogue(root: str | None = None) -> Catalogue:
    """Every pack under `root`; duplicate ids and overlapping versions are refused."""
    root = root or rules_dir()
    files = pack_files(root)
    if not files:
        raise RulePackError(f"no rule packs (*.yaml) under {root}")
    rules: list[Rule] = []
    for file in files:
        rules.extend(load_pack(file))
    check_versions(rules)
    return Catalogue(rules, root, load_boards(root), load_topics(root, {r.spec.topic for r in rules},
                                                                board_codes()))


def rule_boards(rule: Rule) -> set[str] | None:
    return rule.spec.applies.board_set


def check_versions(rules: list[Rule]) -> None:
    """Versions of one rule share its id and topic and never overlap in date on a common board."""
    seen: dict[str, list[Rule]] = {}
    for rule in rules:
        for other in seen.get(rule.id, []):
            where = f"{other.file}:{other.position.line}"
            if other.spec.topic != rule.spec.topic:
                raise RulePackError(f"rule {rule.id}: versions must share one topic ({other.spec.topic} "
                                    f"at {where}, {rule.spec.topic} here)", rule.position)
            if other.spec.applies.case != rule.spec.applies.case:
                raise RulePackError(f"rule {rule.id}: versions must be for one case type ({where})",
                                    rule.position)
            a, b = rule_boards(other), rule_boards(rule)
            common = None if a is None or b is None else a & b
            if common is not None and not common:
                continue
            if other.spec.applies.first == rule.spec.applies.first:
                raise RulePackError(f"rule {rule.id}: two versions from {rule.spec.applies.first} "
                                    f"(the other at {where}); give one a later `from` or other boards",
                                    rule.position)
            for board in sorted(common) if common is not None else [None]:
                if _overlap(other.spec.applies, rule.spec.applies, board):
                    on = "all boards" if board is None else board
                    raise RulePackError(f"rule {rule.id}: version {rule.window} overlaps version "
                                        f"{other.window} at {where} on {on}; end one with `until` "
                                        "where the other begins", rule.position)
        seen.setdefault(rule.id, []).append(rule)


def _overlap(a: Applies, b: Applies, board: str | None) -> bool:
    a_start, b_start = a.start(board) or a.first, b.start(board) or b.first
    a_end = a.until or dt.date.max
    b_end = b.until or dt.date.max
    return a_start < b_end and b_start < a_end
