"""The commands, wired from the CLI arguments to the checker and the reporters."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__, suggest
from .batch import run_batch
from .batch.progress import progress
from .boards import pack_files, rules_dir
from .catalogue_cache import cached_catalogue
from .catalogue_cache import key as catalogue_key
from .cli_text import text
from .digest import LISTED_UNDER, Digest
from .errors import EXIT_INPUT, EXIT_OK, RulePackError, UsageError
from .findings import CaseBrief
from .options import Options
from .policy import BASELINE, Policy, Tally, listed
from .report import audit
from .report.emit import emit
from .report.targets import parse as parse_targets
from .result_cache import ResultCache

if TYPE_CHECKING:
    from .check import Checker
    from .rulepack import Catalogue


def rules_hash(root: str) -> str:
    digest = hashlib.sha256()
    for file in pack_files(root):
        digest.update(os.path.relpath(file, root).encode())
        with open(file, "rb") as fh:
            digest.update(fh.read())
    return digest.hexdigest()


def _write(text: str, output: str | None) -> None:
    if not output:
        sys.stdout.write(text)
        return
    from .report import atomic
    atomic.write_text(output, text)


class CheckerFactory:
    """Builds the run's checker; pickled for a spawned worker without the catalogue, which that
    worker then loads again from `root`."""

    def __init__(self, root: str, options: Options, catalogue=None):
        self.root, self.options, self.catalogue = root, options, catalogue

    def __call__(self) -> Checker:
        from .check import Checker
        return Checker(self.loaded(), self.options)

    def loaded(self) -> Catalogue:
        """The catalogue, loaded when first needed (a re-run whose results all come from the cache
        needs none)."""
        if self.catalogue is None:
            self.catalogue = cached_catalogue(self.root)
        return self.catalogue

    def __getstate__(self) -> dict:
        return {**self.__dict__, "catalogue": None}


def _baseline(args):
    from .baseline import Baseline
    path = getattr(args, "baseline", None)
    if getattr(args, "fail_on_new", False) and not path:
        raise UsageError("--fail-on-new needs --baseline PREVIOUS.json (the run it compares with)")
    return Baseline.load(path) if path else None


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _refuse_overwrite(files: Sequence[str], targets: list[tuple[str, str]]) -> None:
    """A report may not go to a case being checked (by any name: a link, another path). Compared by
    file identity, one stat a case and only when a report goes to an existing file; no set of
    every case's path is kept, so a batch's memory stays flat."""
    outputs = {ident: dest for _, dest in targets if dest != "-" and (ident := _identity(dest))}
    for f in files if outputs else ():
        ident = _identity(f)
        if ident in outputs:
            raise UsageError(f"{outputs[ident]}: is a case file being checked; the report would overwrite it")


def run_check(args) -> int:
    from .cli import expand_paths
    root = args.rules or rules_dir()
    started = audit.report_time()   # a malformed SOURCE_DATE_EPOCH fails before any case is checked
    make_checker = CheckerFactory(root, Options(as_of=args.as_of, today=args.today,
                                                use_waivers=not args.no_waivers))
    selection = None
    if any(getattr(args, name, None) for name in ("rule", "severity", "board")):
        from . import select  # filters: a bad --rule pattern fails before checking
        selection = select.from_args(args, make_checker.loaded())
    files, unmatched, inputs = expand_paths(args.paths)
    targets = getattr(args, "targets", None) or parse_targets(args.format, args.output)
    _refuse_overwrite(files, targets)
    for path in unmatched:
        print(f"offering-check: {text('no_such_path', args.lang, path=path)}", file=sys.stderr)
    if not files and not unmatched:
        print(f"offering-check: {text('no_case_files', args.lang)}", file=sys.stderr)
        return EXIT_INPUT
    options = make_checker.options
    accept = getattr(args, "accept_uncovered", False)
    baseline = _baseline(args)
    policy = Policy(args.fail_on, accept, baseline, bool(getattr(args, "fail_on_new", False)))
    tally, waivers = Tally(args.fail_on, accept, policy), audit.WaiverLog()
    cache = None if getattr(args, "no_cache", False) else \
        ResultCache.open(root, args.as_of, options.today, options.use_waivers,
                         make_checker.catalogue.source_key if make_checker.catalogue else catalogue_key(root))
    filtering = selection is not None and selection.active
    lines_only = (cache is not None and baseline is None and not filtering
                  and args.fail_on in LISTED_UNDER and all(name == "lines" for name, _ in targets))
    try:
        with progress(len(files), args.lang) as advance:
            gather = _Gather(tally, advance, counting=not filtering)
            spool = run_batch(files, make_checker, jobs=args.jobs, on_result=gather, timeout=args.timeout,
                              cache=cache, listing=(args.lang, args.fail_on, accept) if lines_only else None)
    finally:
        if cache is not None:
            cache.close()
    if cache is not None and cache.hits:
        print(f"offering-check: {text('cache_hits', args.lang, hits=cache.hits, files=len(files))}",
              file=sys.stderr)
    with spool:   # results on disk, read as often as needed; the file goes when the run ends
        if not (lines_only and cache is not None and cache.hits == len(files)):
            make_checker.loaded()   # a result unpickles its rules' texts from the catalogue
        # filtered after checking: the engine saw every rule
        results, filters = selection.apply(spool) if selection else (spool, None)
        if filtering:                                # counted after filtering: one pass
            for result in results:
                tally.add(result)
                waivers.add(result)
        else:
            gather.log_waivers(waivers)
        code = tally.exit_code
        if unmatched:
            code = max(code, EXIT_INPUT)
        header = audit.header(version=__version__, rules_hash=rules_hash(root), as_of=args.as_of,
                              fail_on=args.fail_on, use_waivers=not args.no_waivers, exit_code=code,
                              today=options.today, filters=filters, waivers=waivers,
                              accept_uncovered=accept, inputs=inputs, started=started)
        if baseline is not None:
            header["baseline"] = {**baseline.compare(results, lambda f: listed(f, args.fail_on)),
                                  "new_only": policy.new_only}
            header[BASELINE] = baseline
        view = {"expand": getattr(args, "expand", False),
                "sarif_results": getattr(args, "sarif_results", "all")}
        emit(targets, results, header, tally.summary(), args.lang, view)
    return code


class _Gather:
    """Each case's brief as it arrives: the progress bar, and (without filters) the summary and
    exit code, so no pass over the spool is needed after the batch. The header lists waivers in
    input order, so what the few cases with any add to those lists is kept until the batch ends."""

    def __init__(self, tally: Tally, advance, counting: bool):
        self.tally, self.advance, self.counting = tally, advance, counting
        self.waiver_entries: dict[int, tuple[list[dict], list[dict], list[dict]]] = {}

    def __call__(self, index: int, arrived: CaseBrief | Digest) -> None:
        """A case's brief, or its cached digest (a lines-only re-run)."""
        self.advance(arrived)
        if not self.counting:
            return
        if isinstance(arrived, Digest):
            self.tally.add_digest(arrived)
            if arrived.logged:
                assert arrived.brief is not None   # read with the digest of a logged case
                self._keep(index, arrived.brief)
            return
        self.tally.add(arrived)
        if arrived.notices or any(f.waiver for f in arrived.findings):
            self._keep(index, arrived)

    def _keep(self, index: int, brief: CaseBrief) -> None:
        entries = audit.entries(brief)
        if any(entries):
            self.waiver_entries[index] = entries

    def log_waivers(self, log: audit.WaiverLog) -> None:
        for index in sorted(self.waiver_entries):
            log.add_entries(self.waiver_entries[index])


