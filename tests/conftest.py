import os
import shutil
import tempfile
from pathlib import Path

import pytest

from checker.check import Checker
from checker.rulepack import load_catalogue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "rules")
DAPUWEI = os.path.join(ROOT, "cases", "ipo", "dapuwei-2026.yaml")


def pytest_configure(config):
    # the compiled-catalogue cache of this run (and of the CLIs it starts) stays out of ~/.cache
    config._catalogue_cache = tempfile.mkdtemp(prefix="offering-check-cache-")
    os.environ["OFFERING_CHECK_CACHE"] = config._catalogue_cache


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_catalogue_cache", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue(RULES)


@pytest.fixture(scope="session")
def checker(catalogue):
    return Checker(catalogue)


def edited(tmp_path, old: str, new: str, source: str = DAPUWEI, name: str = "case.yaml") -> str:
    """A copy of a real case with one piece of text replaced; returns its path."""
    text = Path(source).read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def line_of(path: str, needle: str) -> int:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="session")
def report_run(tmp_path_factory):
    """One batch over the bundled cases (plus a hostile, a waived and a broken case) in every format."""
    from .reports import run_all
    return run_all(tmp_path_factory.mktemp("reports"))
