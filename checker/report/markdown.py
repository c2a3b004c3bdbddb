"""Markdown for a review or a pull-request comment, at most `BUDGET` characters whatever the batch
(GitHub refuses a longer comment): the audit header (with the baseline's counts) and summary tables;
then every violation; the input and engine errors; the waived findings; the waiver list; the findings
fixed since the baseline; then the rest per case, folded in <details>. When the
budget would be exceeded the report is cut at a whole item (a row, a case) and ends with a line
saying how many findings and cases were left out and where the full report is. Case text is escaped
(Markdown specials, and <, >, & so that nothing renders as HTML)."""

from __future__ import annotations

import re
from typing import TextIO

from .audit import all_waiver_lines, rows
from .common import (
    CASE_STATUSES,
    CHANGE,
    STATUSES,
    WORDS,
    Tables,
    baseline_text,
    cite_text,
    coverage_text,
    dates_text,
    fixed_text,
    location,
    notice_text,
    visible,
    where,
)

BUDGET = 65_536   # characters, as GitHub counts a comment body (Python's len of the text)
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
MARK = {"violations": "✗", "not_checked": "✗", "not_evaluable": "…", "clean": "✓", "input_error": "⚠",
        "engine_error": "⚠", "internal_error": "⚠"}
TEXT = {
    "zh": {"violations_head": "违规及其他导致失败的发现", "errors_head": "输入与引擎错误",
           "waived_head": "已豁免的发现", "waivers_head": "豁免记录", "fixed_head": "与基线相比已修复",
           "rest_head": "其他发现（按案例折叠）",
           "cut": "**本报告已截断**（GitHub 评论上限 {budget} 字符）：另有 {findings} 项发现"
                  "（其中 {violations} 项违规）、{cases} 个案例{more}未在此列出。完整报告："
                  "`--format html=report.html` 或 `--format json=report.json`。",
           "cut_waivers": "、{n} 条豁免记录", "cut_fixed": "、{n} 项已修复的发现"},
    "en": {"violations_head": "Violations and other findings that fail the run",
           "errors_head": "Input and engine errors", "waived_head": "Waived findings",
           "waivers_head": "Waivers", "fixed_head": "Fixed since the baseline",
           "rest_head": "Other findings (folded per case)",
           "cut": "**This report is cut** (GitHub's comment limit is {budget} characters): {findings} more "
                  "finding(s) ({violations} violation(s)) in {cases} case(s){more} are not shown here. "
                  "The full report: `--format html=report.html` or `--format json=report.json`.",
           "cut_waivers": ", {n} waiver line(s)", "cut_fixed": ", {n} fixed finding(s)"},
}
SECTIONS = ("violations", "errors", "waived", "waivers", "fixed", "rest")


def esc(text) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return visible(re.sub(r"\r\n|\r|\n", "<br>", text))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], body: list[list[str]], align: str = "---") -> list[str]:
    out = [_row(head), "|" + "|".join(align for _ in head) + "|"]
    return out + [_row(row) for row in body] + [""]


def _finding_row(f, lang: str) -> list[str]:
    w = WORDS[lang]
    message = (f"{f.subject}: " if f.subject else "") + f.message[lang]
    if f.waiver:
        message += (f" ({w['waiver']}: {f.waiver['reason']} · {w['approver']} {f.waiver['approver']} · "
                    f"{w['expires']} {f.waiver['expires']})")
    status = w[f.status] + (f" {CHANGE[lang][f.change]}" if f.change else "")
    return [esc(status), esc(f.rule_id), esc(f.severity), esc(where(location(f))), esc(message),
            esc(f.expected[lang]), esc(f.actual[lang]), esc(cite_text(f.citation))]


def _head(lang: str) -> list[str]:
    w = WORDS[lang]
    return [w["status"], w["rule"], w["severity"], w["location"], w["message"], w["expected"], w["actual"],
            w["cite"]]


def _parts(case) -> tuple[list, list, bool, list]:
    """A case's share of each section, as the policy marked its findings: the violations and the other
    listed findings that fail the run (a case not checked), the waived ones, whether it has an error,
    the rest (folded)."""
    shown = [f for f in case.findings if f.listed]
    first = [f for f in shown if f.status == "violation" or (f.fails_run and f.status != "waived")]
    waived = [f for f in shown if f.status == "waived"]
    taken = {id(f) for f in first} | {id(f) for f in waived}
    rest = [f for f in case.findings if id(f) not in taken]
    return first, waived, bool(case.error), rest


