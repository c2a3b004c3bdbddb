"""checker.validate on IPO cases: copies of the real 大普微 case, edited by plain text replacement.

Every error must name the field (InputError.field) and the file:line:col of the offending text.
Expected lines and columns are computed from the edited text, never hard-coded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from checker.errors import InputError, Position
from checker.loading import load_file
from checker.model.ipo import Board, InvestorType, IpoCase, OutcomeStatus
from checker.validate import field_path, validate

from .conftest import DAPUWEI, ROOT

CASE = Path(__file__).resolve().parents[1] / "cases" / "ipo" / "dapuwei-2026.yaml"
ORIGINAL = CASE.read_text(encoding="utf-8")


def edited(tmp_path, *replacements: tuple[str, str]) -> tuple[str, str]:
    """Write a copy of the real case with each (old, new) replaced once; return (path, text)."""
    text = ORIGINAL
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the case"
        text = text.replace(old, new)
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path), text


def where(text: str, needle: str, at: str | None = None) -> tuple[int, int]:
    """1-based (line, col) of `at` inside the unique occurrence of `needle` (its start if no `at`)."""
    assert text.count(needle) == 1, f"{needle!r} must occur exactly once"
    index = text.index(needle) + (needle.index(at) if at is not None else 0)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def invalid(path: str) -> InputError:
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    err = info.value
    for e in [err, *err.more]:
        assert e.position is not None and e.position.file == path
    return err


def at(err: InputError) -> tuple[int, int]:
    return err.position.line, err.position.col


# --- the real case ----------------------------------------------------------------------------


def test_unmodified_real_case_validates():
    case = validate(load_file(str(CASE)))
    assert isinstance(case, IpoCase)
    assert case.case_type == "ipo"
    assert case.id == "dapuwei-2026"
    assert case.issuer.board is Board.chinext
    assert case.issuer.profitable is False
    assert case.issuer.stock_code == "301666"
    assert case.offering.issue_shares == 43621636
    assert case.offering.price == Decimal("46.08")
    assert case.timetable.t_day == dt.date(2026, 4, 3)
    assert [i.shares for i in case.strategic.investors] == [1308649, 2604166, 4811512]
    assert case.strategic.investors[0].type is InvestorType.sponsor_subsidiary
    assert case.strategic.investors[2].aggregate is True
    assert case.allocation.offline_lockup.pct == Decimal("40")


def test_plan_without_results_is_valid():
    assert "\nresults:" not in ORIGINAL
    case = validate(load_file(str(CASE)))
    assert case.results is None
    assert case.outcome.status is OutcomeStatus.planned


def test_minimal_plan_without_results_is_valid(tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_text(
        "case_type: ipo\n"
        "issuer:\n"
        "  name: 某某股份有限公司\n"
        "  board: star\n"
        "offering:\n"
        "  issue_shares: 1000000\n",
        encoding="utf-8",
    )
    case = validate(load_file(str(path)))
    assert case.results is None
    assert case.outcome.status is OutcomeStatus.planned
    assert case.strategic.investors == []
    assert case.offering.price is None


def test_case_with_results_block_is_valid(tmp_path):
    path, _ = edited(tmp_path, ("outcome:\n", "results:\n  online_paid_shares: 6979000\noutcome:\n"))
    case = validate(load_file(path))
    assert case.results is not None
    assert case.results.online_paid_shares == 6979000


# --- numbers ----------------------------------------------------------------------------------


def test_text_where_a_number_belongs(tmp_path):
    path, text = edited(tmp_path, ("issue_shares: 43621636", 'issue_shares: "43,621,636"'))
    err = invalid(path)
    assert err.field == "offering.issue_shares"
    assert at(err) == where(text, 'issue_shares: "43,621,636"', at='"')
    assert err.message == "'offering.issue_shares': expected a whole number, got text '43,621,636'"
    assert err.more == []


def test_full_width_digits_for_shares(tmp_path):
    path, text = edited(tmp_path, ("      shares: 2604166", "      shares: ８７２万"))
    err = invalid(path)
    assert err.field == "strategic.investors[1].shares"
    assert at(err) == where(text, "shares: ８７２万", at="８")
    assert "expected a whole number, got text '８７２万'" in err.message


def test_full_width_digits_without_unit_are_not_read_as_a_number(tmp_path):
    path, text = edited(tmp_path, ("      shares: 2604166", "      shares: ８７２"))
    err = invalid(path)
    assert err.field == "strategic.investors[1].shares"
    assert at(err) == where(text, "shares: ８７２", at="８")
    assert "got text '８７２'" in err.message


def test_negative_shares(tmp_path):
    path, text = edited(tmp_path, ("      shares: 4811512", "      shares: -4811512"))
    err = invalid(path)
    assert err.field == "strategic.investors[2].shares"
    assert at(err) == where(text, "shares: -4811512", at="-")
    assert err.message == "'strategic.investors[2].shares': must be greater than or equal to 0, got -4811512"


def test_decimal_shares(tmp_path):
    path, text = edited(tmp_path, ("      shares: 4811512", "      shares: 1.5"))
    err = invalid(path)
    assert err.field == "strategic.investors[2].shares"
    assert at(err) == where(text, "shares: 1.5", at="1.5")
    assert err.message == "'strategic.investors[2].shares': expected a whole number, got the number 1.5"


def test_price_with_three_decimals(tmp_path):
    path, text = edited(tmp_path, ("price: 46.08", "price: 46.081"))
    err = invalid(path)
    assert err.field == "offering.price"
    assert at(err) == where(text, "price: 46.081", at="46")
    assert err.message == "'offering.price': at most 2 decimal places are allowed, got 46.081"


def test_price_with_two_decimals_and_trailing_zeros_is_fine(tmp_path):
    path, _ = edited(tmp_path, ("price: 46.08", "price: 46.0800"))
    assert validate(load_file(path)).offering.price == Decimal("46.08")


# --- unknown and missing fields ---------------------------------------------------------------


def test_unknown_field_with_did_you_mean(tmp_path):
    path, text = edited(tmp_path, ("post_issue_total_shares: 436216360", "post_issue_total_share: 436216360"))
    err = invalid(path)
    assert err.field == "offering.post_issue_total_share"
    assert at(err) == where(text, "post_issue_total_share: ")
    assert err.message == (
        "unknown field 'offering.post_issue_total_share' (did you mean 'post_issue_total_shares'?)"
    )
    assert err.more == []


def test_misspelt_required_field_gives_did_you_mean(tmp_path):
    path, text = edited(tmp_path, ("issue_shares: 43621636", "issue_share: 43621636"))
    err = invalid(path)
    errors = {e.field: e for e in [err, *err.more]}
    assert set(errors) == {"offering.issue_share", "offering.issue_shares"}
    typo = errors["offering.issue_share"]
    assert at(typo) == where(text, "issue_share: ")
    assert typo.message == "unknown field 'offering.issue_share' (did you mean 'issue_shares'?)"
    assert errors["offering.issue_shares"].message == "required field 'offering.issue_shares' is missing"


def test_unknown_field_without_a_close_match_lists_the_allowed_ones(tmp_path):
    path, text = edited(tmp_path, ("  red_chip: false\n", "  red_chip: false\n  colour: red\n"))
    err = invalid(path)
    assert err.field == "issuer.colour"
    assert at(err) == where(text, "  colour: red", at="colour")
    assert err.message.startswith(
        "unknown field 'issuer.colour'; allowed: name, short_name, stock_code, board"
    )


def test_missing_required_field_points_at_the_parent_mapping(tmp_path):
    # issuer.board removed: the error stands where the issuer mapping is named ('issuer:').
    # The loader's position for a block mapping is its first key ('  name: …', one line lower).
    path, text = edited(tmp_path, ("  board: chinext\n", ""))
    err = invalid(path)
    assert err.field == "issuer.board"
    assert err.message == "required field 'issuer.board' is missing"
    assert err.more == []
    assert at(err) == where(text, "\nissuer:\n", at="issuer")


def test_missing_required_field_in_a_list_item_points_at_the_item(tmp_path):
    path, text = edited(tmp_path, ("      type: employee_plan\n", ""))
    err = invalid(path)
    assert err.field == "strategic.investors[1].type"
    assert err.message == "required field 'strategic.investors[1].type' is missing"
    assert at(err) == where(text, "    - name: 海富通", at="name")


# --- enums, dates, booleans -------------------------------------------------------------------


def test_bad_board_value(tmp_path):
    path, text = edited(tmp_path, ("board: chinext", "board: nasdaq"))
    err = invalid(path)
    assert err.field == "issuer.board"
    assert at(err) == where(text, "board: nasdaq", at="nasdaq")
    assert err.message == ("'issuer.board': must be 'sse_main', 'star', 'szse_main', 'szse_sme', 'chinext' or "
                           "'bse', got 'nasdaq'")


def test_date_written_as_a_quoted_string(tmp_path):
    path, text = edited(tmp_path, ("t_day: 2026-04-03", 't_day: "2026-04-03"'))
    err = invalid(path)
    assert err.field == "timetable.t_day"
    assert at(err) == where(text, 't_day: "2026-04-03"', at='"')
    assert err.message == "'timetable.t_day': expected a date written YYYY-MM-DD, got text '2026-04-03'"


def test_date_with_a_time(tmp_path):
    path, text = edited(tmp_path, ("t_day: 2026-04-03", "t_day: 2026-04-03 09:30:00"))
    err = invalid(path)
    assert err.field == "timetable.t_day"
    assert at(err) == where(text, "t_day: 2026-04-03 09:30:00", at="2026")
    assert "got a date with a time (2026-04-03T09:30:00)" in err.message


def test_impossible_date_in_a_case_is_a_load_error(tmp_path):
    path, text = edited(tmp_path, ("t_day: 2026-04-03", "t_day: 2026-02-30"))
    with pytest.raises(InputError) as info:
        load_file(path)
    assert at(info.value) == where(text, "t_day: 2026-02-30", at="2026")
    assert info.value.message.startswith("invalid date '2026-02-30'")


def test_boolean_written_as_a_string(tmp_path):
    path, text = edited(tmp_path, ("profitable: false", 'profitable: "no"'))
    err = invalid(path)
    assert err.field == "issuer.profitable"
    assert at(err) == where(text, 'profitable: "no"', at='"')
    assert err.message == "'issuer.profitable': must be a valid boolean, got 'no'"


# --- case_type --------------------------------------------------------------------------------


def test_case_type_missing(tmp_path):
    path, text = edited(tmp_path, ("case_type: ipo\n", ""))
    err = invalid(path)
    assert err.field == "case_type"
    assert err.message == "missing 'case_type' (one of: ipo, investor, restructuring)"
    assert at(err) == where(text, "\nid: dapuwei-2026", at="id")  # the document's first key


def test_case_type_unknown(tmp_path):
    path, text = edited(tmp_path, ("case_type: ipo", "case_type: merger"))
    err = invalid(path)
    assert err.field == "case_type"
    assert err.message == "unknown case_type 'merger' (one of: ipo, investor, restructuring)"
    assert at(err) == where(text, "case_type: merger", at="merger")


def test_document_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("# a list, not a case\n- case_type: ipo\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate(load_file(str(path)))
    assert info.value.position == Position(str(path), 2, 1)
    assert info.value.message.startswith("a case file must be a mapping")


# --- several errors, model rules --------------------------------------------------------------


def test_several_errors_reported_at_once(tmp_path):
    path, text = edited(
        tmp_path,
        ("      shares: 4811512", "      shares: -4811512"),
        ("issue_shares: 43621636", 'issue_shares: "43,621,636"'),
        ("board: chinext", "board: nasdaq"),
    )
    err = invalid(path)
    errors = [err, *err.more]
    assert [e.field for e in errors] == [
        "issuer.board", "offering.issue_shares", "strategic.investors[2].shares",
    ]
    assert [at(e) for e in errors] == [
        where(text, "board: nasdaq", at="nasdaq"),
        where(text, 'issue_shares: "43,621,636"', at='"'),
        where(text, "shares: -4811512", at="-"),
    ]
    assert all(e.more == [] for e in err.more)


def test_investor_count_only_on_an_aggregate_line(tmp_path):
    path, text = edited(tmp_path, ("      aggregate: true\n", "      investor_count: 3\n"))
    err = invalid(path)
    assert err.field == "strategic.investors[2]"
    assert at(err) == where(text, "    - name: 其他", at="name")
    assert err.message == "'strategic.investors[2]': investor_count is only for a line with aggregate: true"


def test_field_path_formatting():
    assert field_path(("strategic", "investors", 2, "shares")) == "strategic.investors[2].shares"
    assert field_path(("disclosures", 0)) == "disclosures[0]"
    assert field_path(("case_type",)) == "case_type"


def test_includes_employee_plan_only_on_an_aggregate_line(tmp_path):
    path, _ = edited(tmp_path, ("      aggregate: true\n", "      includes_employee_plan: true\n"))
    err = invalid(path)
    assert err.field == "strategic.investors[2]"
    assert err.message == ("'strategic.investors[2]': includes_employee_plan is only for a line with "
                           "aggregate: true")


def test_a_fraction_in_the_old_unit_is_refused_with_how_to_write_it(tmp_path):
    import subprocess
    import sys
    text = Path(DAPUWEI).read_text(encoding="utf-8")
    assert "  offline_lockup:\n    pct: 40\n" in text
    case = tmp_path / "old-unit.yaml"
    case.write_text(text.replace("  offline_lockup:\n    pct: 40\n", "  offline_lockup:\n    ratio: 0.10\n"),
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "checker", str(case), "--format", "lines"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    line = text.splitlines().index("  offline_lockup:") + 2
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{case}:{line}:" in proc.stdout and "write pct: 10 for ratio: 0.10" in proc.stdout, proc.stdout


@pytest.mark.parametrize("block, old, new", [
    ("reward", "ratio: 0.30", "write pct: 30 for ratio: 0.30"),
    ("performance", "cash_ratio: 0.25", "write cash_pct: 25 for cash_ratio: 0.25"),
    ("performance", "periodic_trigger: 0.8", "write periodic_trigger_pct: 80 for periodic_trigger: 0.8"),
])
def test_the_restructuring_fractions_of_the_old_unit_are_refused(tmp_path, block, old, new):
    import subprocess
    import sys
    source = Path(ROOT, "cases", "restructuring", "jiuqi-yiqilian.yaml").read_text(encoding="utf-8")
    text = source.replace("\nreward:", "\nreward:\n  " + old, 1) if block == "reward" else \
        source.replace("\nperformance:\n", "\nperformance:\n  " + old + "\n", 1)
    assert text != source
    case = tmp_path / "old-unit.yaml"
    case.write_text(text.replace("\n  pct: 30\n", "\n", 1) if block == "reward" else text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "checker", str(case), "--format", "lines"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and new in proc.stdout, proc.stdout + proc.stderr
