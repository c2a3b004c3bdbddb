"""The batch's compact file list gives back every path as it was given, in order."""

import os

import pytest

from checker.batch.paths import PathList
from checker.cli import expand_paths

NAMES = ["cases/a.yaml", "案例/大普微.yaml", "odd/\udcff-not-utf8.yaml", "", "x" * 5000]


def test_every_path_comes_back_as_given():
    paths = PathList(NAMES)
    assert len(paths) == len(NAMES)
    assert list(paths) == NAMES and paths == NAMES
    assert [paths[i] for i in range(len(NAMES))] == NAMES
    assert paths[-1] == NAMES[-1] and paths[-len(NAMES)] == NAMES[0]
    assert paths[1:3] == NAMES[1:3] and paths[::-1] == NAMES[::-1]
    with pytest.raises(IndexError):
        paths[len(NAMES)]
    assert list(PathList()) == [] and len(PathList()) == 0


def test_a_file_given_twice_by_any_spelling_is_checked_once(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("b.yaml", "a.yml", "c.txt"):
        (folder / name).write_text("case_type: ipo\n")
    one, unmatched, counts = expand_paths([str(folder)])
    assert list(one) == [str(folder / "a.yml"), str(folder / "b.yaml")] and unmatched == []
    again, _, counts = expand_paths([str(folder), str(folder / "b.yaml"), str(folder) + os.sep + "."])
    assert list(again) == list(one)
    assert [c["files"] for c in counts] == [2, 1, 2]   # what each argument gave, before duplicates go
