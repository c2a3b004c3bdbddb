"""A checked case in the few facts a re-run with an unchanged result needs for its summary, its
exit code and its lines report, under every policy that has no baseline: kept beside the result
in the result cache, so a warm re-run reads neither the result nor its findings.

The lines are rendered by the lines report itself (`lines.case_listing`), once for each language and
each `--accept-uncovered`; `--fail-on error` and `warning` list the same findings. The findings
that fail the run are counted for every `--fail-on` and `--accept-uncovered`. A run with a
baseline, filters, another format or `--fail-on not-evaluated` reads the full results instead.
"""

from __future__ import annotations

import marshal
from typing import NamedTuple

from .findings import CaseBrief, CaseResult, Outline

LANGS = ("zh", "en")
FAIL_ONS = ("error", "warning", "not-evaluated")
LISTED_UNDER = ("error", "warning")   # the --fail-on values whose lines a digest keeps
ACCEPTS = (False, True)


class Listing(NamedTuple):
    """What the lines report writes and counts for one case, under one policy and language."""

    text: str
    error_kind: str | None
    not_checked: int
    failing: int
    error_notices: int


class Digest(NamedTuple):
    """Flat, so that reading ten thousand of them is cheap: the lines report's part of the case is
    built from its texts and counts only when asked for (`listing`)."""

    status: str
    error: str | None              # the error's kind (the progress bar reads it as a flag)
    board_key: str                 # the summary's board row: board, else case type, else "-"
    partly_checked: bool
    violations: tuple[str, ...]    # the rule id of each violation
    pending: int
    outline: Outline
    failing: tuple[int, ...]       # findings failing the run, for each of POLICIES
    error_notices: int             # notices of level error (a waiver naming an unknown rule)
    logged: bool                   # adds to the header's waiver lists (audit.entries)
    texts: tuple[str, ...]         # its lines for each of SHOWN; () when the lines report skips it
    not_checked: bool              # its board or date is not covered
    brief: CaseBrief | None = None  # set on reading, for a case that is `logged`

    def listing(self, lang: str, fail_on: str, accept: bool) -> Listing | None:
        """The case as the lines report shows it; None when the report does not read it (nothing
        listed: only its outline is counted)."""
        if fail_on not in LISTED_UNDER:
            raise ValueError(f"no lines kept for --fail-on {fail_on}")
        if not self.texts:
            return None
        text = self.texts[SHOWN.index((lang, accept))]
        if self.error:   # the lines report counts nothing else of a case it could not check
            return Listing(text, self.error, 0, 0, 0)
        failing = self.failing[POLICIES.index((fail_on, accept))]
        return Listing(text, None, int(self.not_checked), failing, self.error_notices)


POLICIES = tuple((fail_on, accept) for fail_on in FAIL_ONS for accept in ACCEPTS)
SHOWN = tuple((lang, accept) for accept in ACCEPTS for lang in LANGS)


def encode(digest: Digest) -> bytes:
    """The digest as the result cache stores it: its counts as plain tuples (marshal: only str, int,
    bool, None and tuples), then its texts as UTF-8, so that a reader decodes only the text it
    shows (`decode`). No brief."""
    texts = [text.encode() for text in digest.texts]
    head = marshal.dumps((*digest[:6], tuple(digest.outline), *digest[7:10], digest.not_checked,
                          tuple(map(len, texts))))
    return len(head).to_bytes(4, "little") + head + b"".join(texts)


def decode(data: bytes, shown: tuple[str, bool] | None = None) -> Digest:
    """The digest `encode` stored; with `shown` (a (lang, accept) of SHOWN) only that text is
    decoded and the others are left empty. Raises ValueError on a record that does not add up."""
    start = 4 + int.from_bytes(data[:4], "little")
    head = marshal.loads(data[4:start])
    if not (isinstance(head, tuple) and len(head) == 12 and isinstance(head[6], tuple)
            and isinstance(head[11], tuple)):
        raise ValueError("not a digest")
    status, error, board_key, partly_checked, violations, pending, outline, failing, error_notices, logged, \
        not_checked, lengths = head
    if start + sum(lengths) != len(data):
        raise ValueError("a digest whose texts do not add up")
    texts = []
    wanted = SHOWN.index(shown) if shown is not None else None
    for i, length in enumerate(lengths):
        texts.append(data[start:start + length].decode() if wanted in (None, i) else "")
        start += length
    return Digest(status, error, board_key, partly_checked, violations, pending, Outline._make(outline),
                  failing, error_notices, logged, tuple(texts), not_checked)


def of(result: CaseResult) -> Digest:
    """The digest of a result (its findings are marked in place on the way: pickle it first)."""
    from .policy import Policy, fails
    from .report.audit import entries
    from .report.lines import case_listing
    outline = Outline.of(result)
    texts: tuple[str, ...] = ()
    if Policy(LISTED_UNDER[0]).may_list(outline):   # the same cases under either: a test keeps it so
        shown: dict[tuple[str, bool], str] = {}
        for accept in ACCEPTS:   # --fail-on error and warning list the same lines: only the counts differ
            marked = Policy(LISTED_UNDER[0], accept).mark(result)
            shown.update({(lang, accept): case_listing(marked, lang).text for lang in LANGS})
        texts = tuple(shown[key] for key in SHOWN)
    return Digest(
        status=result.status, error=result.error["kind"] if result.error else None,
        board_key=result.board or result.case_type or "-",
        partly_checked=result.coverage == "partly_checked",
        violations=tuple(f.rule_id for f in result.findings if f.status == "violation"),
        pending=sum(f.status == "pending" for f in result.findings), outline=outline,
        failing=tuple(sum(fails(f, fail_on, accept) for f in result.findings)
                      for fail_on, accept in POLICIES),
        error_notices=sum(n.get("level") == "error" for n in result.notices),
        logged=any(entries(result)), texts=texts,
        not_checked=result.coverage == "not_checked")
