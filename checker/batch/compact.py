"""Results from workers arrive as fresh copies of the same strings and dicts: every finding of a
rule carries its own title and citation, every case its own list of the ~70 rule ids in force.
The parent keeps one copy of each (read-only from here on: reporters never change them), which
halves the memory a batch holds (59 → 26 KB a case, measured over 500 generated cases)."""

from __future__ import annotations

from ..findings import CaseResult


class Compactor:
    def __init__(self):
        self._strings: dict[str, str] = {}
        self._shared: dict[tuple, object] = {}

    def _s(self, text):
        return self._strings.setdefault(text, text) if isinstance(text, str) else text

    def _one(self, key: tuple, value):
        return self._shared.setdefault(key, value)

    def __call__(self, result: CaseResult) -> CaseResult:
        s, one = self._s, self._one
        result.file = s(result.file)
        result.rules_checked = one(("rules", *result.rules_checked), [s(x) for x in result.rules_checked])
        for f in result.findings:
            for name in ("case_id", "rule_id", "topic", "severity", "confidence", "status", "version",
                         "subject"):
                setattr(f, name, s(getattr(f, name)))
            f.title = one(("title", f.rule_id, *f.title.items()), f.title)
            f.citation = one(("cite", f.rule_id, repr(f.citation)), f.citation)
            if f.status in ("not_evaluated", "not_covered"):
                f.expected = one(("expected", *f.expected.items()), f.expected)
                f.actual = one(("actual", *f.actual.items()), f.actual)
        return result
