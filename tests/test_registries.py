"""The extension points: case types (checker/casetypes.py), report formats
(checker/report/formats.py) and boards with their groups (rules/_boards.yaml) are each declared
once, and everything that lists them reads that declaration."""

import glob
import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap
import typing

import pytest

from checker.boards import declared_boards, declared_groups, expand
from checker.casetypes import CASE_TYPES, FACT_KINDS, ITEM_FIELD, CaseModel
from checker.errors import RulePackError
from checker.loading import load_file
from checker.model.types import Board
from checker.report import formats
from checker.report.targets import parse
from checker.rulepack import load_catalogue
from checker.select import BOARDS
from checker.validate import CASE_MODELS, validate

from .conftest import ROOT

CASES = sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True))


# ---- case types ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASE_TYPES))
def test_each_case_type_declares_a_model_that_has_what_check_needs(name):
    declared = CASE_TYPES[name]
    model = declared.load_model()
    assert CASE_MODELS[name] is model
    assert typing.get_args(model.model_fields["case_type"].annotation) == (name,)
    for member in ("board", "as_of_date", "dates", "has_results"):
        assert hasattr(model, member), f"{model.__name__} lacks {member} (see casetypes.CaseModel)"
    for member in ("id", "waivers"):
        assert member in model.model_fields, f"{model.__name__} lacks the field {member}"
    assert {n for n in vars(CaseModel) if not n.startswith("_")} - {"case_type", "id", "waivers"} == {
        "board", "as_of_date", "dates", "has_results"}   # the protocol lists nothing more to check
    derive = importlib.import_module(declared.derive_module)
    assert callable(derive.derive)
    assert os.path.isdir(os.path.join(ROOT, "rules", name)), f"rules/{name}/ holds the case type's packs"


@pytest.mark.parametrize("name", sorted(CASE_TYPES))
def test_each_case_types_waiver_items_and_results_fields_are_its_own_fields(name):
    declared = CASE_TYPES[name]
    for kind, field in declared.item_fields.items():
        assert field in declared.kinds[kind], (kind, field)
    fields = {f for specs in declared.kinds.values() for f in specs}
    assert declared.results_fields <= fields
    assert FACT_KINDS[name] is declared.kinds
    assert all(ITEM_FIELD[k] == f for k, f in declared.item_fields.items())


def test_the_date_path_is_where_each_bundled_case_writes_its_own_date():
    seen = set()
    for path in CASES:
        doc = load_file(path)
        case = validate(doc)
        declared = CASE_TYPES[case.case_type]
        assert case.dates.event_key == ".".join(declared.date_path), path
        assert (case.board is None) == (not declared.has_board), path
        seen.add(case.case_type)
    assert seen == set(CASE_TYPES)   # every case type has a bundled case


def test_the_schema_command_offers_every_case_type():
    out = subprocess.run([sys.executable, "-m", "checker", "schema", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60).stdout
    assert "{" + ",".join(CASE_TYPES) + "}" in out


# ---- report formats ------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(formats.FORMATS))
def test_every_format_has_the_one_writer_signature(name):
    params = inspect.signature(formats.FORMATS[name].writer()).parameters
    assert list(params)[:5] == ["fh", "results", "header", "summary", "lang"], name
    options = [p for p in list(params.values())[5:]]
    assert [p.name for p in options] == list(formats.FORMATS[name].options), name
    assert all(p.default is not inspect.Parameter.empty for p in options), name   # a view option is optional


@pytest.mark.parametrize("lang", [0, 1])
def test_every_format_is_accepted_and_in_the_help(lang):
    out = subprocess.run([sys.executable, "-m", "checker", "--help", "--lang", ("zh", "en")[lang]], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "400"}).stdout
    for name, fmt in formats.FORMATS.items():
        assert parse(f"{name}=r.{name}") == [(name, f"r.{name}")]
        sep = "：" if lang == 0 else ": "
        assert f"{name}{sep}{fmt.help[lang]}" in " ".join(out.split()), name


# ---- boards --------------------------------------------------------------------------------

def test_the_case_model_accepts_exactly_the_declared_boards_in_their_order():
    assert [b.value for b in Board] == list(declared_boards())
    schema = json.loads(subprocess.run([sys.executable, "-m", "checker", "schema", "ipo"], cwd=ROOT,
                                       capture_output=True, text=True, timeout=60).stdout)
    assert schema["definitions"]["Board"]["enum"] == list(declared_boards())


