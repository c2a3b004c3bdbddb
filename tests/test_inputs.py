"""Folders are read whole: linked sub-folders are followed once each, extensions match whatever
their case, and the count of files each argument gave is reported."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

VIOLATOR = Path(ROOT, "cases", "violations", "strategic-over-20pct.yaml")


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_a_violator_in_a_linked_sub_folder_is_checked(tmp_path):
    real, top = tmp_path / "real", tmp_path / "top"
    real.mkdir()
    top.mkdir()
    shutil.copy(VIOLATOR, real / "v.yaml")
    os.symlink(real, top / "linked")
    os.symlink(top, real / "back")   # a loop: top/linked/back → top
    proc = run(top, "--format", "lines")
    assert proc.returncode == 1, proc.stderr
    assert "ipo.strategic.cap_ratio.lt100m" in proc.stdout
    assert proc.stdout.count("ipo.strategic.cap_ratio.lt100m") == 1   # the loop read it once
    assert f"读取 1 个文件（{top}: 1）" in proc.stderr


def test_upper_case_extensions_are_case_files_and_each_argument_is_counted(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(VIOLATOR, folder / "A.YAML")
    shutil.copy(VIOLATOR, folder / "b.YML")
    (folder / "notes.txt").write_text("not a case\n", encoding="utf-8")
    out = tmp_path / "r.json"
    proc = run(folder, VIOLATOR, "--format", f"json={out}")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(os.path.basename(c["file"]) for c in doc["cases"]) == ["A.YAML", "b.YML",
                                                                         VIOLATOR.name]
    assert doc["inputs"] == [{"path": str(folder), "kind": "folder", "files": 2},
                             {"path": str(VIOLATOR), "kind": "file", "files": 1}]