def rule_row(rule) -> dict:
    s = rule.spec
    return {"id": s.id, "topic": s.topic, "title": {"zh": s.title.zh, "en": s.title.en},
            "severity": s.severity, "confidence": s.confidence, "case": s.applies.case,
            "boards": sorted(s.applies.board_set) if s.applies.board_set else "all",
            "from": (s.applies.first.isoformat() if not isinstance(s.applies.from_, dict) else
                     {b: d.isoformat() for b, d in s.applies.from_.items()}),
            "until": s.applies.until.isoformat() if s.applies.until else None,
            "citation": s.cite.model_dump(), "for_each": s.for_each, "when": s.when,
            "require": s.require, "examples": [e.model_dump(exclude_none=True) for e in s.examples],
            "file": rule.file, "line": rule.position.line}


def run_rules(args) -> int:
    catalogue = cached_catalogue(args.rules)
    if args.lint:
        from .lint import coverage_gaps, lint
        problems = lint(catalogue)
        for p in problems:
            print(p, file=sys.stderr)
        gaps = coverage_gaps(catalogue)
        if gaps:
            print("coverage gaps (dates a board is covered but a topic has no rule in force; "
                  "cases then get `not_covered` for the topic):")
            for topic, board, start, end in gaps:
                print(f"  {topic:<40} {board:<10} {start} – {end or 'to date'}")
        ids = {r.id for r in catalogue.rules}
        print(f"{len(ids)} rules in {len(catalogue.rules)} versions, {len(problems)} problem(s), "
              f"{len(gaps)} coverage gap(s)")
        return EXIT_INPUT if problems else EXIT_OK
    rows = [rule_row(r) for r in catalogue.rules]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return EXIT_OK
    from .rules_list import write
    write(sys.stdout, sorted(rows, key=lambda r: r["id"]), args.lang)
    return EXIT_OK