def test_board_selection_offers_every_board_and_group():
    assert set(BOARDS) == set(declared_boards()) | set(declared_groups())
    assert BOARDS["main"] == ("sse_main", "szse_main", "szse_sme")
    assert expand(["main", "sse_main", "star"]) == ["sse_main", "szse_main", "szse_sme", "star"]
    with pytest.raises(ValueError, match="unknown board 'nasdaq'"):
        expand(["nasdaq"])


PACK = """\
pack: test
description: a pack whose rules share their applies
defaults:
  applies: {applies}
rules:
  - id: test.cap
    topic: test.cap
    title: {{zh: 测试上限, en: test cap}}
    severity: error
    confidence: verified
    cite: {{source: 测试办法, version: "2023"}}
    require: strategic.total_shares <= 8724327
    message: {{zh: 超过, en: over}}
    examples:
      - {{expect: pass, case: cases/ipo/dapuwei-2026.yaml}}
      - {{expect: fail, case: cases/ipo/dapuwei-2026.yaml, set: {{strategic.initial_shares: 1}}}}
  - id: test.own
    topic: test.own
    title: {{zh: 自有, en: own}}
    severity: error
    confidence: verified
    cite: {{source: 测试办法, version: "2023"}}
    applies: {{case: ipo, boards: [star], from: 2019-03-01}}
    require: strategic.total_shares <= 8724327
    message: {{zh: 超过, en: over}}
    examples:
      - {{expect: pass, case: cases/ipo/dapuwei-2026.yaml}}
      - {{expect: fail, case: cases/ipo/dapuwei-2026.yaml, set: {{strategic.initial_shares: 1}}}}
"""


def pack(tmp_path, applies):
    root = tmp_path / "rules"
    root.mkdir()
    (root / "test.yaml").write_text(PACK.format(applies=applies), encoding="utf-8")
    return str(root)


def test_a_pack_default_applies_to_rules_without_their_own_and_groups_expand(tmp_path):
    catalogue = load_catalogue(pack(tmp_path, "{case: ipo, boards: [main, chinext], from: 2023-02-17}"))
    by_id = {r.id: r.spec.applies for r in catalogue.rules}
    assert by_id["test.cap"].board_set == {"sse_main", "szse_main", "szse_sme", "chinext"}
    assert by_id["test.own"].board_set == {"star"}   # its own applies replaces the default whole


def test_a_bad_pack_default_points_at_the_defaults(tmp_path):
    with pytest.raises(RulePackError, match="unknown board 'nasdaq'") as info:
        load_catalogue(pack(tmp_path, "{case: ipo, boards: [nasdaq], from: 2023-02-17}"))
    assert info.value.position.line == 4


def test_a_pack_default_of_another_key_is_refused(tmp_path):
    root = pack(tmp_path, "{case: ipo, from: 2023-02-17}")
    path = os.path.join(root, "test.yaml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace("defaults:\n", "defaults:\n  severity: warning\n"))
    with pytest.raises(RulePackError, match="'defaults' may give applies, for_each, stage"):
        load_catalogue(root)


def test_a_rules_folder_of_ones_own_names_only_declared_boards(tmp_path):
    root = pack(tmp_path, "{case: ipo, from: 2023-02-17}")
    with open(os.path.join(root, "_boards.yaml"), "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent("""\
            boards:
              nasdaq: {name: {zh: 纳斯达克, en: Nasdaq}, covered_from: 2020-01-01, note: x}
            """))
    with pytest.raises(RulePackError, match="board nasdaq: not a board the case model knows"):
        load_catalogue(root)


# ---- the registries against the docs -------------------------------------------------------

def _doc(name: str) -> str:
    with open(os.path.join(ROOT, "docs", name), encoding="utf-8") as fh:
        return fh.read()


def test_the_docs_list_every_registry_entry():
    authoring, guide, architecture = _doc("rule-authoring.md"), _doc("user-guide.md"), _doc("architecture.md")
    for name in CASE_TYPES:
        assert f"`{name}`" in authoring and name in architecture, f"case type {name} is not in the docs"
    for name in formats.FORMATS:
        assert f"`{name}`" in guide or f" {name} " in guide, f"format {name} is not in the user guide"
    for code in [*declared_boards(), *declared_groups()]:
        assert f"`{code}`" in authoring, f"board or group {code} is not in docs/rule-authoring.md"
    for where in ("checker/casetypes.py", "checker/report/formats.py", "rules/_boards.yaml"):
        assert where in architecture, f"docs/architecture.md does not name {where}"
