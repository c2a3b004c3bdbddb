"""The HTML report in headless Chromium (Debian's `chromium` and `chromedriver`, installed by .ci/run).

A screenshot must show the summary cards and the violation bars (counted by their colours), the
report's own script must run under its Content-Security-Policy, and a case whose file name and
issuer name hold `<script>alert(1)</script>` must stay text in the live DOM. Through selenium, the
report of every bundled case (`python -m checker cases/ --format html=FILE`) must fit windows 1,024
and 1,400 px wide (no page or table scrolls sideways), its filters must work, and it must print to a
PDF of several pages (DevTools `Page.printToPDF`) with the filters hidden and the sign-off shown.
Without a chromium binary the tests skip with the reason, except in CI (environment variable CI
set), where they fail.
"""

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.wait import WebDriverWait

from checker.boards import declared_boards

from .reports import ROOT, SCRIPT, run_all

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RED, BLUE, GREY = (0xC0, 0x39, 0x2B), (0x2E, 0x86, 0xC1), (0x95, 0xA5, 0xA6)   # html.COLOUR
GREEN, PURPLE = (0x1E, 0x84, 0x49), (0x7D, 0x3C, 0x98)                           # clean, input error


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or next((p for p in map(shutil.which, NAMES) if p), None)
    if found:
        return found
    reason = ("no chromium binary on PATH (tried " + ", ".join(NAMES) + "; or set CHROMIUM): install "
              "Debian's `chromium` package (.ci/run does when it runs as root)")
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the browser test must run: {reason}")
    pytest.skip(reason)


def browse(binary: str, profile, *args) -> subprocess.CompletedProcess:
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        prev = line
    return width, height, rows


def count(histogram: Counter, colour, tolerance=6) -> int:
    return sum(n for px, n in histogram.items() if all(abs(a - b) <= tolerance for a, b in zip(px, colour, strict=True)))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    binary = chromium()
    folder = tmp_path_factory.mktemp("browser")
    run = run_all(folder)
    return binary, folder, run["paths"]["html"].resolve().as_uri(), len(run["json"]["cases"])


def test_screenshot_shows_summary_and_charts(report):
    binary, folder, url, _ = report
    shot = folder / "report.png"
    proc = browse(binary, folder / "profile-shot", "--window-size=1280,1800", f"--screenshot={shot}", url)
    assert shot.exists(), proc.stderr[-2000:]
    width, height, rows = png_pixels(shot)
    assert (width, height) == (1280, 1800)
    colours = Counter(px for row in rows for px in row)
    # Summary cards carry a coloured top border (4 px); the charts draw violations (red) and waived
    # findings as bars; findings not evaluated or not covered are only counted (no blue or grey bars).
    cards_only = 2 * 4 * 128
    assert count(colours, GREEN) > 300 and count(colours, PURPLE) > 600, "no summary cards in the screenshot"
    assert count(colours, BLUE) > 300 and count(colours, GREY) > 300, "no summary cards in the screenshot"
    assert count(colours, RED) > 3 * cards_only, "no violation bars in the screenshot"
    print(f"screenshot: {shot}")


def test_script_in_case_text_stays_text_in_the_live_dom(report):
    binary, folder, url, cases = report
    assert cases > 20
    proc = browse(binary, folder / "profile-dom", "--dump-dom", url)
    dom = proc.stdout
    assert 'data-ready="1"' in dom, "the report's own script did not run: " + proc.stderr[-2000:]
    assert dom.count("<script") == 1                      # only the report's own script element
    assert SCRIPT not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert dom.count("&lt;script&gt;alert(1)&lt;/script&gt;.yaml") >= 1   # the file name, as text
    assert f'id="f-count">{cases}<' in dom                # the filter script counted every case


# --- the report of every bundled case, in a browser driven by selenium ---------------------------

WIDTHS = (1024, 1400)
DRIVERS = ("chromedriver",)

