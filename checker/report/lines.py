"""One line per actionable finding, `file:line:col: rule-id [tag] message`, for pre-commit and editors.

Which findings get a line (short output, every line something to act on, like ruff or yamllint):
- `violation`, whatever its severity: `[error]` or `[warning]` (a warning does not fail the
  default policy, but it is a figure in the file to look at, like a yamllint warning);
- `waived`, tagged `[error waived]`, with the waiver's reason, approver and expiry: a waived
  violation is still in the file, and the line shows who accepted it until when;
- `not_evaluated` only under `--fail-on not-evaluated`, where it fails the run (tagged
  `[error not-evaluated]`, naming the missing fields); otherwise it is counted in the summary
  line only (the console and JSON reports list it);
- coverage findings (`coverage.not_checked`: the case was not checked because its board or date
  is not covered; `coverage.rules_date`: the rules of a date far before the case's own were
  applied), at the line of the board or date that decides it, tagged `[not-checked]` or
  `[warning not-covered]`, plus ` accepted` under `--accept-uncovered`;
- `pending` and a topic's `not_covered` never: nothing in the case file can fix them (counted in the
  summary line).
Within a case the lines are in file order. Input and engine errors are
`file:line:col: input-error message` (each further error its own line); waiver notices (expired,
unused, unknown rule) are `file:line:col: waiver-expired rule-id (reason · approver · expiry)`.
Informative notices (an investor's ban window) are not listed. No markup, no colour, no wrapping;
paths exactly as the case was named on the command line. One summary line goes to stderr, in the
report language: what was read and counted, waivers off or filters on, the exit code and why.

A case with nothing to list is only counted: read from a batch's spool, it is not even unpickled
(its outline says so); in a batch of mostly clean cases that is most of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TextIO

from .. import policy, suggest
from ..digest import Listing
from ..errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_VIOLATIONS
from .audit import filters_text
from .common import STATUSES, WORDS, location, visible, where

_SPACE = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return visible(_SPACE.sub(" ", str(text)).strip())


def _finding_line(f, lang: str) -> str:
    w = WORDS[lang]
    if f.rule_id == "coverage.not_checked":
        tag = "not-checked"
    else:
        tag = f.severity if f.status == "violation" else f"{f.severity} {f.status.replace('_', '-')}"
    if policy.is_coverage(f) and not f.fails_run:
        tag += " accepted"
    text = f.message[lang]
    if f.subject:
        text = f"{f.subject}: {text}"
    if f.waiver:
        expires = f.waiver["expires"] or "—"
        text += (f" ({w['waived']}: {f.waiver['reason']} · {w['approver']} {f.waiver['approver']}"
                 f" · {w['expires']} {expires})")
    return f"{where(location(f))}: {f.rule_id} [{tag}] {_one_line(text)}"


def _error_lines(err: dict) -> list[str]:
    kind = err["kind"].replace("_", "-")
    out = [f"{where(err['location'])}: {kind} {_one_line(err['message'])}"]
    for more in err.get("more", []):
        out.extend(_error_lines({**more, "kind": err["kind"]}))
    return out


def _notice_line(n: dict, lang: str) -> str:
    w = WORDS[lang]
    extra = " · ".join(x for x in (n.get("reason"),
                                   f"{w['approver']} {n['approver']}" if n.get("approver") else "",
                                   f"{w['expires']} {n['expires']}" if n.get("expires") else "") if x)
    kind = n["kind"].replace("_", "-")
    return (f"{where(n['location'])}: {kind} {n['rule_id']}{suggest.hint(n.get('did_you_mean'), lang)}"
            + (f" ({_one_line(extra)})" if extra else ""))


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> str:
    """The lines, one case at a time; returns the summary line for stderr (counted on the way)."""
    results = policy.marked(results, header)
    counts = dict.fromkeys(STATUSES, 0)
    errors = dict.fromkeys(("input_error", *policy.INTERNAL), 0)
    cases = not_checked = failing = unknown = 0
    for outline, case in results.read_if(results.policy.may_list):
        cases += 1
        for status, n in zip(STATUSES, outline.counts, strict=True):
            counts[status] += n
        if case is None:
            continue
        shown = case if isinstance(case, Listing) else case_listing(case, lang)   # a Listing: cached
        if shown.error_kind:
            errors[shown.error_kind] = errors.get(shown.error_kind, 0) + 1
        not_checked += shown.not_checked
        failing += shown.failing
        unknown += shown.error_notices
        fh.write(shown.text)
    return summary_line(Tallied(cases, counts, errors, not_checked, failing, unknown), header, lang)


def case_listing(case, lang: str) -> Listing:
    """One case's lines (a case marked by the policy) and what the summary counts of it."""
    if case.error:
        return Listing("".join(line + "\n" for line in _error_lines(case.error)), case.error["kind"], 0, 0, 0)
    keyed = [((f.position.line, f.position.col, f.rule_id), _finding_line(f, lang))
             for f in case.findings if f.listed]
    keyed += [((n["location"]["line"], n["location"]["col"], n["rule_id"]), _notice_line(n, lang))
              for n in case.notices if n["kind"].startswith("waiver_")]
    text = "".join(line + "\n" for _, line in sorted(keyed))   # in file order, as an editor lists them
    return Listing(text, None, int(case.coverage == "not_checked"),
                   sum(bool(f.fails_run) for f in case.findings),
                   sum(n.get("level") == "error" for n in case.notices))


