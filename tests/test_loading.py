"""checker.loading on hostile and malformed input: every refusal is an InputError at file:line:col.

Each case is a real file written to tmp_path and read with `load_file`, the way the CLI reads cases.
Lines and columns are 1-based and count characters (not bytes), as an editor shows them.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
from decimal import Decimal

import pytest
import yaml

from checker.errors import InputError, Position
from checker.loading import MAX_DEPTH, MAX_NODES, Document, load_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(tmp_path, content: str | bytes, name: str = "case.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def load(tmp_path, content: str | bytes, **limits) -> Document:
    return load_file(write(tmp_path, content), **limits)


def refused(tmp_path, content: str | bytes, **limits) -> InputError:
    """Load `content` from a file, expect an InputError, check it names that file, return it."""
    path = write(tmp_path, content)
    with pytest.raises(InputError) as info:
        load_file(path, **limits)
    err = info.value
    assert err.position is not None
    assert err.position.file == path
    assert str(err).startswith(f"{path}:{err.position.line}:{err.position.col}: ")
    return err


def at(err: InputError) -> tuple[int, int]:
    return err.position.line, err.position.col


# --- duplicate keys ---------------------------------------------------------------------------


def test_duplicate_key_at_top_level(tmp_path):
    err = refused(tmp_path, "case_type: ipo\nid: x\ncase_type: ipo\n")
    assert at(err) == (3, 1)
    assert err.message.startswith("duplicate key 'case_type' (first at line 1)")
    assert "only the last value" in err.message


def test_duplicate_key_nested_in_a_list_item(tmp_path):
    text = (
        "strategic:\n"
        "  investors:\n"
        "    - name: a\n"           # line 3: the same key in a sibling item is fine
        "      shares: 1\n"
        "    - name: b\n"           # line 5: first 'name' of this item
        "      shares: 2\n"
        "      name: c\n"           # line 7: the duplicate
    )
    err = refused(tmp_path, text)
    assert at(err) == (7, 7)
    assert err.message.startswith("duplicate key 'name' (first at line 5)")


def test_same_key_in_sibling_mappings_is_not_a_duplicate(tmp_path):
    doc = load(tmp_path, "a:\n  name: x\nb:\n  name: y\nc:\n  - name: z\n  - name: w\n")
    assert doc.data == {"a": {"name": "x"}, "b": {"name": "y"}, "c": [{"name": "z"}, {"name": "w"}]}


# --- malformed YAML ---------------------------------------------------------------------------


def test_unclosed_bracket(tmp_path):
    # The parser notices the '[' of line 2 is never closed at the ':' of line 3.
    err = refused(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    assert at(err) == (3, 2)
    assert err.message == ("malformed YAML: did not find expected ',' or ']' "
                           "(while parsing a flow sequence at line 2)")


def test_unclosed_bracket_at_end_of_file(tmp_path):
    err = refused(tmp_path, "a: 1\nb: [1, 2\n")
    assert at(err) == (3, 1)
    assert err.message == ("malformed YAML: did not find expected ',' or ']' "
                           "(while parsing a flow sequence at line 2)")


def test_tab_used_for_indentation(tmp_path):
    err = refused(tmp_path, "issuer:\n\tname: x\n")
    assert at(err) == (2, 1)
    assert err.message == "malformed YAML: a tab character cannot indent or start YAML; use spaces"


def test_tab_indentation_message_names_the_tab(tmp_path):
    # libyaml says only "found character that cannot start any token" and does not say which
    # character; the author cannot see a tab in most editors, so the message should name it
    # (the pure-Python PyYAML parser does: "found character '\t' that cannot start any token").
    err = refused(tmp_path, "issuer:\n\tname: x\n")
    assert at(err) == (2, 1)
    assert "tab" in err.message.lower() or "\\t" in err.message


def test_tab_after_space_indented_lines(tmp_path):
    err = refused(tmp_path, "issuer:\n  name: x\n\tboard: star\n")
    assert at(err) == (3, 1)
    assert "tab character that violates indentation" in err.message


def test_control_character_reports_its_line_and_column(tmp_path):
    # A NUL in the middle of line 2 (column 5). libyaml raises a ReaderError, which carries only a
    # character index, and the loader falls back to 1:1 with '"<unicode string>", position 9'
    # left in the message.
    err = refused(tmp_path, "a: 1\nb: x\x00y\n")
    assert "control characters are not allowed" in err.message
    assert at(err) == (2, 5)
    assert "<unicode string>" not in err.message


# --- encoding ---------------------------------------------------------------------------------


def test_invalid_utf8_byte_in_the_middle_of_line_3(tmp_path):
    err = refused(tmp_path, b"a: 1\nb: 2\nname: ab\xffcd\n")
    assert at(err) == (3, 9)
    assert err.message == "invalid UTF-8 (byte 0xff); case files must be UTF-8"


def test_invalid_utf8_byte_in_crlf_file(tmp_path):
    err = refused(tmp_path, b"a: 1\r\nb: 2\r\nname: x\xc3(\r\n")
    assert at(err) == (3, 8)
    assert "invalid UTF-8 (byte 0xc3)" in err.message


def test_invalid_utf8_column_counts_characters_not_bytes(tmp_path):
    # "name: 大普微" is 9 characters but 15 bytes: the bad byte is character 10 of line 3, which
    # is what an editor shows and how every other position of the loader counts. The loader
    # currently reports the byte offset (column 16).
    err = refused(tmp_path, "a: 1\nb: 2\nname: 大普微".encode() + b"\xffcd\n")
    assert "invalid UTF-8 (byte 0xff)" in err.message
    assert at(err) == (3, 10)


def test_invalid_utf8_column_after_a_bom(tmp_path):
    # The BOM is not a visible character: elsewhere the loader strips it before counting columns.
    # The bad byte below is the 4th character of line 1; the loader reports column 7.
    err = refused(tmp_path, b"\xef\xbb\xbfa: \xff\n")
    assert "invalid UTF-8 (byte 0xff)" in err.message
    assert at(err) == (1, 4)


def test_bom_and_crlf_load_with_right_positions(tmp_path):
    doc = load(tmp_path, b"\xef\xbb\xbfcase_type: ipo\r\noffering:\r\n  price: 46.08\r\n  name: x\r\n")
    assert doc.data == {"case_type": "ipo", "offering": {"price": Decimal("46.08"), "name": "x"}}
    assert list(doc.data) == ["case_type", "offering"]  # the BOM is not part of the first key
    assert doc.position(("case_type",)) == Position(doc.file, 1, 12)
    assert doc.key_position(("case_type",)) == Position(doc.file, 1, 1)
    assert doc.key_position(("offering", "price")) == Position(doc.file, 3, 3)
    assert doc.position(("offering", "price")) == Position(doc.file, 3, 10)
    assert doc.position(("offering", "name")) == Position(doc.file, 4, 9)


def test_errors_in_bom_crlf_file_have_right_positions(tmp_path):
    err = refused(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: .nan\r\na: 2\r\n")
    assert at(err) == (2, 4)
    err = refused(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: 2\r\na: 3\r\n")
    assert at(err) == (3, 1)
    assert "duplicate key 'a' (first at line 1)" in err.message


# --- limits -----------------------------------------------------------------------------------


def test_file_over_the_size_limit(tmp_path):
    content = b"a: 1\n" + b"#" * 1995
    assert len(content) == 2000
    err = refused(tmp_path, content, max_bytes=1000)
    assert at(err) == (1, 1)
    assert err.message == "file is 2,000 bytes, over the limit of 1,000 bytes"


def test_file_at_the_size_limit_loads(tmp_path):
    content = b"a: 1\n" + b"#" * 995
    assert len(content) == 1000
    assert load(tmp_path, content, max_bytes=1000).data == {"a": 1}


def test_a_file_whose_size_is_not_its_length_is_read_to_its_end_within_the_limit(tmp_path):
    """A pipe says it is empty and is written in pieces; /dev/zero never ends: read on to the end,
    and stop one byte past the limit."""
    import threading

    from checker.filebytes import read_bytes
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    content = b"a: 1\n" * 3000   # more than one pipe buffer: several reads

    def write():
        with open(fifo, "wb") as fh:
            fh.write(content)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_bytes(str(fifo)) == content
    finally:
        writer.join(timeout=30)
    with pytest.raises(InputError, match="over the limit of 1,000 bytes"):
        read_bytes("/dev/zero", max_bytes=1000)


def test_a_folder_or_a_missing_file_cannot_be_read(tmp_path):
    from checker.filebytes import read_bytes
    for path in (tmp_path, tmp_path / "missing.yaml"):
        with pytest.raises(InputError, match="cannot read file") as err:
            read_bytes(str(path))
        assert (err.value.position.file, err.value.position.line) == (str(path), 1)


# the 50 MB file: tests/test_hostile.py::test_50_megabyte_file_is_refused_before_parsing


def test_nesting_500_levels_deep_is_refused_at_the_first_level_too_deep(tmp_path):
    err = refused(tmp_path, "a: " + "[" * 500 + "]" * 500 + "\n")
    # the root mapping is level 1, so the 64th '[' (column 3 + 64) is the first one too deep
    assert at(err) == (1, 3 + MAX_DEPTH)
    assert err.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_nesting_10000_levels_deep(tmp_path):
    err = refused(tmp_path, "a: " + "[" * 10000 + "]" * 10000 + "\n")
    # libyaml's own scanner limit (1,000 levels, in newer releases) may stop it first, at its column:
    # the same error either way, on line 1 and no earlier than the first level too deep
    assert err.message == f"nesting deeper than {MAX_DEPTH} levels"
    line, col = at(err)
    assert line == 1 and 3 + MAX_DEPTH <= col <= 3 + 1001


def test_nesting_within_the_limit_loads(tmp_path):
    depth = MAX_DEPTH - 1
    doc = load(tmp_path, "a: " + "[" * depth + "1" + "]" * depth + "\n")
    value = doc.data["a"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == [1]


def test_alias_bomb(tmp_path):
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    err = refused(tmp_path, "\n".join(lines) + "\n")
    # lol6 (line 7): its second *lol5 (column 14 + 7) pushes the total past the node limit
    assert at(err) == (7, 21)
    assert err.message == f"alias *lol5 expands past {MAX_NODES:,} YAML nodes (an alias bomb?)"
    assert "alias" in err.message and "expands" in err.message


def test_small_aliases_load(tmp_path):
    doc = load(tmp_path, "base: &b {x: 1}\nc: *b\nd: &s 5\ne: *s\n")
    assert doc.data == {"base": {"x": 1}, "c": {"x": 1}, "d": 5, "e": 5}
    assert doc.position(("c",)) == Position(doc.file, 2, 4)


def test_alias_to_an_unknown_anchor(tmp_path):
    err = refused(tmp_path, "a: 1\nb: *nowhere\n")
    assert at(err) == (2, 4)
    assert err.message == "alias *nowhere refers to no complete anchor"


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.Inf", ".INF"])
def test_nan_and_infinity_refused(tmp_path, value):
    err = refused(tmp_path, f"a: 1\nprice: {value}\n")
    assert at(err) == (2, 8)
    assert err.message == f"'{value}' (NaN or infinity) is not a number a case may hold"


def test_huge_integer_literal(tmp_path):
    err = refused(tmp_path, "a: 1\nshares: " + "9" * 5000 + "\n")
    assert at(err) == (2, 9)
    assert err.message.startswith("invalid integer '" + "9" * 40 + "… (5,000 characters)'")
    assert len(err.message) < 400  # the literal itself is not echoed in full


def test_impossible_date(tmp_path):
    err = refused(tmp_path, "a: 1\nt_day: 2026-02-30\n")
    assert at(err) == (2, 8)
    assert err.message.startswith("invalid date '2026-02-30'")
    assert "day is out of range" in err.message


def test_real_dates_load_as_dates(tmp_path):
    doc = load(tmp_path, "t_day: 2026-04-03\nleap: 2024-02-29\n")
    assert doc.data == {"t_day": dt.date(2026, 4, 3), "leap": dt.date(2024, 2, 29)}


def test_python_tag_refused_and_nothing_runs(tmp_path, capfd):
    err = refused(tmp_path, 'a: 1\nb: !!python/object/apply:os.system ["echo hi"]\n')
    assert at(err) == (2, 4)
    assert err.message == "YAML tag !!python/object/apply:os.system is not allowed in a case file"
    out, errout = capfd.readouterr()
    assert "hi" not in out and "hi" not in errout


@pytest.mark.parametrize("tagged", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!!python/object/apply:os.system {{args: ["touch {marker}"]}}',
    "!!python/name:os.system",
    "!!python/object:os.PathLike {{}}",
    "!!binary aGVsbG8=",
    "!!set {{x}}",
    "!local x",
])
def test_other_tags_refused_and_nothing_runs(tmp_path, tagged):
    marker = tmp_path / "ran"
    tagged = tagged.format(marker=marker)
    tag = tagged.split()[0]
    err = refused(tmp_path, f"a: 1\nb: {tagged}\n")
    assert at(err) == (2, 4)
    assert err.message == f"YAML tag {tag} is not allowed in a case file"
    assert not marker.exists()


def test_standard_tags_allowed(tmp_path):
    doc = load(tmp_path, "a: !!str 46.08\nb: !!int '7'\nc: !!float 1.5\n")
    assert doc.data == {"a": "46.08", "b": 7, "c": Decimal("1.5")}


def test_empty_file(tmp_path):
    err = refused(tmp_path, b"")
    assert at(err) == (1, 1)
    assert err.message == "the file is empty"


def test_file_of_only_comments_is_empty(tmp_path):
    err = refused(tmp_path, "# nothing here\n\n# still nothing\n")
    assert at(err) == (1, 1)
    assert err.message == "the file is empty"


def test_two_documents_in_one_file(tmp_path):
    err = refused(tmp_path, "case_type: ipo\nid: a\n---\ncase_type: ipo\nid: b\n")
    assert at(err) == (3, 1)
    assert err.message == "a case file holds one YAML document; found a second one"


def test_two_explicit_documents_in_one_file(tmp_path):
    err = refused(tmp_path, "---\na: 1\n...\n---\nb: 2\n")
    assert at(err) == (4, 1)
    assert "found a second one" in err.message


def test_complex_key_refused(tmp_path):
    err = refused(tmp_path, "a: 1\n? [x, y]\n: 2\n")
    assert at(err) == (2, 3)
    assert err.message == "a mapping key must be a plain name"


@pytest.mark.parametrize("text", ["lockup_months: 024\n", "lockup_months: 1:30\n"])
def test_yaml11_integer_forms_are_not_silently_reinterpreted(tmp_path, text):
    # YAML 1.1 reads 024 as octal (20) and 1:30 as base 60 (90). A case author means 24 and
    # "1:30"; the model cannot tell, so the loader must either keep the written number or refuse.
    try:
        doc = load(tmp_path, text)
    except InputError as err:
        assert at(err) == (1, 16)
    else:
        assert doc.data["lockup_months"] in (24, "1:30")


# --- values that must load exactly ------------------------------------------------------------


def test_decimal_values_are_exact(tmp_path):
    doc = load(tmp_path, "price: 46.08\nratio: 0.40\nproceeds: 2010085000.00\ntiny: 0.1\nshares: 43621636\n")
    assert type(doc.data["price"]) is Decimal
    assert doc.data["price"] == Decimal("46.08")
    assert str(doc.data["price"]) == "46.08"
    assert str(doc.data["ratio"]) == "0.40"
    assert str(doc.data["proceeds"]) == "2010085000.00"
    assert doc.data["tiny"] * 3 == Decimal("0.3")
    assert type(doc.data["shares"]) is int and doc.data["shares"] == 43621636


def test_keys_stay_the_text_written(tmp_path):
    doc = load(tmp_path, "on: 1\noff: 2\nyes: 3\nno: 4\ny: 5\nnull: 6\n~: 7\n1: 8\ntrue: 9\n2026-04-03: 10\n")
    assert list(doc.data) == ["on", "off", "yes", "no", "y", "null", "~", "1", "true", "2026-04-03"]
    assert all(type(k) is str for k in doc.data)
    assert doc.data["on"] == 1


def test_positions_of_nested_list_items(tmp_path):
    text = (
        "strategic:\n"
        "  initial_shares: 8724327\n"
        "  investors:\n"
        "    - name: 证裕投资\n"
        "      shares: 1308649\n"
        "    - name: 员工资管计划\n"
        "      type: employee_plan\n"
        "      shares: 2604166\n"
        "      lockups: [12, 24]\n"
        "names: [大普微, 大普微, x]\n"
    )
    doc = load(tmp_path, text)
    f = doc.file
    assert doc.data["strategic"]["investors"][1]["shares"] == 2604166
    assert doc.position(("strategic", "investors", 0)) == Position(f, 4, 7)
    assert doc.position(("strategic", "investors", 1)) == Position(f, 6, 7)
    assert doc.position(("strategic", "investors", 1, "shares")) == Position(f, 8, 15)
    assert doc.key_position(("strategic", "investors", 1, "shares")) == Position(f, 8, 7)
    assert doc.position(("strategic", "investors", 1, "lockups", 1)) == Position(f, 9, 21)
    # columns count characters: each 大普微 is three columns wide, not nine bytes
    assert doc.position(("names", 1)) == Position(f, 10, 14)
    assert doc.position(("names", 2)) == Position(f, 10, 19)
    # a path that does not exist falls back to its nearest existing ancestor
    assert doc.position(("strategic", "investors", 1, "missing")) == Position(f, 6, 7)
    # a list item has no key: its key position is its own position
    assert doc.key_position(("strategic", "investors", 0)) == Position(f, 4, 7)


def test_real_case_loads_with_positions(tmp_path):
    from pathlib import Path

    source = Path(__file__).resolve().parents[1] / "cases" / "ipo" / "dapuwei-2026.yaml"
    text = source.read_text(encoding="utf-8")
    doc = load(tmp_path, text)
    lines = text.splitlines()
    line = lines.index("      shares: 4811512") + 1
    assert doc.data["strategic"]["investors"][2]["shares"] == 4811512
    assert doc.position(("strategic", "investors", 2, "shares")) == Position(doc.file, line, 15)
    assert doc.data["offering"]["price"] == Decimal("46.08")
    assert doc.data["issuer"]["name"] == "深圳大普微电子股份有限公司"


def _same(ours, theirs) -> bool:
    """Our data against PyYAML's: floats are Decimal from their text here, float there."""
    if isinstance(theirs, float):
        return isinstance(ours, Decimal) and ours == Decimal(repr(theirs))
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and list(ours) == [str(k) for k in theirs] and \
            all(_same(ours[str(k)], v) for k, v in theirs.items())
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(_same, ours, theirs))
    return type(ours) is type(theirs) and ours == theirs


