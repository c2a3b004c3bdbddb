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
paths exactly as the case was named on the command line. One summary line goes to stderr.

A case with nothing to list is only counted: read from a batch's spool, it is not even unpickled
(its outline says so); in a batch of mostly clean cases that is most of them.
"""

from __future__ import annotations

import re
from typing import TextIO

from .. import policy
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
    return f"{where(n['location'])}: {kind} {n['rule_id']}" + (f" ({_one_line(extra)})" if extra else "")


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> str:
    """The lines, one case at a time; returns the summary line for stderr (counted on the way)."""
    results = policy.marked(results, header)
    counts = dict.fromkeys(STATUSES, 0)
    cases = errors = not_checked = 0
    for outline, case in results.read_if(results.policy.may_list):
        cases += 1
        for status, n in zip(STATUSES, outline.counts, strict=True):
            counts[status] += n
        if case is None:
            continue
        if case.error:
            errors += 1
            fh.writelines(line + "\n" for line in _error_lines(case.error))
            continue
        not_checked += case.coverage == "not_checked"
        keyed = [((f.position.line, f.position.col, f.rule_id), _finding_line(f, lang))
                 for f in case.findings if f.listed]
        keyed += [((n["location"]["line"], n["location"]["col"], n["rule_id"]), _notice_line(n, lang))
                  for n in case.notices if n["kind"].startswith("waiver_")]
        fh.writelines(line + "\n" for _, line in sorted(keyed))   # in file order, as an editor lists them
    return summary_line(cases, counts, errors, header, not_checked)


def summary_line(cases: int, counts: dict[str, int], errors: int, header: dict, not_checked: int = 0) -> str:
    """One line for stderr: what was checked, what was listed, what was left out and why."""
    fail_on, accept = policy.from_header(header)
    given = [i for i in header.get("inputs", []) if i.get("kind") != "file"]
    found = " (" + ", ".join(f"{visible(i['path'])}: {i['files']}" for i in given) + ")" if given else ""
    parts = [f"{cases} file(s) read{found}", f"{counts['violation']} violation(s)",
             f"{counts['waived']} waived"]
    if not_checked:
        how = ("accepted by --accept-uncovered" if accept else
               "they fail the run; --accept-uncovered accepts them")
        parts.append(f"{not_checked} not checked (board or date not covered; {how})")
    if errors:
        parts.append(f"{errors} file(s) with errors")
    if counts["not_evaluated"]:
        listed = "listed" if fail_on == "not-evaluated" else "not listed; --fail-on not-evaluated lists them"
        parts.append(f"{counts['not_evaluated']} not evaluated ({listed})")
    if counts["pending"]:
        parts.append(f"{counts['pending']} pending (results-stage rules on plans; never fail)")
    return "offering-check: " + ", ".join(parts) + f"; exit code {header.get('exit_code', 0)}"
