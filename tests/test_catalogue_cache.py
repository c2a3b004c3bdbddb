"""The compiled-catalogue cache: used only when nothing it was built from has changed."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from checker import catalogue_cache as cc
from checker import cli
from checker.check import Checker
from checker.errors import RulePackError
from checker.rulepack import load_catalogue
from tests.conftest import DAPUWEI, RULES


@pytest.fixture
def loads(monkeypatch, tmp_path):
    """A private cache folder, and a count of the times the packs were really loaded."""
    monkeypatch.setenv(cc.ENV, str(tmp_path / "cache"))
    calls = []

    def counted(root):
        calls.append(root)
        return load_catalogue(root)
    monkeypatch.setattr(cc, "load_catalogue", counted)
    return calls


def _signature(catalogue) -> list:
    return [(r.key, r.file, r.position, repr(r.compiled.condition)) for r in catalogue.rules]


def test_second_run_reads_the_cache_and_gets_the_same_catalogue(loads, tmp_path):
    first = cc.cached_catalogue(RULES)
    second = cc.cached_catalogue(RULES)
    assert len(loads) == 1
    assert len(os.listdir(tmp_path / "cache")) == 1
    assert _signature(second) == _signature(first) == _signature(load_catalogue(RULES))
    assert second.boards.keys() == first.boards.keys()
    a, b = Checker(first).check_file(DAPUWEI), Checker(second).check_file(DAPUWEI)
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]


def test_an_edited_pack_misses_the_cache_and_its_edit_takes_effect(loads, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    rule_id = "ipo.abort.paid_below_70pct"
    before = cc.cached_catalogue(str(rules)).by_id(rule_id)
    pack = rules / "ipo" / "abort.yaml"
    old = "require: results.offline_paid_shares + results.online_paid_shares >= 70%"
    text = pack.read_text(encoding="utf-8")
    assert old in text
    pack.write_text(text.replace(old, old.replace("70%", "80%")).replace(
        "en: Abort when paid subscriptions fall below 70%", "en: Edited title"), encoding="utf-8")
    after = cc.cached_catalogue(str(rules)).by_id(rule_id)
    assert len(loads) == 2
    assert after.spec.title.en == "Edited title" != before.spec.title.en
    assert repr(after.compiled.condition) != repr(before.compiled.condition)
    assert repr(after.compiled.condition) == repr(load_catalogue(str(rules)).by_id(rule_id).compiled.condition)


def test_a_cache_file_others_may_write_is_not_read(loads, tmp_path):
    cc.cached_catalogue(RULES)
    (cached,) = (tmp_path / "cache").iterdir()
    cached.chmod(0o666)
    cc.cached_catalogue(RULES)
    assert len(loads) == 2


def test_a_cache_file_that_is_a_symbolic_link_is_not_followed(loads, tmp_path):
    """A link in place of the cache file (to a pickle of someone's choosing) is never read."""
    cc.cached_catalogue(RULES)
    (cached,) = (tmp_path / "cache").iterdir()
    elsewhere = tmp_path / "elsewhere.pickle"
    shutil.move(cached, elsewhere)   # a genuine catalogue pickle: only the link makes it suspect
    cached.symlink_to(elsewhere)
    cc.cached_catalogue(RULES)
    assert len(loads) == 2   # the packs were loaded again, the link not read


def test_a_corrupt_cache_file_is_replaced_without_an_error(loads, tmp_path):
    cc.cached_catalogue(RULES)
    (cached,) = (tmp_path / "cache").iterdir()
    cached.write_bytes(b"not a pickle")
    catalogue = cc.cached_catalogue(RULES)
    assert len(loads) == 2 and _signature(catalogue) == _signature(load_catalogue(RULES))
    cc.cached_catalogue(RULES)
    assert len(loads) == 2   # the corrupt file was rewritten


def test_off_writes_nothing(loads, tmp_path, monkeypatch):
    monkeypatch.setenv(cc.ENV, "off")
    cc.cached_catalogue(RULES)
    cc.cached_catalogue(RULES)
    assert len(loads) == 2 and not (tmp_path / "cache").exists()


def test_a_rule_pack_error_is_raised_on_every_run(loads, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    pack = sorted(rules.rglob("*.yaml"))[-1]
    pack.write_text(pack.read_text(encoding="utf-8").replace("severity: error", "severity: fatal", 1),
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RulePackError):
            cc.cached_catalogue(str(rules))
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("catalogue-*"))


def test_only_the_newest_catalogues_are_kept(loads, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    note = rules / "ipo" / "zz-note.txt"
    for i in range(cc.KEEP + 3):
        note.write_text(str(i))   # any file under rules/ is part of the key
        cc.cached_catalogue(str(rules))
    assert len(loads) == cc.KEEP + 3
    assert len(list((tmp_path / "cache").glob("catalogue-*.pickle"))) == cc.KEEP


def test_the_cli_reports_the_same_with_and_without_the_cache(tmp_path, monkeypatch):
    outputs = []
    for setting in ("off", str(tmp_path / "cache"), str(tmp_path / "cache")):
        monkeypatch.setenv(cc.ENV, setting)
        out = tmp_path / "report.json"
        code = cli.main([os.path.join(os.path.dirname(RULES), "cases"), "-j", "1", "--format", f"json={out}",
                         "--today", "2026-11-21"])
        report = json.loads(out.read_text(encoding="utf-8"))
        report.pop("run_date"), report.pop("run_started")
        outputs.append((code, report))
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(list((tmp_path / "cache").glob("catalogue-*.pickle"))) == 1