TEXT = {
    "zh": {"read": "读取 {n} 个文件{found}", "violations": "{n} 项违规", "waived": "{n} 项已豁免",
           "not_checked": "{n} 个未检查（板块或日期未覆盖；{how}）",
           "accepted": "已按 --accept-uncovered 接受", "fail": "计为失败；--accept-uncovered 可接受",
           "errors": "{n} 个文件有错误",
           "not_evaluated": "{n} 项无法评估（{listed}）", "listed": "已逐条列出",
           "not_listed": "未逐条列出；--fail-on not-evaluated 可列出",
           "pending": "{n} 项待发行结果（发行结果阶段的规则，计划阶段从不失败）",
           "no_waivers": "未适用豁免（--no-waivers）", "filters": "筛选：{text}",
           "exit": "退出码 {code}", "found": "（{}）", "sep": "，", "tail": "；", "why": "（{why}）",
           "and": "；",
           "fail_on": "{n} 项发现按 --fail-on {fail_on} 计为失败",
           "input_error": "{n} 个文件有输入错误", "engine_error": "{n} 个文件引擎出错",
           "internal_error": "{n} 个文件检查器内部出错", "unknown_rule": "{n} 项豁免所列规则不存在",
           "unmatched": "无此文件、文件夹或匹配的模式：{paths}"},
    "en": {"read": "{n} file(s) read{found}", "violations": "{n} violation(s)", "waived": "{n} waived",
           "not_checked": "{n} not checked (board or date not covered; {how})",
           "accepted": "accepted by --accept-uncovered",
           "fail": "they fail the run; --accept-uncovered accepts them",
           "errors": "{n} file(s) with errors",
           "not_evaluated": "{n} not evaluated ({listed})", "listed": "listed",
           "not_listed": "not listed; --fail-on not-evaluated lists them",
           "pending": "{n} pending (results-stage rules on plans; never fail)",
           "no_waivers": "waivers not applied (--no-waivers)", "filters": "filters: {text}",
           "exit": "exit code {code}", "found": " ({})", "sep": ", ", "tail": "; ", "why": " ({why})",
           "and": "; ",
           "fail_on": "{n} finding(s) fail the run under --fail-on {fail_on}",
           "input_error": "{n} file(s) with input errors", "engine_error": "{n} file(s) with engine errors",
           "internal_error": "{n} file(s) with internal errors",
           "unknown_rule": "{n} waiver(s) naming an unknown rule",
           "unmatched": "no such file, folder or matching pattern: {paths}"},
}


@dataclass
class Tallied:
    """What the lines report counted: files read, findings by status, errors by kind, cases not checked."""

    cases: int
    counts: dict[str, int]
    errors: dict[str, int]
    not_checked: int = 0
    failing: int = 0          # findings that fail the run, as the policy marked them
    error_notices: int = 0    # waivers naming an unknown rule


def summary_line(tally: Tallied, header: dict, lang: str = "zh") -> str:
    """One line for stderr: what was checked, what was listed, what was left out and why, and why the
    exit code is what it is."""
    t, counts = TEXT[lang], tally.counts
    fail_on, accept = policy.from_header(header)
    given = [i for i in header.get("inputs", []) if i.get("kind") != "file"]
    found = ", ".join(f"{visible(i['path'])}: {i['files']}" for i in given)
    found = t["found"].format(found) if found else ""
    parts = [t["read"].format(n=tally.cases, found=found), t["violations"].format(n=counts["violation"]),
             t["waived"].format(n=counts["waived"])]
    if tally.not_checked:
        parts.append(t["not_checked"].format(n=tally.not_checked, how=t["accepted" if accept else "fail"]))
    if sum(tally.errors.values()):
        parts.append(t["errors"].format(n=sum(tally.errors.values())))
    if counts["not_evaluated"]:
        listed = t["listed" if fail_on == "not-evaluated" else "not_listed"]
        parts.append(t["not_evaluated"].format(n=counts["not_evaluated"], listed=listed))
    if counts["pending"]:
        parts.append(t["pending"].format(n=counts["pending"]))
    if not header.get("waivers_applied", True):
        parts.append(t["no_waivers"])
    if header.get("filters"):
        parts.append(t["filters"].format(text=filters_text(header, lang)))
    code = header.get("exit_code", 0)
    why = _why(tally, header, code, t, fail_on)
    return ("offering-check: " if lang == "en" else "offering-check：") + t["sep"].join(parts) + t["tail"] \
        + t["exit"].format(code=code) + (t["why"].format(why=t["and"].join(why)) if why else "")


def _why(tally: Tallied, header: dict, code: int, t: dict, fail_on: str) -> list[str]:
    """What gave the exit code: the errors of its grade, or the findings that fail the policy."""
    if code == EXIT_INTERNAL:
        return [t[k].format(n=tally.errors[k]) for k in policy.INTERNAL if tally.errors.get(k)]
    if code == EXIT_INPUT:
        unmatched = [i["path"] for i in header.get("inputs", [])
                     if i.get("kind") == "pattern" and not i["files"]]
        counted = (("input_error", tally.errors.get("input_error", 0)), ("unknown_rule", tally.error_notices))
        return [t[key].format(n=n) for key, n in counted if n] + (
            [t["unmatched"].format(paths=", ".join(visible(p) for p in unmatched))] if unmatched else [])
    if code == EXIT_VIOLATIONS and tally.failing:
        return [t["fail_on"].format(n=tally.failing, fail_on=fail_on)]
    return []