# Every element that scrolls sideways (a table's wrapper, a chart, a table, a cell): none may.
OVERFLOWING = """
var out = [];
document.querySelectorAll('.tablewrap, .chart, table, th, td, section.case, summary').forEach(function (el) {
  if (el.scrollWidth > el.clientWidth + 1) {
    out.push(el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth + ': ' +
             el.textContent.slice(0, 80));
  }
});
return out;
"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The HTML and JSON reports of `cases/`, as a user makes them."""
    chromium()
    folder = tmp_path_factory.mktemp("bundled")
    html, doc = folder / "cases.html", folder / "cases.json"
    proc = subprocess.run([sys.executable, "-m", "checker", "cases/", "--format", f"html={html},json={doc}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert html.exists() and doc.exists(), proc.stderr[-2000:]
    return folder, html, json.loads(doc.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def driver():
    binary = chromium()
    chromedriver = os.environ.get("CHROMEDRIVER") or next((p for p in map(shutil.which, DRIVERS) if p), None)
    if not chromedriver:
        reason = "no chromedriver on PATH (Debian's `chromium-driver`; or set CHROMEDRIVER)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser test must run: {reason}")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"):
        options.add_argument(arg)
    browser = webdriver.Chrome(options=options, service=Service(chromedriver))
    yield browser
    browser.quit()


def open_report(driver, html, width: int):
    driver.set_window_size(width, 900)
    driver.get(html.resolve().as_uri())
    ready = "return document.readyState === 'complete' && document.documentElement.getAttribute('data-ready');"
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(ready) == "1")   # the report's script ran


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_fits_the_window(bundled, driver, width):
    folder, html, doc = bundled
    assert len(doc["cases"]) > 30
    open_report(driver, html, width)
    driver.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; });")
    inner, scroll = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth];")
    assert inner == width and scroll <= inner, f"the page is {scroll} px wide in a {inner} px window"
    tables = driver.execute_script("return document.querySelectorAll('.tablewrap > table.findings').length;")
    assert tables >= sum(1 for c in doc["cases"] if c["findings"] and not c.get("error"))
    assert driver.execute_script(OVERFLOWING) == []
    shot = folder / f"report-{width}.png"
    assert driver.save_screenshot(str(shot))
    size, _, _ = png_pixels(shot)
    assert shot.stat().st_size > 10_000 and size == width


def test_chart_labels_name_no_board_codes(bundled, driver):
    _, html, _ = bundled
    open_report(driver, html, 1400)
    labels = driver.execute_script("""
        return Array.from(document.querySelectorAll('.bars th.label')).map(function (th) {
          return Array.from(th.childNodes).filter(function (n) { return n.nodeType === 3; })
                      .map(function (n) { return n.textContent; }).join('');
        });""")
    assert len(labels) > 10
    codes = set(declared_boards())
    assert [label for label in labels if label in codes or any(c in label.split() for c in codes)] == []
    assert "上交所主板" in labels or "深交所创业板" in labels


def test_the_rule_note_is_not_in_the_page(bundled, driver):
    _, html, doc = bundled
    notes = {f["citation"]["note"] for c in doc["cases"] for f in c["findings"] if f["citation"].get("note")}
    assert notes
    open_report(driver, html, 1400)
    text = driver.execute_script("return document.documentElement.textContent;")
    assert [n for n in notes if n in text] == []


def test_the_board_filter_still_works(bundled, driver):
    _, html, doc = bundled
    open_report(driver, html, 1024)
    board = "chinext"
    expected = sum(1 for c in doc["cases"] if c["board"] == board)
    shown = driver.execute_script(f"""
        var s = document.getElementById('f-board'); s.value = '{board}';
        s.dispatchEvent(new Event('change', {{bubbles: true}}));
        return [document.getElementById('f-count').textContent,
                document.querySelectorAll('section.case:not([hidden])').length];""")
    assert 0 < expected < len(doc["cases"]) and shown == [str(expected), expected]


def test_print_to_pdf(bundled, driver):
    folder, html, doc = bundled
    open_report(driver, html, 1400)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    printed = driver.execute_script("""
        var link = document.querySelector('section.case:not(:has(details[open])) .cite a');
        return [getComputedStyle(document.getElementById('filters')).display,
                getComputedStyle(document.getElementById('signoff')).display,
                link ? link.getClientRects().length : -1];""")
    assert printed[0] == "none" and printed[1] == "block"
    assert printed[2] > 0, "a folded case's citation addresses are not printed"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True,
                                                                      "preferCSSPageSize": True})["data"])
    out = folder / "report.pdf"
    out.write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pages > 1, f"{pages} page(s)"
    print(f"pdf: {out}, {pages} pages")
