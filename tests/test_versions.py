"""Rule versions: selection by date and board, overlap refusal, coverage gaps, board coverage."""

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from checker.check import Checker, Options
from checker.errors import RulePackError
from checker.lint import coverage_gaps
from checker.rulepack import load_catalogue

from .conftest import RULES, edited, line_of

VERSION = """\
  - id: test.cap
    topic: test.cap
    title: {{zh: 测试上限, en: test cap}}
    severity: error
    confidence: verified
    cite: {{source: 测试办法, version: "{version}"}}
    applies: {{case: ipo, boards: [{boards}], from: {start}{until}}}
    require: strategic.total_shares <= {limit}
    message: {{zh: 超过{limit}, en: over {limit}}}
    examples:
      - {{expect: pass, case: cases/ipo/dapuwei-2026.yaml, set: {{timetable.t_day: {day}}}}}
      - {{expect: fail, case: cases/ipo/dapuwei-2026.yaml, set: {{timetable.t_day: {day}, strategic.initial_shares: 1}}}}
"""


def version(start, until=None, boards="chinext", limit=8724327, day=None):
    return VERSION.format(version=start, boards=boards, start=start,
                          until=f", until: {until}" if until else "", limit=limit, day=day or start)


def rules_dir(tmp_path, *versions, boards_file=True):
    root = tmp_path / "rules"
    root.mkdir(parents=True)
    (tmp_path / "cases").symlink_to(Path(RULES).parent / "cases")  # examples resolve next to rules/
    (root / "test.yaml").write_text("rules:\n" + "".join(versions), encoding="utf-8")
    if boards_file:
        shutil.copy(Path(RULES) / "_boards.yaml", root / "_boards.yaml")
    return str(root)


def test_overlapping_versions_of_one_rule_are_refused(tmp_path):
    root = rules_dir(tmp_path, version("2021-09-18", "2023-02-18"), version("2023-02-17"))
    with pytest.raises(RulePackError, match="overlaps version 2021-09-18–2023-02-18"):
        load_catalogue(root)


def test_versions_on_disjoint_boards_may_share_dates(tmp_path):
    root = rules_dir(tmp_path, version("2023-02-17", boards="star"), version("2023-02-17", boards="chinext"))
    with pytest.raises(RulePackError, match="two versions from"):
        load_catalogue(rules_dir(tmp_path / "x", version("2023-02-17"), version("2023-02-17", limit=1)))
    assert len(load_catalogue(root).versions("test.cap")) == 2


def test_versions_must_share_their_topic(tmp_path):
    other = version("2023-02-17").replace("topic: test.cap", "topic: test.other")
    with pytest.raises(RulePackError, match="share one topic"):
        load_catalogue(rules_dir(tmp_path, version("2021-09-18", "2023-02-17"), other))


def test_each_date_gets_its_own_version(tmp_path):
    """One plan, checked as of a day in each window, gives each period's finding."""
    root = rules_dir(tmp_path, version("2021-09-18", "2023-02-17", limit=8000000),
                     version("2023-02-17", limit=8724327))
    catalogue = load_catalogue(root)
    found = {}
    for day in ("2023-02-16", "2023-02-17"):
        checker = Checker(catalogue, Options(as_of=dt.date.fromisoformat(day)))
        result = checker.check_file(str(Path(RULES).parent / "cases/ipo/dapuwei-2026.yaml"))
        found[day] = [(f.rule_id, f.status, f.version) for f in result.findings]
    assert found["2023-02-16"] == [("test.cap", "violation", "2021-09-18–2023-02-17")]
    assert found["2023-02-17"] == []


def test_a_date_without_a_version_is_not_covered_never_another_periods_finding(tmp_path):
    other = version("2020-06-12", limit=10**9).replace("test.cap", "test.other")
    root = rules_dir(tmp_path, version("2021-09-18", "2023-02-17", limit=1), other)
    result = Checker(load_catalogue(root)).check_file(str(Path(RULES).parent / "cases/ipo/dapuwei-2026.yaml"))
    assert [(f.rule_id, f.status) for f in result.findings] == [("test.cap", "not_covered")]
    assert "2021-09-18–2023-02-17" in result.findings[0].message["en"]
    assert result.findings[0].title["en"] == "test.cap (no rule modelled for the date)"   # not a version's title
    assert result.coverage == "partly_checked" and result.uncovered == ["test.cap"]


