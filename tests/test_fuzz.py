"""Fuzzing: nothing a user feeds the checker makes it crash or blame itself.

Two hypothesis strategies, derandomized (the same examples on every run), in-process through
`Checker.check_file` on a real file:

- structured: a real case's data with fields replaced by values drawn from the case model's own
  field types (boundaries, out-of-range, other members of an enum, other types), keys deleted or
  unknown keys added, list items duplicated, dumped as valid YAML;
- raw: a real case file's text with lines deleted, duplicated or swapped, bytes flipped,
  indentation changed, scalars replaced by other types, tags, anchors and aliases inserted;
- semantic: a real case's values moved where the rules look, keeping their types: figures to 0,
  one unit either side or far beyond, dates to the ends of the supported range and just past them,
  two dates swapped, names with terminal escapes, control characters and NFKC twins, flags
  flipped or left out, a rules date far before T, and waivers added (unknown rules, empty or
  colliding items, expiries at and past the horizon).

Every input must give findings or an `input_error` whose location is this file, a line that
exists (1 ≤ line ≤ lines + 1) and, for a structurally valid YAML file, the field; never an
exception, an `engine_error` or an `internal_error`. The last test plants a real bug and shows
that it is still reported as an internal error (exit 3), not hidden as bad input.

An attack run (more examples, other draws): `OFFERING_FUZZ_SCALE=3 python -m pytest tests/test_fuzz.py
--hypothesis-seed=N` draws three times as many (39,000), randomly from seed N instead of derandomized.
"""

from __future__ import annotations

import datetime as dt
import enum
import glob
import json
import os
import re
import types
import typing
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from checker import cli
from checker.derive import ipo as derive_ipo
from checker.errors import EXIT_INTERNAL
from checker.loading import load_file
from checker.validate import CASE_MODELS

from .conftest import DAPUWEI, ROOT, edited, line_of

SCALE = int(os.environ.get("OFFERING_FUZZ_SCALE", "1"))
EXAMPLES = {k: n * SCALE for k, n in {"structured": 4000, "raw": 6000, "semantic": 3000}.items()}  # 13,000 × SCALE
CASE_FILES = sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True))
TEXTS = [Path(p).read_bytes() for p in CASE_FILES]
DATA = [load_file(p).data for p in CASE_FILES]
FUZZ = dict(derandomize=SCALE == 1, deadline=None, database=None,
            suppress_health_check=list(HealthCheck))
seen = {"structured": 0, "raw": 0, "semantic": 0}


def assert_sane(result, path: str, content: bytes, needs_field: bool) -> None:
    """Findings, or an input error that points into this file (and names the field)."""
    lines = len(content.decode("utf-8", errors="replace").splitlines())

    def inside(loc: dict, what: str) -> None:
        assert loc["file"] == path, (what, loc)
        assert 1 <= loc["line"] <= lines + 1, (what, loc, lines)
        assert loc["col"] >= 1, (what, loc)

    if result.error is None:
        for f in result.findings:
            inside({"file": f.position.file, "line": f.position.line, "col": f.position.col}, f.rule_id)
        return
    err = result.error
    assert err["kind"] == "input_error", err
    for e in [err, *err.get("more", [])]:
        inside(e["location"], e["message"])
        assert e["message"]
        if needs_field:
            assert e.get("field"), e


# ---- structured case files --------------------------------------------------------------------


