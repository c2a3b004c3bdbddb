"""Golden reports: one small fixed batch checked in every format, compared byte for byte.

The batch (BATCH) is a violation, a clean real offering, a waived violation, an investor case, a
restructuring case that is only partly checked, a plan on a board that ceased (not checked) and a file that
cannot be read. `generate` checks it with the CLI, as a user would, once per language, writing every
format (checker/report/targets.py: FORMATS) into a folder; tests/test_golden.py compares each file
with the one kept here under zh/ and en/ (the JSON report has both languages and is kept once).

Regenerate every golden file after an intended change, then review it as a diff:

    python -m tests.golden --update
    git diff tests/golden

`python -m tests.golden` without --update only says which files differ.

The reports are made deterministic at the source rather than patched afterwards: the run date
comes from SOURCE_DATE_EPOCH, waivers are judged on --today, paths are relative to the repository
root, the console report to a file has no colour and a fixed width (200 columns), one worker
process, and the environment variables rich reads (UNSET) are removed. The hash seed and the locale
are left as they are: a report that changed with them would be a bug this test should show. One field is replaced after the
run, in `normalise`: the rules hash, a SHA-256 of rules/ that changes with every edit to any pack
(a note, an example) and says nothing a reviewer could read; the test checks it is the true hash
of rules/ before it is replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

BATCH = [
    "cases/violations/strategic-over-20pct.yaml",      # violations
    "cases/ipo/dapuwei-2026.yaml",                     # a clean real offering
    "cases/waived/ma-controller-lockup-waived.yaml",   # a waived violation (restructuring)
    "cases/investor/ban-violated.yaml",                # an investor case: a violation and a notice
    "cases/restructuring/xingyuan-shuimei.yaml",       # restructuring, partly checked
    "tests/data/sme-after-merger.yaml",                # a board that ceased: not checked
    "tests/data/malformed-case.yaml",                  # an input error
]
DAY = "2026-05-01"                 # the run date and the day waivers are judged on
EPOCH = "1777593600"               # DAY 00:00 UTC, as SOURCE_DATE_EPOCH
FILES = {"console": "report.txt", "lines": "report.lines", "json": "report.json", "sarif": "report.sarif",
         "junit": "report.xml", "markdown": "report.md", "html": "report.html"}
LANGS = ("zh", "en")
# read by rich or Python when rendering: none may reach the run
UNSET = ("FORCE_COLOR", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "COLORTERM", "COLUMNS", "LINES",
         "JUPYTER_COLUMNS", "JUPYTER_LINES", "TTY_COMPACT", "TTY_INTERACTIVE", "PYTHONIOENCODING")
HASH_PLACEHOLDER = "<rules-hash: SHA-256 of rules/, see tests/golden/__init__.py>"


def golden_files() -> list[str]:
    """Every golden file, relative to tests/golden: lang/report.ext (the JSON report under zh/ only)."""
    return [f"{lang}/{file}" for lang in LANGS for name, file in FILES.items()
            if not (name == "json" and lang != LANGS[0])]


def environment() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(SOURCE_DATE_EPOCH=EPOCH, OFFERING_CHECK_CACHE="off")
    return env


def run(folder: Path, lang: str) -> subprocess.CompletedProcess:
    """Check the batch from the repository root, every format into folder/lang/."""
    out = folder / lang
    out.mkdir(parents=True, exist_ok=True)
    spec = ",".join(f"{name}={out / file}" for name, file in FILES.items())
    return subprocess.run([sys.executable, "-m", "checker", "check", *BATCH, "--format", spec,
                           "--lang", lang, "--today", DAY, "--jobs", "1"],
                          cwd=ROOT, env=environment(), capture_output=True, timeout=600)


def normalise(data: bytes, rules_hash: str) -> bytes:
    """The one field not kept as written: the rules hash (every occurrence), as HASH_PLACEHOLDER."""
    return data.replace(rules_hash.encode(), HASH_PLACEHOLDER.encode())


def generate(folder: Path) -> dict:
    """{relative path: normalised bytes} of every golden file, the runs' exit codes and the rules hash
    the reports carried."""
    codes, out = {}, {}
    for lang in LANGS:
        codes[lang] = run(folder, lang).returncode
    carried = json.loads((folder / LANGS[0] / FILES["json"]).read_text(encoding="utf-8"))["rules_hash"]
    for rel in golden_files():
        out[rel] = normalise((folder / rel).read_bytes(), carried)
    return {"files": out, "codes": codes, "rules_hash": carried}
