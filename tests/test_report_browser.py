"""The HTML report in headless Chromium (Debian's `chromium`, installed by .ci/run).

A screenshot must show the summary cards and the bar charts (counted by their colours), the
report's own script must run under its Content-Security-Policy, and a case whose file name and
issuer name hold `<script>alert(1)</script>` must stay text in the live DOM. Without a chromium
binary the test skips with the reason, except in CI (environment variable CI set), where it fails.
"""

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter

import pytest

from .reports import SCRIPT, run_all

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
    # Summary cards carry a coloured top border (4 px); the charts are bars of the same colours.
    # The bars of 440 not-evaluated findings alone paint far more blue than the two blue borders.
    cards_only = 2 * 4 * 128
    assert count(colours, GREEN) > 300 and count(colours, PURPLE) > 600, "no summary cards in the screenshot"
    assert count(colours, BLUE) > 4 * cards_only, "no not-evaluated bars in the screenshot"
    assert count(colours, RED) > cards_only, "no violation bars in the screenshot"
    assert count(colours, GREY) > 1000, "no not-covered bars in the screenshot"
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
