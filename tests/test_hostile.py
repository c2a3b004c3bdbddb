"""Hostile inputs: each has exactly one test that names the exact error (words and file:line:col).

Where each one is tested (the loader and validation tests stay with their modules):

| input                                   | test                                                        |
|-----------------------------------------|-------------------------------------------------------------|
| alias bomb (billion laughs)             | test_loading.py::test_alias_bomb                            |
| 50 MB file                              | here: test_50_megabyte_file_is_refused_before_parsing       |
| 10,000-deep nesting                     | test_loading.py::test_nesting_10000_levels_deep             |
| invalid UTF-8                           | test_loading.py::test_invalid_utf8_byte_in_the_middle_of_line_3 (and the column tests after it) |
| BOM and CRLF (accepted)                 | here: test_bom_and_crlf_give_the_same_findings_as_the_lf_file; positions: test_loading.py::test_bom_and_crlf_load_with_right_positions |
| tabs                                    | test_loading.py::test_tab_used_for_indentation              |
| duplicate keys                          | test_loading.py::test_duplicate_key_at_top_level            |
| NaN / inf                               | test_loading.py::test_nan_and_infinity_refused              |
| huge integers                           | test_loading.py::test_huge_integer_literal                  |
| negative shares                         | test_validate.py::test_negative_shares                      |
| 2026-02-30                              | test_loading.py::test_impossible_date                       |
| strings where numbers belong            | test_validate.py::test_text_where_a_number_belongs          |
| full-width digits (８７２万)             | test_validate.py::test_full_width_digits_for_shares         |
| !!python/object/apply:os.system         | test_loading.py::test_python_tag_refused_and_nothing_runs; end to end here |
| rule pack: unknown function, __import__ | here: test_rule_pack_with_*                                 |

BOM and CRLF are accepted on purpose: Windows editors write them, and they change no value.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from checker import cli
from checker.errors import EXIT_INPUT, Position, RulePackError
from checker.loading import MAX_BYTES
from checker.rulepack import load_catalogue

from .conftest import DAPUWEI


def test_50_megabyte_file_is_refused_before_parsing(checker, tmp_path, capsys):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.write(b"case_type: ipo\n" + b"#" * (50_000_000 - 15))
    tracemalloc.start()
    start = time.perf_counter()
    result = checker.check_file(str(path))
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with capsys.disabled():
        print(f"\n[hostile] 50 MB file refused in {elapsed * 1000:.1f} ms")
    assert result.error == {"kind": "input_error", "field": None,
                            "message": f"file is 50,000,000 bytes, over the limit of {MAX_BYTES:,} bytes",
                            "location": {"file": str(path), "line": 1, "col": 1}}
    assert peak < 5_000_000   # the size is checked before a byte is read: reading it would hold 50 MB


def test_bom_and_crlf_give_the_same_findings_as_the_lf_file(checker, tmp_path):
    text = Path(DAPUWEI).read_text(encoding="utf-8")
    assert "\r" not in text
    lf = tmp_path / "lf.yaml"
    lf.write_bytes(text.encode("utf-8"))
    windows = tmp_path / "crlf.yaml"
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a, b = checker.check_file(str(lf)).to_dict(), checker.check_file(str(windows)).to_dict()
    assert a["error"] is None and a["findings"]
    assert str(b).replace("crlf.yaml", "lf.yaml") == str(a)   # same findings, lines and columns


def test_python_tag_in_a_case_is_refused_end_to_end_and_nothing_runs(tmp_path, capsys):
    marker = tmp_path / "ran"
    text = Path(DAPUWEI).read_text(encoding="utf-8").replace(
        "  board: chinext\n", f'  board: !!python/object/apply:os.system ["touch {marker}"]\n', 1)
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f'  board: !!python/object/apply:os.system ["touch {marker}"]') + 1
    assert cli.main([str(path), "--format", "json"]) == EXIT_INPUT
    out = capsys.readouterr().out
    assert f'"line": {line}' in out and '"col": 10' in out
    assert "YAML tag !!python/object/apply:os.system is not allowed in a case file" in out
    assert not marker.exists()


PACK = """\
rules:
  - id: test.hostile.rule
    topic: test.hostile
    title: {{zh: 测试, en: test}}
    severity: error
    confidence: verified
    cite: {{source: 测试, version: "1"}}
    applies: {{case: ipo, from: 2000-01-01}}
    require: {require}
    message: {{zh: 超过, en: over}}
    examples:
      - {{expect: pass, case: cases/ipo/dapuwei-2026.yaml}}
      - {{expect: fail, case: cases/ipo/dapuwei-2026.yaml}}
"""


@pytest.mark.parametrize("require, col, message", [
    ("__import__('os').system('echo hi') == 0", 15, "unexpected character '_'"),
    ("system(offering.issue_shares) > 0", 15,
     "unknown function 'system' (allowed: ceil, date, floor, max, min)"),
    ("offering.issue_shares.__class__ > 0", 36, "unexpected character '.'"),
])
def test_rule_pack_with_an_unknown_function_or_python_is_refused_at_load(tmp_path, capfd, require, col,
                                                                          message):
    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / "p.yaml"
    pack.write_text(PACK.format(require=require), encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_catalogue(str(rules))
    assert info.value.position == Position(str(pack), 9, col)
    assert info.value.message == f"'rules[0].require': {message}"
    # the CLI refuses the pack before checking anything, with exit 2 and the pack's file:line:col
    assert cli.main(["--rules", str(rules), DAPUWEI]) == EXIT_INPUT
    out, err = capfd.readouterr()
    assert err.strip() == f"offering-check: {pack}:9:{col}: 'rules[0].require': {message}"
    assert "hi" not in out


def test_rule_pack_with_a_python_tag_is_refused_at_load(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / "p.yaml"
    marker = tmp_path / "ran"
    pack.write_text(PACK.format(require=f'!!python/object/apply:os.system ["touch {marker}"]'),
                    encoding="utf-8")
    with pytest.raises(Exception) as info:
        load_catalogue(str(rules))
    assert str(info.value) == (f"{pack}:9:14: YAML tag !!python/object/apply:os.system is not allowed "
                               "in a case file")
    assert not marker.exists() and os.path.exists(pack)

