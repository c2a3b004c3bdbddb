"""A cached case's digest stands in for its result on a lines-only re-run: for every bundled case
(and a not-checked one), under every policy the digest keeps, its listing is what the lines report
makes of the result, and the tally it adds is the tally the result adds."""

import copy
import glob
import os
import pickle

import pytest

from checker import digest
from checker.batch.spool import ResultSpool
from checker.findings import Outline
from checker.policy import Policy, Tally
from checker.report.lines import case_listing

from .conftest import ROOT

CASES = sorted(glob.glob(os.path.join(ROOT, "cases", "**", "*.yaml"), recursive=True)) + [
    os.path.join(ROOT, "tests", "data", name) for name in ("sme-after-merger.yaml", "malformed-case.yaml")]


@pytest.fixture(scope="module")
def results(checker):
    return [checker.check_file(path) for path in CASES]


def test_the_listing_is_the_lines_reports_own_under_every_kept_policy(results):
    shown = 0
    for result in results:
        d = digest.of(copy.deepcopy(result))
        stored = digest.encode(d)
        assert digest.decode(stored) == d   # as the cache stores it (without the brief)
        may_list = Policy("error").may_list(Outline.of(result))
        for fail_on in digest.LISTED_UNDER:
            assert Policy(fail_on).may_list(Outline.of(result)) == may_list   # the digest relies on it
            for accept in digest.ACCEPTS:
                marked = Policy(fail_on, accept).mark(copy.deepcopy(result))
                for lang in digest.LANGS:
                    expected = case_listing(marked, lang) if may_list else None
                    assert d.listing(lang, fail_on, accept) == expected, (result.file, lang, fail_on, accept)
                    only = digest.decode(stored, (lang, accept))   # a lines-only re-run decodes one text
                    assert only.listing(lang, fail_on, accept) == expected
                    shown += bool(expected and expected.text)
    assert shown > 100
    with pytest.raises(ValueError, match="not-evaluated"):
        digest.of(results[0]).listing("zh", "not-evaluated", False)


@pytest.mark.parametrize("fail_on", digest.FAIL_ONS)
@pytest.mark.parametrize("accept", digest.ACCEPTS)
def test_a_digest_adds_to_the_tally_what_its_result_adds(results, fail_on, accept):
    from_results, from_digests = Tally(fail_on, accept), Tally(fail_on, accept)
    for result in results:
        from_results.add(result.brief())
        from_digests.add_digest(digest.decode(digest.encode(digest.of(copy.deepcopy(result))), ("en", accept)))
    assert from_digests.summary() == from_results.summary()
    assert from_digests.exit_code == from_results.exit_code
    assert from_results.counts["not_checked"] and from_results.counts["input_error"]


def test_a_stored_digest_that_does_not_add_up_is_refused(results):
    stored = digest.encode(digest.of(copy.deepcopy(next(r for r in results if r.status == "violations"))))
    for bad in (stored[:-1], stored + b"x", pickle.dumps(("not", "a", "digest"))[:4] + stored[4:],
                (3).to_bytes(4, "little") + pickle.dumps((1, 2, 3))):
        with pytest.raises((ValueError, pickle.UnpicklingError, EOFError)):
            digest.decode(bad)


def test_a_spooled_listing_is_read_as_such_and_never_as_a_result(results):
    result = next(r for r in results if r.status == "violations")
    d = digest.of(copy.deepcopy(result))
    with ResultSpool(2) as spool:
        spool.put_listing(0, d.outline, d.listing("zh", "error", False))
        spool.put_listing(1, d.outline, None)
        pairs = list(spool.read_if(lambda _outline: True))
        assert pairs[0] == (d.outline, d.listing("zh", "error", False)) and pairs[1] == (d.outline, None)
        assert spool.outline(1) == d.outline
        with pytest.raises(LookupError, match="only its lines"):
            spool[0]
        with pytest.raises(ValueError, match="already spooled"):
            spool.put_listing(1, d.outline, None)
