"""The report formats, one entry each; every reporter module has the same entry point:

    write(fh, results, header, summary, lang) -> str | None

(`fh` a text file, `results` iterable as often as needed, the return value a line for stderr or
None). A new format is one entry here plus its module in checker/report/.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    module: str          # in checker.report; imported when first asked for (a one-file run loads one)
    help: str            # for --help

    def writer(self):
        return importlib.import_module(f"checker.report.{self.module}").write


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("console", "console", "the terminal report, in colour on a terminal"),
    Format("lines", "lines", "file:line:col: rule-id message, one finding a line"),
    Format("json", "json_report", "the full result model"),
    Format("sarif", "sarif", "SARIF 2.1.0 for code-scanning tools"),
    Format("junit", "junit", "JUnit XML for CI test views"),
    Format("markdown", "markdown", "a Markdown summary for pull-request comments"),
    Format("html", "html", "one self-contained HTML page"),
)}


def listing() -> str:
    """`console: …; lines: …; …` for help texts."""
    return "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values())
