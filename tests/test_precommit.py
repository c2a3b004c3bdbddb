"""The real `pre-commit` runs this repository's hook (.pre-commit-hooks.yaml) on a temporary repository.

The hook is taken from what `pre-commit try-repo` would try: this repository's HEAD plus its
uncommitted changes to tracked files, committed in a clone. pre-commit reads the manifest from that
clone as another repository would, and builds the hook's environment once (it pip-installs this
package: several seconds) in the module's PRE_COMMIT_HOME; every test then uses that environment.
`pre-commit run --files` passes a clean case and fails a violating one with its file:line:col, and
an installed hook blocks a commit of a violating case and lets a clean one through.
(`try-repo` itself cannot share it: each run builds the environment again in a store of its own.)
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DAPUWEI, ROOT, line_of

VIOLATOR = os.path.join(ROOT, "cases", "violations", "strategic-over-20pct.yaml")
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _env(home: Path) -> dict:
    # a clean git environment (no GIT_DIR/GIT_INDEX_FILE from an enclosing hook), a fixed identity
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PRE_COMMIT_HOME=str(home), GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


class Repo:
    def __init__(self, path: Path, home: Path):
        self.path, self.env = path, _env(home)
        self.config = ""                  # the .pre-commit-config.yaml naming the built hook
        self.run_config: Path | None = None   # the same, outside the repository (for `pre-commit run`)

    def run(self, *cmd, timeout=900) -> subprocess.CompletedProcess:
        return subprocess.run(list(cmd), cwd=self.path, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def git(self, *args) -> subprocess.CompletedProcess:
        proc = self.run("git", *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc


def hook_source(base: Path, env: dict) -> tuple[str, str]:
    """(path, rev) of this repository's HEAD plus its uncommitted changes to tracked files, committed
    on a branch of a clone (as `pre-commit try-repo` builds it)."""
    def git(*args, cwd, stdin=None) -> bytes:
        proc = subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, capture_output=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    source = base / "hook-source"
    head = git("rev-parse", "HEAD", cwd=ROOT).decode().strip()
    git("clone", "-q", ROOT, str(source), cwd=base)
    git("checkout", "-q", "-B", "hook-source", head, cwd=source)
    changes = git("diff", "--binary", "HEAD", cwd=ROOT)
    if changes:
        git("apply", "--index", "-", cwd=source, stdin=changes)
        git("commit", "-q", "-m", "uncommitted changes", cwd=source)
    return str(source), git("rev-parse", "HEAD", cwd=source).decode().strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    r = Repo(base / "repo", base / "pre-commit-home")
    (r.path / "cases" / "ipo").mkdir(parents=True)
    r.git("init", "-q")
    shutil.copy(DAPUWEI, r.path / "cases" / "ipo" / "clean.yaml")
    shutil.copy(VIOLATOR, r.path / "cases" / "ipo" / "violating.yaml")
    (r.path / "README.txt").write_text("not a case\n", encoding="utf-8")
    r.git("add", "README.txt")
    r.git("commit", "-q", "-m", "start")
    path, rev = hook_source(base, r.env)
    r.config = f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: offering-check\n"
    r.run_config = base / "run-config.yaml"
    r.run_config.write_text(r.config, encoding="utf-8")
    built = r.run(*PRE_COMMIT, "install-hooks", "--config", str(r.run_config))   # the one pip install
    assert built.returncode == 0, built.stdout + built.stderr
    return r


def _run_hook(repo: Repo, case: str) -> subprocess.CompletedProcess:
    repo.git("add", case)   # as in a commit, the case is staged
    return repo.run(*PRE_COMMIT, "run", "--config", str(repo.run_config), "offering-check", "--files", case)


def test_the_hook_passes_a_clean_case(repo):
    proc = _run_hook(repo, "cases/ipo/clean.yaml")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "offering-check" in out and "Passed" in out


def test_the_hook_fails_a_violating_case_with_file_line_col(repo):
    proc = _run_hook(repo, "cases/ipo/violating.yaml")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "Failed" in out and "exit code: 1" in out
    line = line_of(str(repo.path / "cases" / "ipo" / "violating.yaml"), "shares: 1308649")   # the total's first line
    expected = f"cases/ipo/violating.yaml:{line}:15: ipo.strategic.cap_ratio.lt100m [error] "
    assert expected in out, out
    assert "cases/ipo/clean.yaml" not in out


def test_installed_hook_blocks_a_violating_commit_and_passes_a_clean_one(repo):
    (repo.path / ".pre-commit-config.yaml").write_text(repo.config, encoding="utf-8")   # the built hook
    repo.git("reset", "-q")   # nothing staged from the other tests
    installed = repo.run(*PRE_COMMIT, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    repo.git("add", ".pre-commit-config.yaml")
    repo.git("commit", "-q", "-m", "hook config")   # no case staged: the hook has nothing to check

    repo.git("add", "cases/ipo/violating.yaml")
    blocked = repo.run("git", "commit", "-m", "violating case")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "cases/ipo/violating.yaml:" in out and "ipo.strategic.cap_ratio.lt100m" in out
    assert repo.run("git", "log", "--format=%s").stdout.split("\n")[0] == "hook config"

    repo.git("reset", "-q")
    repo.git("add", "cases/ipo/clean.yaml")
    passed = repo.run("git", "commit", "-m", "clean case")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert repo.run("git", "log", "--format=%s").stdout.split("\n")[0] == "clean case"
    tracked = repo.git("ls-files").stdout.split()
    assert "cases/ipo/clean.yaml" in tracked and "cases/ipo/violating.yaml" not in tracked
