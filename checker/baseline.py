"""`--baseline PREVIOUS.json`: this run's findings against a previous run's JSON report.

A finding is matched by its case (the case id, else the file), its rule and its subject — never by
line, so an edit above a finding does not make it new. Only the findings a report lists are
compared (violations, waived ones, coverage findings, and what --fail-on lists): each is `new` or
`unchanged`. A previous finding is `fixed` only where this run could have found it again and did
not: the case was read without error, the rule was checked on it (and kept by the filters), and
no finding of that rule and subject remains — one now not evaluated is counted apart, never fixed
(absent means unknown).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .errors import UsageError

COMPARED = ("violation", "waived")
Key = tuple[str, str, str]


def _compared(f: dict) -> bool:
    """Listed in the previous report (a report older than the `listed` mark: by its status)."""
    listed = f.get("listed")
    return bool(listed) if listed is not None else f.get("status") in COMPARED


def case_key(case) -> str:
    return case.case_id or case.file


class Baseline:
    """The listed findings of a previous report, by key (held in memory: one entry a finding)."""

    def __init__(self, path: str, entries: dict[Key, dict], head: dict):
        self.path, self.entries, self.head = path, entries, head

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            with open(path, encoding="utf-8") as fh:
                doc = json.load(fh)
        except OSError as exc:
            raise UsageError(f"--baseline {path}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise UsageError(f"--baseline {path}: not JSON ({exc})") from exc
        if not (isinstance(doc, dict) and doc.get("schema_version") == 1
                and isinstance(doc.get("cases"), list)):
            raise UsageError(f"--baseline {path}: not a JSON report of offering-check (schema_version 1); "
                             f"write one with --format json=FILE")
        entries: dict[Key, dict] = {}
        for case in doc["cases"]:
            if not isinstance(case, dict):
                continue
            ident = case.get("case_id") or case.get("file") or ""
            for f in case.get("findings") or []:
                if isinstance(f, dict) and _compared(f):
                    key = (str(ident), str(f.get("rule_id")), str(f.get("subject") or ""))
                    entries[key] = {"case_id": ident, "file": case.get("file"), "rule_id": f.get("rule_id"),
                                    "title": f.get("title"), "subject": f.get("subject") or "",
                                    "status": f.get("status"), "message": f.get("message"),
                                    "location": f.get("location")}
        head = {k: doc.get(k) for k in ("run_date", "rules_hash")}
        return cls(path, entries, head)

    def change(self, case, finding) -> str:
        return "unchanged" if (case_key(case), finding.rule_id, finding.subject) in self.entries else "new"

    def compare(self, results: Iterable, listed) -> dict:
        """The header's record, in one pass over this run's results (`listed(f)`: the policy's)."""
        counts = {"new": 0, "unchanged": 0, "now_not_evaluated": 0}
        by_case: dict[str, list[Key]] = {}
        for key in self.entries:
            by_case.setdefault(key[0], []).append(key)
        found: set[Key] = set()
        fixed: set[Key] = set()
        for case in results:
            ident = case_key(case)
            checked = set(case.rules_checked) if not case.error else set()
            remaining: set[Key] = set()
            for f in case.findings:
                key = (ident, f.rule_id, f.subject)
                remaining.add(key)
                if listed(f):
                    found.add(key)
                    counts["unchanged" if key in self.entries else "new"] += 1
                elif key in self.entries and f.status == "not_evaluated":
                    counts["now_not_evaluated"] += 1
            fixed.update(k for k in by_case.get(ident, ()) if k not in remaining and k[1] in checked)
        compared = found | fixed
        return {"file": self.path, "previous": self.head, **counts, "fixed_count": len(fixed),
                "not_compared": sum(1 for key in self.entries if key not in compared),
                "fixed": [e for key, e in self.entries.items() if key in fixed]}