def _paths(node, path=()):
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield from _paths(value, (*path, key))


def test_every_bundled_file_loads_as_pyyaml_reads_it_with_a_mark_for_every_node():
    """The event builder is our own: its data must be what yaml.safe_load gives (floats aside),
    and every node, and every key, must have a mark."""
    files = sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True)) + \
        sorted(glob.glob(os.path.join(ROOT, "rules", "**", "*.yaml"), recursive=True))
    assert len(files) > 40
    for path in files:
        doc = load_file(path)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        assert _same(doc.data, yaml.load(text, Loader=yaml.CSafeLoader)), path
        paths = set(_paths(doc.data))
        keyed = {p for p in paths if p and isinstance(p[-1], str)}
        if re.search(r"(^|\s)\*\w", text):   # under an alias only the alias itself has a mark
            assert set(doc.marks) < paths and set(doc.key_marks) < keyed, path
        else:
            assert set(doc.marks) == paths and set(doc.key_marks) == keyed, path


def test_lazy_positions_give_positions_however_they_are_read(tmp_path):
    doc = load(tmp_path, "offering:\n  issue_shares: 100\n  price: 1.5\n")
    lazy = doc.positions_of({"a": ("offering", "issue_shares"), "b": ("offering", "price"), "c": ("nowhere",)})
    want = {"a": Position(doc.file, 2, 17), "b": Position(doc.file, 3, 10), "c": Position(doc.file, 1, 1)}
    assert lazy["a"] == want["a"] and lazy.get("b") == want["b"] and lazy.get("zz", 7) == 7
    lazy["c"] = Position(doc.file, 9, 9)   # a Position set in it is kept
    want["c"] = Position(doc.file, 9, 9)
    assert dict(lazy) == {**lazy} == dict(lazy.items()) == want == lazy
    assert list(lazy.values()) == list(want.values())
    for read in (dict, lambda m: {**m}, lambda m: dict(m.items()), lambda m: dict(zip(m, m.values(), strict=True))):
        fresh = doc.positions_of({"a": ("offering", "issue_shares")})   # nothing read yet
        assert read(fresh) == {"a": want["a"]}