def run_explain(args) -> int:
    """A rule id's (or a topic's) documentation, as docs/rules/ has it, in plain text."""
    from .docblocks import to_text
    from .ruledoc import ExampleRunner, Lang, rule_doc, topic_doc, topic_ids
    catalogue = cached_catalogue(args.rules)
    name, lang, runner = args.rule_id, Lang(args.lang), ExampleRunner(catalogue)
    if catalogue.versions(name):
        blocks = rule_doc(catalogue, name, lang, runner)
    elif topic_ids(catalogue, name):
        blocks = topic_doc(catalogue, name, lang, runner)
    elif name in catalogue.topics.planned:
        raise RulePackError(f"topic {name} has no rule yet: {catalogue.topics.planned[name]}")
    else:
        raise RulePackError(f"no rule or topic {name!r}{did_you_mean(catalogue, name)}")
    sys.stdout.write(to_text(blocks))
    return EXIT_OK


def did_you_mean(catalogue, name: str) -> str:
    topics = {r.spec.topic for r in catalogue.rules} | set(catalogue.topics.planned)
    found = suggest.near(name, set(catalogue.ids) | topics, n=5)
    return f"; did you mean: {', '.join(found)}" if found else ""


def run_docs(args) -> int:
    """docs/rules/*.md and docs/coverage.md from the packs (checker/docs.py)."""
    from . import docs
    return docs.run(args)


def run_compensate(args) -> int:
    """The year-by-year compensation schedule of one restructuring case (table or JSON)."""
    from rich.console import Console

    from .compensation import schedule
    from .derive.compensation import NotComputable, terms_of
    from .errors import InputError
    from .loading import load_file
    from .model.restructuring import RestructuringCase
    from .report import schedule as schedule_report
    from .validate import validate

    doc = load_file(args.case)
    case = validate(doc)
    if case.case_type != "restructuring":
        raise InputError(f"compensate takes a restructuring case; this file is case_type {case.case_type}",
                         doc.position(("case_type",)))
    assert isinstance(case, RestructuringCase)
    try:
        terms = terms_of(case)
    except NotComputable as exc:
        raise InputError(f"no schedule: {exc.reason['en']}", doc.position(("performance",))) from None
    result = schedule(terms)
    if args.format == "json":
        _write(schedule_report.to_json(result), args.output)
    else:
        wide = None if sys.stdout.isatty() else 200   # piped: do not squeeze the table to 80 columns
        schedule_report.render(result, args.lang, Console(soft_wrap=True, highlight=False, width=wide))
    return EXIT_OK


def run_new(args) -> int:
    """A commented case template (checker/scaffold.py), to stdout or a new --output file."""
    import datetime as dt

    from . import scaffold
    scaffold.refuse_existing(args.output)
    _write(scaffold.render(args.case_type, args.board, args.date or dt.date.today(),
                           scaffold.schema_path(args.case_type, args.output)), args.output)
    return EXIT_OK


def run_cache(args) -> int:
    """Where the caches are and what they hold; --clear removes them."""
    from . import result_cache
    if args.clear:
        print(text("cache_cleared", args.lang, n=result_cache.clear()))
        return EXIT_OK
    use = result_cache.usage()
    if use["folder"] is None:
        print(text("cache_off", args.lang))
        return EXIT_OK
    print(text("cache_usage", args.lang, folder=use["folder"], packs=use["packs"],
               mb=use["bytes"] / 2**20, catalogues=use["catalogues"]))
    return EXIT_OK


def run_schema(args) -> int:
    """The JSON Schema of one case type (checker/schema.py), to stdout or --output."""
    from .schema import render
    _write(render(args.case_type), args.output)
    return EXIT_OK
