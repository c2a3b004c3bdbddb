"""A large batch in every format at once: a folder of a few hundred generated and real cases with a
few broken files, checked by one `offering-check -j 2` run that writes every format at once.

The SARIF validates against the official 2.1.0 schema, the JUnit parses with the standard library
and its counts equal the JSON's, the HTML opens in headless Chromium with its summary cards and
charts on the screenshot, a case named with `<script>` stays text, and every broken file is an
input error at its line while every other file is still checked.
"""

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from bench.generate import generate
from checker.report.markdown import BUDGET, esc

from .conftest import ROOT
from .reports import SCRIPT
from .test_report_browser import BLUE, GREEN, PURPLE, RED, browse, chromium, count, png_pixels
from .test_report_junit import counts_from_json

GENERATED = 300
BROKEN = {   # file name → (text, line the error must name, words of the message)
    "broken-syntax.yaml": ("case_type: ipo\nissuer: [\n", 3, "malformed YAML"),
    "broken-duplicate.yaml": ("case_type: ipo\nid: a\nid: b\n", 3, "duplicate"),
    "broken-type.yaml": (None, None, "number"),
    "broken-tab.yaml": ("case_type: ipo\nissuer:\n\tname: x\n", 3, "tab character"),
}
FORMATS = {"json": "r.json", "sarif": "r.sarif", "junit": "r.xml", "markdown": "r.md", "html": "r.html",
           "console": "r.txt"}


def broken_type_case() -> tuple[str, int]:
    text = Path(ROOT, "cases/ipo/dapuwei-2026.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.strip().startswith("shares: "))
    indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = f"{indent}shares: 四百万"
    return "\n".join(lines) + "\n", i + 1


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large-batch")
    cases = folder / "cases"
    files = generate(GENERATED, str(cases / "generated"), seed=5)
    expected_lines = {}
    for name, (text, line, _) in BROKEN.items():
        if text is None:
            text, line = broken_type_case()
        (cases / name).write_text(text, encoding="utf-8")
        expected_lines[name] = line
    source = Path(ROOT, "cases/violations/strategic-over-20pct.yaml").read_text(encoding="utf-8")
    hostile = cases / "hostile<b>.yaml"
    hostile.write_text(source.replace("short_name: 大普微", f'short_name: "{SCRIPT}"')
                       .replace("id: strategic-over-20pct", "id: hostile"), encoding="utf-8")
    out = {name: folder / file for name, file in FORMATS.items()}
    spec = ",".join(f"{name}={path}" for name, path in out.items())
    proc = subprocess.run([sys.executable, "-m", "checker", str(cases), "cases/real", "-j", "2",
                           "--format", spec, "--lang", "en", "--today", "2026-05-01"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    real = sorted(os.path.join("cases", "real", p.name) for p in Path(ROOT, "cases/real").glob("*.yaml"))
    return {"proc": proc, "out": out, "json": doc, "generated": files, "real": real,
            "expected_lines": expected_lines, "folder": folder}


def test_every_file_is_reported_once_and_the_batch_went_on(batch):
    doc, proc = batch["json"], batch["proc"]
    files = [c["file"] for c in doc["cases"]]
    assert len(files) == len(set(files)) == GENERATED + len(BROKEN) + 1 + len(batch["real"])
    assert proc.returncode == 2, proc.stderr[-2000:]          # input errors are the gravest here
    s = doc["summary"]
    assert s["input_error"] == len(BROKEN)
    assert s["engine_error"] == s["internal_error"] == 0
    assert s["violations"] > 50 and s["clean"] + s["not_evaluable"] > 50
    for c in doc["cases"]:
        name = os.path.basename(c["file"])
        if name in BROKEN:
            assert c["status"] == "input_error"
            assert c["error"]["location"]["line"] == batch["expected_lines"][name], c["error"]
            assert BROKEN[name][2] in c["error"]["message"]
        elif c["file"] in batch["real"]:   # as given on the command line
            assert c["status"] in ("clean", "not_evaluable", "not_checked"), c["file"]
            assert not [f["rule_id"] for f in c["findings"] if f["status"] == "violation"], c["file"]
    assert sum(c["file"] in batch["real"] for c in doc["cases"]) == len(batch["real"]) > 20


def test_sarif_validates_against_the_official_schema(batch):
    schema = json.loads(Path(ROOT, "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    sarif = json.loads(batch["out"]["sarif"].read_text(encoding="utf-8"))
    errors = list(validator.iter_errors(sarif))
    assert not errors, errors[0].message
    findings = sum(len(c["findings"]) for c in batch["json"]["cases"])
    assert len(sarif["runs"][0]["results"]) == findings > 1000


def test_junit_parses_and_its_counts_equal_the_json(batch):
    root = ET.parse(batch["out"]["junit"]).getroot()
    expected = counts_from_json(batch["json"])
    assert {k: int(root.get(k)) for k in expected} == expected
    assert expected["errors"] == len(BROKEN) and expected["failures"] > 50
    assert len(root.findall("testsuite")) == len(batch["json"]["cases"])


def test_markdown_and_console_cover_every_case(batch):
    md = batch["out"]["markdown"].read_text(encoding="utf-8")
    text = batch["out"]["console"].read_text(encoding="utf-8")
    s = batch["json"]["summary"]
    assert f"{s['cases']} case(s) read" in text
    assert SCRIPT not in md and len(md) <= BUDGET and "--format json=report.json" in md   # cut, with a notice
    for case in batch["json"]["cases"][:: 25]:
        assert case["case_id"] in text
    for case in batch["json"]["cases"]:
        if any(f["status"] == "violation" for f in case["findings"]):
            assert esc(case["file"]) in md     # the first violations, before the cut
            break


def test_html_in_headless_chromium(batch):
    binary = chromium()
    folder, html = batch["folder"], batch["out"]["html"]
    text = html.read_text(encoding="utf-8")
    assert SCRIPT not in text and "&lt;script&gt;" in text
    # nothing external is loaded (citation links are <a href>, followed only when clicked)
    assert not re.search(r'<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)="?(?:https?:)?//', text)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", text)
    assert '<a href="http' in text   # the citations' addresses are there, as links
    shot = folder / "large-batch.png"
    browse(binary, folder / "profile-shot", "--window-size=1280,1600", f"--screenshot={shot}",
           html.resolve().as_uri())
    width, height, rows = png_pixels(shot)
    colours = Counter(px for row in rows for px in row)
    assert count(colours, GREEN) > 300 and count(colours, PURPLE) > 300, "no summary cards"
    assert count(colours, RED) > 5000, "no violation bars"
    # findings not evaluated are counted beside the bars, not drawn (they would drown the violations)
    assert count(colours, BLUE) > 300, "no not-evaluated card"
    assert re.search(r'<td class="n">[^<]*<div class="muted">not evaluated \d+', text)
    dom = browse(binary, folder / "profile-dom", "--dump-dom", html.resolve().as_uri()).stdout
    assert 'data-ready="1"' in dom and dom.count("<script") == 1
    assert f'id="f-count">{len(batch["json"]["cases"])}<' in dom
    print(f"screenshot: {shot}")