def test_a_date_on_which_no_rule_is_in_force_is_not_checked_at_all(tmp_path):
    root = rules_dir(tmp_path, version("2021-09-18", "2023-02-17", limit=1))
    path = str(Path(RULES).parent / "cases/ipo/dapuwei-2026.yaml")
    result = Checker(load_catalogue(root)).check_file(path)
    assert [(f.rule_id, f.status) for f in result.findings] == [("coverage.not_checked", "not_covered")]
    assert result.status == "not_checked" and result.findings[0].position.line == line_of(path, "t_day:")


def test_lint_shows_gaps_from_the_boards_coverage_start(tmp_path):
    root = rules_dir(tmp_path, version("2021-09-18", "2022-01-01"), version("2023-02-17"))
    gaps = coverage_gaps(load_catalogue(root))
    assert ("test.cap", "chinext", "2020-06-12", "2021-09-18") in gaps
    assert ("test.cap", "chinext", "2022-01-01", "2023-02-17") in gaps
    assert not [g for g in gaps if g[1] != "chinext"]


def test_lint_gaps_when_one_band_of_a_topic_ends_and_another_from_the_same_day_does_not(tmp_path):
    # a regulation change that ends one band only: the bands start on one day, one has `until`
    band = version("2023-02-17").replace("id: test.cap", "id: test.cap.band")
    root = rules_dir(tmp_path, version("2023-02-17", "2027-01-01"), band)
    before = ("test.cap", "chinext", "2020-06-12", "2023-02-17")   # the board is covered from 2020
    assert coverage_gaps(load_catalogue(root)) == [before]
    ended = rules_dir(tmp_path / "x", version("2023-02-17", "2027-01-01"),
                      band.replace("from: 2023-02-17", "from: 2023-02-17, until: 2025-01-01"))
    assert coverage_gaps(load_catalogue(ended)) == [before, ("test.cap", "chinext", "2027-01-01", None)]


def test_lint_refuses_an_example_dated_outside_its_version(tmp_path):
    from checker.lint import lint
    bad = version("2021-09-18", "2023-02-17", day="2023-02-17")
    problems = lint(load_catalogue(rules_dir(tmp_path, bad)))
    assert any("outside this version (2021-09-18–2023-02-17)" in p for p in problems), problems


def test_a_bse_case_gets_the_bse_rules_and_never_another_boards(checker, tmp_path):
    path = edited(tmp_path, "board: chinext", "board: bse")
    result = checker.check_file(path)
    checked = set(result.rules_checked)
    assert {"ipo.strategic.cap_ratio.bse_lt50m", "ipo.strategic.lockup_min.bse",
            "ipo.allocation.online_only", "ipo.holders.controller_lockup.bse"} <= checked
    for rule_id in checked:
        assert any(v.spec.applies.in_force(dt.date(2026, 4, 3), "bse")
                   for v in checker.catalogue.versions(rule_id)), rule_id
    assert not checked & {"ipo.strategic.cap_ratio.lt100m", "ipo.cosponsor.tier.lt1bn",
                          "ipo.holders.controller_lockup", "ipo.holders.lockup_min"}


def test_a_case_on_a_board_that_ceased_is_not_checked_at_its_board_line(checker, tmp_path):
    path = edited(tmp_path, "board: chinext", "board: szse_sme")
    result = checker.check_file(path)
    assert [(f.rule_id, f.status) for f in result.findings] == [("coverage.not_checked", "not_covered")]
    assert result.status == "not_checked" and "中小板" in result.findings[0].message["zh"]
    assert result.findings[0].position.line == line_of(path, "board: szse_sme")


def test_a_main_board_case_before_the_approval_era_rules_is_not_covered(checker, tmp_path):
    path = edited(tmp_path, "board: chinext", "board: szse_main")
    result = Checker(checker.catalogue, Options(as_of=dt.date(2013, 12, 30))).check_file(path)
    assert [(f.rule_id, f.status) for f in result.findings] == [("coverage.not_checked", "not_covered")]
    assert "2014-01-01" in result.findings[0].message["en"]


def test_a_main_board_case_of_the_approval_era_gets_that_eras_rules(checker, tmp_path):
    path = edited(tmp_path, "board: chinext", "board: szse_main")
    result = Checker(checker.catalogue, Options(as_of=dt.date(2022, 12, 30))).check_file(path)
    assert result.coverage == "partly_checked"
    in_force = set(result.rules_checked)
    assert {"ipo.clawback.tiers.main_top", "ipo.pricing.direct_pricing", "ipo.strategic.approval_eligibility"} <= in_force
    assert "ipo.cosponsor.tier.lt1bn" not in in_force and "ipo.offline.lockup_min.ratio" not in in_force
    assert "ipo.offline.lockup_min" not in result.uncovered   # no mandatory offline lock-up then