def _case_title(case, lang: str) -> str:
    w = WORDS[lang]
    meta = " · ".join(x for x in (case.board or "", dates_text(case, lang), coverage_text(case, lang)) if x)
    return (f"{MARK[case.status]} {esc(case.case_id)} — {esc(w[case.status])} · {esc(case.file)}"
            + (f" · {esc(meta)}" if meta else ""))


def _error_lines(case, lang: str) -> list[str]:
    w, err = WORDS[lang], case.error
    out = [f"- {_case_title(case, lang)}",
           f"  - **{esc(w[err['kind']])}** {esc(where(err['location']))}: {esc(err['message'])}"]
    return out + [f"  - {esc(where(m['location']))}: {esc(m['message'])}" for m in err.get("more", [])]


def _rest_block(case, rest: list, lang: str) -> list[str]:
    w = WORDS[lang]
    label = ", ".join(f"{sum(f.status == s for f in rest)} {w[s]}" for s in STATUSES
                      if any(f.status == s for f in rest))
    out = ["<details>", f"<summary>{_case_title(case, lang)}" + (f": {esc(label)}" if label else "")
           + "</summary>", ""]
    if rest:   # folded: status, rule, location and message (expected, actual and source in the full report)
        out += _table([w["status"], w["rule"], w["location"], w["message"]],
                      [[r[0], r[1], r[3], r[4]] for r in (_finding_row(f, lang) for f in rest)])
    if case.notices:
        out += [f"- {esc(w['notices'])}: {esc(notice_text(n, lang))} ({esc(where(n['location']))})"
                for n in case.notices] + [""]
    return out + ["</details>", ""]


class _Section:
    """The items of one section, kept while they could still fit the budget, counted after."""

    def __init__(self):
        self.items: list[str] = []
        self.size = 0
        self.total = 0                           # items, kept or not

    def add(self, make) -> None:
        self.total += 1
        if self.size <= BUDGET:
            text = make()
            self.items.append(text)
            self.size += len(text)


