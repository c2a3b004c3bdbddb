"""The repository documents itself: no tracked file points outside it, and every relative link in
the README and docs/ reaches a file (and, with a #fragment, a heading or anchor) that exists."""

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

# built from parts so that this file does not match itself
OUTSIDE = [("../" + "shared").encode(), ("/" + "work/").encode()]


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [name for name in out.decode("utf-8").split("\0") if name]


def markdown_files() -> list[Path]:
    root = Path(ROOT)
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^()\s]+)(?:\s+\"[^\"]*\")?\)")
_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def prose_lines(text: str):
    """Lines outside fenced and indented code blocks, with inline code spans removed."""
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            continue
        yield number, re.sub(r"`[^`]*`", "", line)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"<[^>]+>", "", heading)                      # inline HTML such as <a id=…>
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)        # a link keeps its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, seen = set(), {}
    text = path.read_text(encoding="utf-8")
    found.update(_ANCHOR.findall(text))
    for _, line in prose_lines(text):
        m = _HEADING.match(line)
        if m:
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(path: Path):
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for target in _LINK.findall(line):
            yield number, target


def outside_references(data: bytes) -> list[tuple[int, str]]:
    """(line, what) for every reference to a path outside the repository."""
    return sorted((data.count(b"\n", 0, m.start()) + 1, needle.decode())
                  for needle in OUTSIDE for m in re.finditer(re.escape(needle), data))


def test_no_tracked_file_refers_to_a_path_outside_the_repository():
    offenders = []
    for name in tracked_files():
        path = Path(ROOT, name)
        if path.is_symlink() or not path.is_file():
            continue
        offenders.extend(f"{name}:{line}: {what}" for line, what in outside_references(path.read_bytes()))
    assert not offenders, "\n".join(offenders)


def test_the_search_finds_a_planted_reference_at_its_line():
    planted = b"clean\nsee ../" + b"shared/DESIGN.md\nand /" + b"work/main/x\n"
    assert outside_references(planted) == [(2, "../" + "shared"), (3, "/" + "work/")]
    assert outside_references(b"docs/architecture.md#h1, ../README.md, https://example.org/works/") == []


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(path):
    root = Path(ROOT).resolve()
    broken = []
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):         # https:, mailto: …
            continue
        file_part, _, fragment = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path.resolve()
        where = f"{path.relative_to(ROOT)}:{number}: {target}"
        if root not in (dest, *dest.parents):
            broken.append(f"{where} leaves the repository")
        elif not dest.exists():
            broken.append(f"{where} does not exist")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            broken.append(f"{where}: no heading or anchor #{fragment}")
    assert not broken, "\n".join(broken)


def test_the_link_check_finds_a_broken_link_and_a_missing_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## A rule's fields\n\n[ok](#a-rules-fields) [gone](#nowhere) "
                    "[file](missing.md) `[code](not-a-link.md)`\n\n    [indented](code.md)\n",
                    encoding="utf-8")
    assert anchors(page) == {"title", "a-rules-fields"}
    assert [t for _, t in links(page)] == ["#a-rules-fields", "#nowhere", "missing.md"]