def test_the_sme_board_ceased_with_its_merger(checker, tmp_path):
    path = edited(tmp_path, "board: chinext", "board: szse_sme")
    result = Checker(checker.catalogue, Options(as_of=dt.date(2021, 4, 6))).check_file(path)
    assert [(f.rule_id, f.status) for f in result.findings] == [("coverage.not_checked", "not_covered")]
    assert "ceased on 2021-04-06" in result.findings[0].message["en"]
    earlier = Checker(checker.catalogue, Options(as_of=dt.date(2021, 4, 5))).check_file(path)
    assert earlier.coverage == "partly_checked"


def test_rules_date_selects_the_rules_and_as_of_overrides_it(checker, tmp_path):
    path = edited(tmp_path, "  t_day: 2026-04-03\n",
                  "  t_day: 2026-04-03\n  rules_date_reason: 过渡期\n  rules_date: 2019-01-01\n")
    assert Checker(checker.catalogue).check_file(path).as_of == "2019-01-01"
    as_of = dt.date(2024, 1, 1)
    assert Checker(checker.catalogue, Options(as_of=as_of)).check_file(path).as_of == "2024-01-01"


def test_the_shipped_packs_have_no_overlaps_and_every_version_is_listed():
    catalogue = load_catalogue(RULES)
    keys = [r.key for r in catalogue.rules]
    assert len(keys) == len(set(keys))
    for rule in catalogue.rules:
        assert rule in catalogue.versions(rule.id)


def test_the_boards_file_is_not_read_as_a_rule_pack(tmp_path):
    root = rules_dir(tmp_path, version("2023-02-17"))
    (Path(root) / "_boards.yaml").write_text(textwrap.dedent("""\
        boards:
          chinext: {name: {zh: 创业板, en: ChiNext}, covered_from: 2020-06-12, note: x}
        """), encoding="utf-8")
    assert [r.id for r in load_catalogue(root).rules] == ["test.cap"]


def test_from_per_board_takes_effect_on_each_boards_own_day(tmp_path):
    text = version("2019-03-01", day="2020-06-12").replace(
        "boards: [chinext], from: 2019-03-01", "from: {star: 2019-03-01, chinext: 2020-06-12}")
    catalogue = load_catalogue(rules_dir(tmp_path, text))
    applies = catalogue.versions("test.cap")[0].spec.applies
    assert not applies.in_force(dt.date(2020, 6, 11), "chinext")
    assert applies.in_force(dt.date(2020, 6, 12), "chinext")
    assert applies.in_force(dt.date(2019, 3, 1), "star")
    assert not applies.in_force(dt.date(2024, 1, 1), "sse_main")
    case = str(Path(RULES).parent / "cases/ipo/dapuwei-2026.yaml")
    for day, expected in (("2020-06-11", "not_covered"), ("2020-06-12", None)):
        checker = Checker(catalogue, Options(as_of=dt.date.fromisoformat(day)))
        statuses = [f.status for f in checker.check_file(case).findings]
        assert statuses == ([expected] if expected else []), day


def test_a_per_board_version_overlapping_on_one_board_is_refused(tmp_path):
    old = version("2019-03-01", "2023-02-18").replace(
        "boards: [chinext], from: 2019-03-01", "from: {star: 2019-03-01, chinext: 2020-06-12}")
    with pytest.raises(RulePackError, match="on chinext"):
        load_catalogue(rules_dir(tmp_path, old, version("2023-02-17")))


def test_rules_in_force_memoised_per_period_equal_a_fresh_selection_on_every_day():
    from checker.boards import load_boards
    catalogue = load_catalogue(RULES)
    checker = Checker(catalogue)
    boards = [None, *load_boards(RULES)]
    edges = {d + dt.timedelta(days=k) for r in catalogue.rules for b in boards
             for d in (r.spec.applies.start(b), r.spec.applies.until) if d for k in (-1, 0, 1)}
    days = sorted(edges | {dt.date(2009, 1, 1) + dt.timedelta(days=7 * i) for i in range(960)})
    for case_type in ("ipo", "restructuring", "investor"):
        for board in boards:
            rules = [r for r in catalogue.for_case(case_type) if r.spec.applies.start(board) is not None]
            for day in days:
                selected = checker._rules(case_type, board, day)
                assert (selected.rules, selected.in_force) == \
                    (rules, [r for r in rules if r.spec.applies.in_force(day, board)]), (case_type, board, day)
    periods = sum(len(dates) + 1 for _, dates in checker._dates.values())
    assert len(checker._selected) <= periods < len(days)