def _join(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _top(header: dict, summary: dict, tables: Tables, lang: str) -> list[str]:
    """The audit header, the baseline's counts, the summary tables: bounded by the catalogue, not by
    the batch (the waiver list and the fixed findings, which grow with it, are sections)."""
    w = WORDS[lang]
    top = [f"# {esc(w['title'])}", ""]
    top += _table([esc(w["audit"]), esc(w["value"])], [[esc(k), esc(_cut(v))] for k, v in rows(header, lang)])
    if header.get("baseline"):
        top += [f"**{esc(baseline_text(header['baseline'], lang))}**", ""]
    top += [f"## {esc(w['summary'])}", ""]
    top += _table([w["cases"], *(w[s] for s in CASE_STATUSES), w["partly_checked"]],
                  [[str(summary["cases"]), *(str(summary.get(s, 0)) for s in CASE_STATUSES),
                    str(summary.get("partly_checked", 0))]], "---:")
    counts = tables.counts
    top += _table([w["findings"], *(w[s] for s in STATUSES)],
                  [[str(sum(counts.values())), *(str(counts[s]) for s in STATUSES)]], "---:")
    ranked = [(rule, c) for rule, c in tables.by_rule if c["violation"] or c["waived"]]
    if ranked:
        top += [f"## {esc(w['by_rule'])}", ""]
        top += _table([w["rule"], w["violation"], w["waived"]],
                      [[esc(rule), str(c["violation"]), str(c["waived"])] for rule, c in ranked])
    return top


def _cut(value: str, limit: int = 2_000) -> str:
    """An audit value bounded (a run may name many long paths; the JSON header keeps them all)."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _fixed(header: dict) -> list:
    return (header.get("baseline") or {}).get("fixed", [])


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """The tables in one pass, the sections in a second (each kept only up to the budget), and when
    the budget is exceeded a third pass that counts what was left out (counting only)."""
    t = TEXT[lang]
    tables = Tables(results)
    sections = {name: _Section() for name in SECTIONS}
    for case in results:
        violations, waived, error, rest = _parts(case)
        for f in violations:
            sections["violations"].add(lambda f=f: _row(_finding_row(f, lang)) + "\n")
        if error:
            sections["errors"].add(lambda case=case: _join(_error_lines(case, lang)))
        for f in waived:
            sections["waived"].add(lambda f=f: _row(_finding_row(f, lang)) + "\n")
        if rest or case.notices:
            sections["rest"].add(lambda case=case, rest=rest: _join(_rest_block(case, rest, lang)))
    for line in all_waiver_lines(header, lang):
        sections["waivers"].add(lambda line=line: f"- {esc(line)}\n")
    fixed_word = CHANGE[lang]["fixed"]
    for entry in _fixed(header):
        sections["fixed"].add(lambda entry=entry: f"- ✓ {esc(fixed_word)} {esc(fixed_text(entry, lang))}\n")

    head = _join(_top(header, summary, tables, lang))
    table_head = _join(_table(_head(lang), [])[:2])
    # the notice at its longest (no count can exceed the totals), reserved whenever anything is cut
    longest = "\n" + _cut_text(t, sum(tables.counts.values()), tables.counts["violation"], summary["cases"],
                               sections["waivers"].total, sections["fixed"].total) + "\n"
    parts = {n: (_opening(n, t, table_head), "" if n == "rest" else "\n")
             for n, s in sections.items() if s.total}
    whole = all(len(s.items) == s.total for s in sections.values())
    full = len(head) + sum(len(a) + len(b) + sections[n].size for n, (a, b) in parts.items())
    limit = BUDGET if whole and full <= BUDGET else BUDGET - len(longest)
    out, used, cut = [head], len(head), None
    for name, (opening, closing) in parts.items():
        s = sections[name]
        if used + len(opening) + len(closing) > limit:
            cut = (name, 0)
            break
        out.append(opening)
        used += len(opening) + len(closing)
        for k, text in enumerate(s.items):
            if used + len(text) > limit:
                cut = (name, k)
                break
            out.append(text)
            used += len(text)
        else:
            if len(s.items) < s.total:
                cut = (name, len(s.items))
        out.append(closing)
        if cut:
            break
    body = "".join(out)
    if cut:
        findings, left, cases = _left_out(results, cut)
        waivers, fixed = (_hidden(name, cut, sections[name].total) for name in ("waivers", "fixed"))
        body = body.rstrip("\n") + "\n\n" + _cut_text(t, findings, left, cases, waivers, fixed) + "\n"
    fh.write(body.rstrip("\n") + "\n")


def _cut_text(t: dict, findings: int, violations: int, cases: int, waivers: int, fixed: int) -> str:
    more = (t["cut_waivers"].format(n=waivers) if waivers else "") + (
        t["cut_fixed"].format(n=fixed) if fixed else "")
    return t["cut"].format(budget=f"{BUDGET:,}", findings=findings, violations=violations, cases=cases,
                           more=more)


def _opening(name: str, t: dict, table_head: str) -> str:
    text = f"## {esc(t[name + '_head'])}\n\n"
    return text + (table_head if name in ("violations", "waived") else "")


def _is_hidden(name: str, index: int, cut: tuple[str, int]) -> bool:
    """Whether item `index` of section `name` is left out when the report is cut at `cut`."""
    here, at = SECTIONS.index(name), SECTIONS.index(cut[0])
    return here > at or (here == at and index >= cut[1])


def _hidden(name: str, cut: tuple[str, int], total: int) -> int:
    """How many of the `total` items of section `name` are left out."""
    here, at = SECTIONS.index(name), SECTIONS.index(cut[0])
    return total if here > at else max(total - cut[1], 0) if here == at else 0


def _left_out(results, cut: tuple[str, int]) -> tuple[int, int, int]:
    """Findings, violations and cases not shown, from the cut on (section `cut[0]`, its items from
    `cut[1]`); counting only."""
    seen = dict.fromkeys(SECTIONS, 0)
    findings = violations_left = cases = 0
    for case in results:
        violations, waived, error, rest = _parts(case)
        items = {"violations": [[f] for f in violations], "errors": [[]] * error,
                 "waived": [[f] for f in waived], "rest": [rest] if rest or case.notices else []}
        hidden = False
        for name, shown in items.items():
            for shows in shown:
                if _is_hidden(name, seen[name], cut):
                    findings += len(shows)
                    violations_left += sum(f.status == "violation" for f in shows)
                    hidden = True
                seen[name] += 1
        cases += hidden
    return findings, violations_left, cases
