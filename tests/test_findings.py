"""Finding.to_dict is written by hand for speed: it must stay what dataclasses.asdict gives."""

from __future__ import annotations

import dataclasses
import glob
import os

from tests.conftest import ROOT


def _reference(finding) -> dict:
    out = dataclasses.asdict(finding)
    pos = out.pop("position")
    out["location"] = {"file": pos["file"], "line": pos["line"], "col": pos["col"]}
    return out


def test_to_dict_equals_asdict_for_every_finding_of_the_bundled_cases(checker):
    seen = set()
    for path in sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True)):
        for finding in checker.check_file(path).findings:
            got, want = finding.to_dict(), _reference(finding)
            assert got == want and list(got) == list(want), (path, finding.rule_id)
            assert got["title"] is not finding.title and got["citation"]["urls"] is not finding.citation["urls"]
            seen.add(finding.status)
            seen.update(k for k in ("related", "waiver", "missing") if want[k])
    # the bundled cases exercise every part of a finding
    assert seen >= {"violation", "waived", "not_evaluated", "not_covered", "related", "waiver", "missing"}
