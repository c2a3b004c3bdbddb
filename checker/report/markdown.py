"""Markdown for a review or a pull-request comment: audit header, summary tables, violations
per case; findings not evaluated or not covered folded in <details>. Case text is escaped
(Markdown specials, and <, >, & so that nothing renders as HTML)."""

from __future__ import annotations

import re
from typing import TextIO

from .audit import all_waiver_lines, rows
from .common import (
    CASE_STATUSES,
    STATUSES,
    WORDS,
    Tables,
    cite_text,
    coverage_text,
    dates_text,
    location,
    notice_text,
    visible,
    where,
)

_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
MARK = {"violations": "✗", "not_checked": "✗", "not_evaluable": "…", "clean": "✓", "input_error": "⚠",
        "engine_error": "⚠", "internal_error": "⚠"}


def esc(text) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return visible(re.sub(r"\r\n|\r|\n", "<br>", text))


def _table(head: list[str], body: list[list[str]], align: str = "---") -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(align for _ in head) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in body]
    return out + [""]


def _finding_row(f, lang: str) -> list[str]:
    w = WORDS[lang]
    message = (f"{f.subject}: " if f.subject else "") + f.message[lang]
    if f.waiver:
        message += (f" ({w['waiver']}: {f.waiver['reason']} · {w['approver']} {f.waiver['approver']} · "
                    f"{w['expires']} {f.waiver['expires']})")
    return [esc(w[f.status]), esc(f.rule_id), esc(f.severity), esc(where(location(f))), esc(message),
            esc(f.expected[lang]), esc(f.actual[lang]), esc(cite_text(f.citation))]


class _Lines:
    """Lines written as they come; blank lines are held back, so the file ends with one newline."""

    def __init__(self, fh: TextIO):
        self.fh, self.blank = fh, 0

    def __iadd__(self, lines: list[str]):
        for line in lines:
            self.append(line)
        return self

    def append(self, line: str) -> None:
        if not line:
            self.blank += 1
            return
        self.fh.write("\n" * self.blank + line + "\n")
        self.blank = 0


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """Two passes over the results: the tables, then the cases (streamed, none held)."""
    w = WORDS[lang]
    tables = Tables(results)
    out = _Lines(fh)
    out += [f"# {esc(w['title'])}", ""]
    out += _table([esc(w["audit"]), esc(w["value"])], [[esc(k), esc(v)] for k, v in rows(header, lang)])
    lines = all_waiver_lines(header, lang)
    if lines:
        out += [f"- {esc(x)}" for x in lines] + [""]

    out += [f"## {esc(w['summary'])}", ""]
    out += _table([w["cases"], *(w[s] for s in CASE_STATUSES), w["partly_checked"]],
                  [[str(summary["cases"]), *(str(summary.get(s, 0)) for s in CASE_STATUSES),
                    str(summary.get("partly_checked", 0))]], "---:")
    counts = tables.counts
    out += _table([w["findings"], *(w[s] for s in STATUSES)],
                  [[str(sum(counts.values())), *(str(counts[s]) for s in STATUSES)]], "---:")
    ranked = [(rule, c) for rule, c in tables.by_rule if c["violation"] or c["waived"]]
    if ranked:
        out += [f"## {esc(w['by_rule'])}", ""]
        out += _table([w["rule"], w["violation"], w["waived"]],
                      [[esc(rule), str(c["violation"]), str(c["waived"])] for rule, c in ranked])

    out += [f"## {esc(w['details'])}", ""]
    head = [w["status"], w["rule"], w["severity"], w["location"], w["message"], w["expected"], w["actual"],
            w["cite"]]
    for case in results:
        meta = " · ".join(x for x in (case.board or "", dates_text(case, lang), coverage_text(case, lang))
                          if x)
        out += [f"### {MARK[case.status]} {esc(case.case_id)} — {esc(w[case.status])}", "",
                f"{esc(case.file)}" + (f" · {esc(meta)}" if meta else ""), ""]
        if case.error:
            err = case.error
            out += [f"- **{esc(w[err['kind']])}** {esc(where(err['location']))}: {esc(err['message'])}"]
            out += [f"- {esc(where(m['location']))}: {esc(m['message'])}" for m in err.get("more", [])]
            out.append("")
            continue
        shown = [f for f in case.findings if f.listed]   # as the policy marked them; the rest folded
        folded = [f for f in case.findings if f not in shown]
        if shown:
            out += _table(head, [_finding_row(f, lang) for f in shown])
        else:
            out += [esc(w["no_findings"]), ""]
        if folded:
            label = ", ".join(f"{sum(f.status == s for f in folded)} {w[s]}" for s in STATUSES
                              if any(f.status == s for f in folded))
            out += ["<details>", f"<summary>{esc(label)}</summary>", ""]
            out += _table(head, [_finding_row(f, lang) for f in folded])
            out += ["</details>", ""]
        if case.notices:
            out += [f"- {esc(w['notices'])}: {esc(notice_text(n, lang))} ({esc(where(n['location']))})"
                    for n in case.notices] + [""]