def _strip(annotation):
    """The type behind Annotated[...] and Optional[...]; unions keep their members."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [_strip(a) for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else tuple(members)
    return annotation


def annotation_at(model, path: tuple):
    """The declared type of the node at `path` in a case of `model`; None when it has none."""
    current = model
    for part in path:
        current = _strip(current)
        if isinstance(current, tuple):
            current = next((c for c in current if isinstance(c, type) and issubclass(c, BaseModel)),
                           current[0])
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
        else:
            fields = getattr(current, "model_fields", None)
            if not fields or part not in fields:
                return None
            current = fields[part].annotation
    return current


OTHER_TYPES = st.sampled_from(["text", "８７２万", "8,724,327", "", 1, -1, 0, Decimal("1.5"),
                               Decimal("1e-05"), True, False, None, [], {}, [1, 2], {"x": 1},
                               dt.date(2026, 4, 3), 10**30])


_cache: dict = {}


def values_of(annotation, depth: int = 0):
    """Values of the declared type, weighted to boundaries (built once per type)."""
    key = (repr(annotation), depth)
    if key not in _cache:
        _cache[key] = _values_of(annotation, depth)
    return _cache[key]


def _values_of(annotation, depth: int):
    t = _strip(annotation)
    if isinstance(t, tuple):
        return st.one_of(*[values_of(a, depth) for a in t])
    origin = typing.get_origin(t)
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(t))
    if origin is list:
        if depth > 1:
            return st.just([])
        return st.lists(values_of(typing.get_args(t)[0], depth + 1), max_size=3)
    if origin is dict:
        return st.just({})
    if t is bool:
        return st.booleans()
    if t is int:
        return st.one_of(st.integers(-2, 30), st.integers(0, 10**12),
                         st.sampled_from([10**11, 10**11 + 1, 10**12, 10**12 + 1, 10**14, 2**63, -10**12]))
    if t is Decimal:
        return st.one_of(st.decimals(min_value=-10**6, max_value=10**15, places=2, allow_nan=False, allow_infinity=False),
                         st.decimals(min_value=0, max_value=1, places=6),
                         st.sampled_from([Decimal("0"), Decimal("0.0001"), Decimal("100"), Decimal("46.08")]))
    if t is dt.date:
        return st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
    if t is str:
        return st.one_of(st.text(max_size=12), st.sampled_from(["大普微", "x" * 600]))
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return st.sampled_from([m.value for m in t] + ["unknown"])
    if isinstance(t, type) and issubclass(t, BaseModel):
        if depth > 1:
            return st.just({})
        return st.fixed_dictionaries({}, optional={name: values_of(f.annotation, depth + 1)
                                                   for name, f in t.model_fields.items()})
    return OTHER_TYPES


def paths(data, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(paths(v, prefix + (i,)))
    return out


def copy(data):
    if isinstance(data, dict):
        return {k: copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [copy(v) for v in data]
    return data


@st.composite
def structured_cases(draw):
    index = draw(st.integers(0, len(DATA) - 1))
    data = copy(DATA[index])
    model = CASE_MODELS[data["case_type"]]
    for _ in range(draw(st.integers(1, 4))):
        candidates = paths(data)
        path = candidates[draw(st.integers(0, len(candidates) - 1))]
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["typed"] * 7 + ["other", "delete", "unknown", "duplicate"]))
        if action == "typed":
            parent[key] = copy(draw(values_of(annotation_at(model, path))))   # st.just([]) is shared
        elif action == "other":
            parent[key] = copy(draw(OTHER_TYPES))
        elif action == "delete":
            del parent[key]
        elif action == "unknown" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "shares_", "Price", "备注"]))] = copy(draw(OTHER_TYPES))
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy(parent[key]))
    return data


class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:float", (f"{v:f}" if "." in f"{v:f}" else f"{v:f}.0")))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=EXAMPLES["structured"], **FUZZ)
@given(data=structured_cases())
def test_structured_case_files_give_findings_or_a_located_input_error(checker, workdir, data):
    check_dumped(checker, workdir, "structured", data, needs_field=True)


def check_dumped(checker, workdir, strategy: str, data, needs_field: bool) -> None:
    """Dump a mutated case as YAML, check it, and hold the result to assert_sane."""
    content = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False).encode("utf-8")
    path = str(workdir / f"{strategy}.yaml")
    with open(path, "wb") as fh:
        fh.write(content)
    seen[strategy] += 1
    assert_sane(checker.check_file(path), path, content, needs_field=needs_field)


# ---- semantic mutations -----------------------------------------------------------------------

ESCAPES = ["\x1b[8m\x1b[2K\rHIDDEN", "\r| forged |", "①号", "（证裕投资）", "\u2028", "\x00", " ", "x" * 300]
EDGE_DATES = [dt.date(1990, 1, 1), dt.date(2100, 12, 31), dt.date(1989, 12, 31), dt.date(2101, 1, 1)]


def _leaves(data, prefix=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, prefix + (i,))
    else:
        yield prefix, data


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


@st.composite
def semantic_cases(draw):
    data = copy(DATA[draw(st.integers(0, len(DATA) - 1))])
    for _ in range(draw(st.integers(1, 3))):
        leaves = [(p, v) for p, v in _leaves(data) if p]
        if not leaves:
            break
        path, value = leaves[draw(st.integers(0, len(leaves) - 1))]
        if isinstance(value, bool):
            new = draw(st.sampled_from([not value, None]))
        elif isinstance(value, int):
            new = draw(st.sampled_from([0, -1, value - 1, value + 1, value * 10, 10**11, 10**11 + 1, 10**12]))
        elif isinstance(value, Decimal):
            unit = Decimal(1).scaleb(value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0)
            new = draw(st.sampled_from([Decimal(0), value - unit, value + unit, value * 100, -value]))
        elif isinstance(value, dt.date):
            dates = [p for p, v in leaves if isinstance(v, dt.date) and p != path]
            if dates and draw(st.booleans()):
                other = dates[draw(st.integers(0, len(dates) - 1))]
                theirs = next(v for p, v in leaves if p == other)
                _set(data, other, value)
                new = theirs
            else:
                new = draw(st.sampled_from(EDGE_DATES + [value + dt.timedelta(days=1), value.replace(day=1)]))
        elif isinstance(value, str):
            new = value + draw(st.sampled_from(ESCAPES))
        else:
            continue
        _set(data, path, new)
    extra = draw(st.sampled_from(["none", "rules_date", "waiver", "twin"]))
    if extra == "rules_date" and isinstance(data.get("timetable"), dict):
        data["timetable"]["rules_date_reason"] = "过渡期"
        data["timetable"]["rules_date"] = draw(st.sampled_from(EDGE_DATES[:2] + [dt.date(2021, 1, 1)]))
    elif extra == "waiver":
        data.setdefault("waivers", []).append({
            "rule": draw(st.sampled_from(["ipo.no_such_rule", "ipo.strategic.cap_ratio.lt100m", "ma.lockup.base"])),
            "item": draw(st.sampled_from([None, "某创投1号基金", "2024"])), "reason": "r", "approver": "a",
            "expires": draw(st.sampled_from([dt.date(2026, 12, 31), dt.date(2029, 12, 31), dt.date(2100, 12, 31)]))})
        if data["waivers"][-1]["item"] is None and draw(st.booleans()):
            del data["waivers"][-1]["item"]
    elif extra == "twin":
        names = [p for p, v in _leaves(data) if p and p[-1] == "name" and isinstance(v, str)]
        if len(names) >= 2:
            _set(data, names[0], "某创投1号基金")
            _set(data, names[1], "某创投①号基金")
    return data


@settings(max_examples=EXAMPLES["semantic"], **FUZZ)
@given(data=semantic_cases())
def test_semantic_mutations_give_findings_or_a_located_input_error(checker, workdir, data):
    check_dumped(checker, workdir, "semantic", data, needs_field=False)


# ---- raw YAML mutations -----------------------------------------------------------------------

SCALARS = ["~", "null", "true", "no", "'87.2'", "872万", "８７２万", "[1, 2]", "{a: 1}", "-5", "0",
           "1e-05", "1.0e+30", ".nan", "-.inf", "99999999999999999999999", "2026-02-30", "2026-04-03",
           "2026-04-03 10:00:00", "0x1F", "0o17", "1_000", "12:30", "''", '"\\u0000"', "|\n  block",
           "&x 5", "*x", "!!str 5", "!!int '7'", "!!binary aGk=", "!custom x", "!!set {a}",
           '!!python/object/apply:os.system ["echo hi"]', "<<: *x", "? x", "- item", "{", "[", "'"]


@st.composite
def raw_cases(draw):
    index = draw(st.integers(0, len(TEXTS) - 1))
    text = TEXTS[index]
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split(b"\n")
        n = len(lines)
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "indent", "scalar", "anchor",
                                   "tag", "truncate", "insert"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            delta = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
            stripped = lines[i].lstrip(b" ")
            lines[i] = b" " * max(0, len(lines[i]) - len(stripped) + delta) + stripped
        elif op == "scalar":
            m = re.match(rb"^(\s*(?:- )?[^:#]+:\s)(.+)$", lines[i])
            new = draw(st.sampled_from(SCALARS)).encode("utf-8")
            lines[i] = m.group(1) + new if m else lines[i] + b" " + new
        elif op == "anchor":
            a = re.match(rb"^(\s*(?:- )?[^:#]+:\s)(.+)$", lines[i])
            b = re.match(rb"^(\s*(?:- )?[^:#]+:\s)(.+)$", lines[j])
            if a and b:
                lines[i] = a.group(1) + b"&a " + a.group(2)
                lines[j] = b.group(1) + b"*a"
        elif op == "tag":
            m = re.match(rb"^(\s*(?:- )?[^:#]+:\s)(.+)$", lines[i])
            tag = draw(st.sampled_from([b"!!str", b"!!int", b"!!float", b"!!map", b"!!seq", b"!!timestamp",
                                        b"!!python/name:os.system", b"!x", b"!<tag:yaml.org,2002:str>"]))
            if m:
                lines[i] = m.group(1) + tag + b" " + m.group(2)
        text = b"\n".join(lines)
        if op == "flip" and text:
            k = draw(st.integers(0, len(text) - 1))
            text = text[:k] + bytes([text[k] ^ draw(st.integers(1, 255))]) + text[k + 1:]
        elif op == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif op == "insert":
            k = draw(st.integers(0, len(text)))
            text = text[:k] + draw(st.sampled_from([b"\t", b"\r", b"\x00", b"\xef\xbb\xbf", b"\xff", b"\n",
                                                    b": ", b"- ", b"#", b"\"", b"\xe2\x80\xa8", b"\xc2\x85",
                                                    b"---\n", b"...\n", b"%YAML 1.1\n"])) + text[k:]
    return text


@settings(max_examples=EXAMPLES["raw"], **FUZZ)
@given(content=raw_cases())
def test_mutated_real_cases_give_findings_or_a_located_input_error(checker, workdir, content):
    path = str(workdir / "raw.yaml")
    with open(path, "wb") as fh:
        fh.write(content)
    seen["raw"] += 1
    assert_sane(checker.check_file(path), path, content, needs_field=False)


def test_each_strategy_ran_its_examples(capsys):
    # runs after the two fuzz tests (file order): hypothesis did not stop short
    with capsys.disabled():
        print(f"\n[fuzz] examples: {seen}")
    assert all(seen[k] >= n for k, n in EXAMPLES.items())


# ---- a real bug is not hidden ------------------------------------------------------------------


def test_a_planted_bug_in_derive_exits_3_as_an_internal_error(monkeypatch, tmp_path, capsys):
    def broken(case, doc):
        raise KeyError("planted bug in derive")
    monkeypatch.setattr(derive_ipo, "derive", broken)
    out = tmp_path / "report.json"
    code = cli.main([DAPUWEI, "--format", f"json={out}"])
    assert code == EXIT_INTERNAL
    report = json.loads(out.read_text(encoding="utf-8"))
    (case,) = report["cases"]
    assert case["error"]["kind"] == "internal_error"
    assert "KeyError" in case["error"]["message"] and "planted bug" in case["error"]["message"]
    assert "Traceback" in capsys.readouterr().err
    # the same file without the bug is checked normally: the exit code came from the bug
    monkeypatch.undo()
    assert cli.main([DAPUWEI, "--format", f"json={out}"]) in (0, 1)


# ---- bugs the fuzzer found (each with the input that showed it) -------------------------------


def test_a_whole_case_check_points_at_the_field_it_names(checker, tmp_path):
    # found by the structured strategy: consideration.issue_price changed to 1 gave
    # "'': performance.issue_price 81.56 differs …" at line 1, col 1, with no field
    source = os.path.join(ROOT, "cases", "restructuring", "zhongxin-zhuyuan.yaml")
    path = edited(tmp_path, "  issue_price: 81.56\n", "  issue_price: 1\n", source=source)
    err = checker.check_file(path).error
    assert err["kind"] == "input_error"
    assert err["message"] == ("'performance.issue_price': performance.issue_price 81.56 differs from "
                              "consideration.issue_price 1")
    assert err["field"] == "performance.issue_price"
    assert err["location"]["line"] == line_of(path, "issue_price: 81.56")


@pytest.mark.parametrize("text, message", [
    ("case_type: !!timestamp ipo\n", "invalid date 'ipo'; write dates as YYYY-MM-DD"),
    ("case_type: !!bool ipo\n", "'ipo' is not a yes/no value (true or false)"),
])
def test_an_explicit_tag_the_value_does_not_fit_is_an_input_error(checker, tmp_path, text, message):
    # found by the raw strategy: `case_type: !!timestamp ipo` raised AttributeError ('NoneType'
    # object has no attribute 'groupdict') out of PyYAML's constructor; `!!bool ipo` a KeyError
    path = tmp_path / "case.yaml"
    path.write_text("id: x\n" + text, encoding="utf-8")
    err = checker.check_file(str(path)).error
    assert err["kind"] == "input_error"
    assert err["message"] == message
    assert err["location"] == {"file": str(path), "line": 2, "col": 12}
