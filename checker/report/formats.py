"""The report formats, one entry each; every reporter module has the same entry point:

    write(fh, results, header, summary, lang, **view) -> str | None

(`fh` a text file, `results` iterable as often as needed, the return value a line for stderr or
None; `view` the presentation options the entry names, such as the console's `expand`). A new
format is one entry here plus its module in checker/report/.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    module: str          # in checker.report; imported when first asked for (a one-file run loads one)
    help: tuple[str, str]   # for --help: Chinese, English
    options: tuple[str, ...] = ()   # the view options (keywords of `write`) this format takes

    def writer(self):
        return importlib.import_module(f"checker.report.{self.module}").write


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("console", "console", ("终端报告，在终端上带颜色", "the terminal report, in colour on a terminal"),
           ("expand",)),
    Format("lines", "lines", ("每条发现一行：file:line:col: rule-id 说明",
                              "file:line:col: rule-id message, one finding a line")),
    Format("json", "json_report", ("完整结果模型", "the full result model")),
    Format("sarif", "sarif", ("SARIF 2.1.0，供代码扫描工具", "SARIF 2.1.0 for code-scanning tools"),
           ("sarif_results",)),
    Format("junit", "junit", ("JUnit XML，供 CI 测试视图", "JUnit XML for CI test views")),
    Format("markdown", "markdown", ("Markdown 摘要，供拉取请求评论",
                                    "a Markdown summary for pull-request comments")),
    Format("html", "html", ("单个自包含的 HTML 页面", "one self-contained HTML page")),
)}


def listing(lang: str = "en") -> str:
    """`console: …; lines: …; …` for help texts."""
    zh = lang == "zh"
    return ("；" if zh else "; ").join(f"{f.name}{'：' if zh else ': '}{f.help[0 if zh else 1]}"
                                      for f in FORMATS.values())
