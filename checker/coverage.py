"""The coverage table of the rule catalogue, generated from the packs (docs/coverage.md).

One row per topic: the topics that have rules (how many rule ids and versions, their boards, the
dates each version is in force, severities and confidences, all counted from the rules) and the
planned topics of rules/_topics.yaml with the reason each has no rule yet. Notes the rules cannot
give come from the same file. Then the boards covered (rules/_boards.yaml) and the coverage gaps.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .boards import declared_groups
from .docblocks import escape
from .rulepack import CONFIDENCE_LEVELS

NOT_YET = "not yet"
_SEVERITY = ("error", "warning", "info")
_CONFIDENCE = CONFIDENCE_LEVELS


@dataclass(frozen=True)
class Row:
    topic: str
    status: str          # "4 rules, 5 versions", "1 rule" or "not yet"
    rules: int
    versions: int
    case: str            # the case type(s) its rules are for
    boards: str
    windows: str
    grades: str          # severity/confidence of the versions
    note: str


def status(rules: int, versions: int) -> str:
    text = f"{rules} rule{'s' if rules != 1 else ''}"
    return text if versions == rules else f"{text}, {versions} versions"


def rows(catalogue) -> list[Row]:
    """Every topic with rules and every planned one, sorted by topic."""
    by_topic: dict[str, list] = {}
    for rule in catalogue.rules:
        by_topic.setdefault(rule.spec.topic, []).append(rule)
    out = []
    for topic, rules in by_topic.items():
        ids = {r.id for r in rules}
        boards = [r.spec.applies.board_set for r in rules]
        board_text = "all" if any(b is None for b in boards) else ", ".join(sorted(set().union(*boards)))
        windows = sorted({(r.spec.applies.first, r.window) for r in rules})
        cases = ", ".join(sorted({r.spec.applies.case for r in rules}))
        note = catalogue.topics.notes.get(topic, "")
        out.append(Row(topic, status(len(ids), len(rules)), len(ids), len(rules), cases, board_text,
                       "; ".join(w for _, w in windows), grades(rules), note))
    for topic, reason in catalogue.topics.planned.items():
        out.append(Row(topic, NOT_YET, 0, 0, "—", "—", "—", "—", reason))
    return sorted(out, key=lambda r: r.topic)


def grades(rules) -> str:
    """'error/verified', or with counts when the versions differ: 'error/verified ×3, warning/memory ×2'."""
    counts = Counter((r.spec.severity, r.spec.confidence) for r in rules)
    order = sorted(counts, key=lambda k: (_SEVERITY.index(k[0]), _CONFIDENCE.index(k[1])))
    if len(order) == 1:
        return "/".join(order[0])
    return ", ".join(f"{s}/{c} ×{counts[(s, c)]}" for s, c in order)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(catalogue, links: dict[str, str] | None = None, gaps=None) -> str:
    """The coverage page. `links`: topic → where its rules are documented; `gaps`: as
    checker.lint.coverage_gaps gives them."""
    links = links or {}
    lines = ["## 专题 / Topics", "",
             "| topic | status | case | boards | versions in force | severity/confidence | note |",
             "|---|---|---|---|---|---|---|"]
    for row in rows(catalogue):
        topic = f"[`{row.topic}`]({links[row.topic]})" if row.topic in links else f"`{row.topic}`"
        lines.append(f"| {topic} | {row.status} | {row.case} | {row.boards} | {row.windows} | {row.grades} | "
                     f"{_cell(row.note) or '—'} |")
    lines += ["", "## 板块 / Boards", "",
              "| board | name | covered from | note |", "|---|---|---|---|"]
    for code, board in catalogue.boards.items():
        start = board.covered_from.isoformat() if board.covered_from else "not covered"
        name = f"{escape(board.name.get('zh', ''))} / {escape(board.name.get('en', ''))}"
        lines.append(f"| `{code}` | {name} | {start} | {escape(board.note)} |")
    groups = declared_groups()
    if groups:
        lines += ["", "Board groups, for `applies.boards` and `--board` / 板块组：", "",
                  "| group | name | boards |", "|---|---|---|"]
        lines += [f"| `{code}` | {escape(g.name.get('zh', ''))} / {escape(g.name.get('en', ''))} | "
                  f"{', '.join(f'`{b}`' for b in g.boards)} |" for code, g in groups.items()]
    absences = catalogue.topics.not_required
    if absences:
        lines += ["", "## 无此要求的期间 / Periods without the requirement", "",
                  "The requirement did not exist on these boards then (`not_required` in "
                  "rules/_topics.yaml): a case there gets no `not_covered` for the topic.", "",
                  "| topic | boards | from | until | why |", "|---|---|---|---|---|"]
        for topic, periods in sorted(absences.items()):
            for a in periods:
                lines.append(f"| `{topic}` | {', '.join(sorted(a.boards))} | "
                             f"{a.start.isoformat() if a.start else '—'} | "
                             f"{a.until.isoformat() if a.until else 'to date'} | {_cell(escape(a.why))} |")
    if gaps is not None:
        lines += ["", "## 缺口 / Gaps", "",
                  "Dates a covered board has, from its start, where a topic with rules for that board has no "
                  "version in force: a case there gets `not_covered` for the topic (`offering-check rules "
                  "--lint` lists the same).", ""]
        if gaps:
            lines += ["| topic | board | from | until |", "|---|---|---|---|"]
            lines += [f"| `{t}` | {b} | {start} | {end or 'to date'} |" for t, b, start, end in gaps]
        else:
            lines.append("None.")
    return "\n".join(lines) + "\n"
